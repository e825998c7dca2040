// Header parsing rules: channel/recipient order, <|constrain|> adjacent or spaced, tool authors, leftovers.
#include <gtest/gtest.h>

#include "harmony/message_header.h"

namespace tally::harmony {
namespace {

MessageHeader parse_ok(const std::string& text, std::optional<Role> role = std::nullopt) {
  auto r = parse_message_header(text, role, true);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return {};
  EXPECT_FALSE(r.value().remaining.has_value()) << *r.value().remaining;
  return r.value().header;
}

TEST(MessageHeader, RecipientBeforeChannel) {
  auto h = parse_ok("assistant to=functions.f<|channel|>commentary json");
  EXPECT_EQ(h.role, Role::Assistant);
  EXPECT_EQ(h.recipient, "functions.f");
  EXPECT_EQ(h.channel, "commentary");
  EXPECT_EQ(h.content_type, "json");
}

TEST(MessageHeader, RecipientAfterChannel) {
  auto h = parse_ok("<|channel|>commentary to=browser.search code", Role::Assistant);
  EXPECT_EQ(h.recipient, "browser.search");
  EXPECT_EQ(h.channel, "commentary");
  EXPECT_EQ(h.content_type, "code");
}

TEST(MessageHeader, ConstrainMarkerAdjacentOrSpacedIsPartOfContentType) {
  for (const char* text : {"assistant to=functions.f<|channel|>commentary<|constrain|>json",
                           "assistant to=functions.f<|channel|>commentary <|constrain|>json",
                           "assistant<|channel|>commentary to=functions.f<|constrain|>json"}) {
    auto h = parse_ok(text);
    EXPECT_EQ(h.recipient, "functions.f") << text;
    EXPECT_EQ(h.channel, "commentary") << text;
    EXPECT_EQ(h.content_type, "<|constrain|>json") << text;
  }
}

TEST(MessageHeader, UnknownFirstWordIsAToolAuthor) {
  auto h = parse_ok("browser.search to=assistant<|channel|>commentary");
  EXPECT_EQ(h.role, Role::Tool);
  EXPECT_EQ(h.name, "browser.search");
  EXPECT_EQ(h.recipient, "assistant");
}

TEST(MessageHeader, LoneBareWordIsARecipient) {
  auto h = parse_ok("assistant python");
  EXPECT_EQ(h.recipient, "python");
  EXPECT_FALSE(h.content_type);
}

TEST(MessageHeader, LeftoverWordsAreReported) {
  auto r = parse_message_header("assistant a b c", std::nullopt, true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().remaining, "a");
}

TEST(MessageHeader, WithoutSplittingEverythingButTheChannelIsText) {
  auto r = parse_message_header("<|channel|>analysis  I must\trefuse", Role::Assistant, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().header.channel, "analysis");
  EXPECT_EQ(r.value().remaining, "I must refuse");
}

TEST(MessageHeader, Errors) {
  EXPECT_FALSE(parse_message_header("", std::nullopt, true).ok());
  EXPECT_FALSE(parse_message_header("nobody", std::nullopt, true).ok());
  EXPECT_FALSE(parse_message_header("assistant<|channel|> final", std::nullopt, true).ok());
}

TEST(MessageHeader, ChannelEndsAtUnicodeWhitespace) {
  auto h = parse_ok("assistant<|channel|>final\xE3\x80\x80");  // U+3000 ideographic space
  EXPECT_EQ(h.channel, "final");
}

}  // namespace
}  // namespace tally::harmony
