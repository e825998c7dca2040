// The pieces under the tolerant parser: header repair and the markup filter, one rule per test.
#include <gtest/gtest.h>

#include "harmony/markup_filter.h"
#include "harmony/tolerant_header.h"

namespace tally::harmony {
namespace {

const std::vector<std::string> kTools = {"sql_query", "functions.make_chart"};

TEST(TolerantHeader, WellFormedHeadersNeedNoRepair) {
  auto h = parse_header_tolerant("assistant<|channel|>commentary to=functions.sql_query <|constrain|>json", std::nullopt, kTools);
  EXPECT_EQ(h.header.role, Role::Assistant);
  EXPECT_EQ(h.header.channel, "commentary");
  EXPECT_EQ(h.header.recipient, "functions.sql_query");
  EXPECT_EQ(h.header.content_type, "<|constrain|>json");
  EXPECT_TRUE(h.repairs.empty());
  auto tool = parse_header_tolerant("functions.sql_query to=assistant<|channel|>commentary", std::nullopt, kTools);
  EXPECT_EQ(tool.header.role, Role::Tool);
  EXPECT_EQ(tool.header.name, "functions.sql_query");
  EXPECT_EQ(tool.header.recipient, "assistant");
}

TEST(TolerantHeader, GluedContentTypeSplitsOnlyAtAKnownTool) {
  auto known = parse_header_tolerant("<|channel|>commentary to=functions.make_chartjson", Role::Assistant, kTools);
  EXPECT_EQ(known.header.recipient, "functions.make_chart");
  EXPECT_EQ(known.header.content_type, "<|constrain|>json");
  auto unknown = parse_header_tolerant("<|channel|>commentary to=functions.lookupjson", Role::Assistant, kTools);
  EXPECT_EQ(unknown.header.recipient, "functions.lookupjson");  // no way to tell where the name ends
}

TEST(TolerantHeader, StrayMarkersEmptyAndRepeatedChannelsAreNoted) {
  auto h = parse_header_tolerant("<|channel|><|channel|>analysis<|channel|>final to=functions.sql_query<|end|>", Role::Assistant, kTools);
  EXPECT_EQ(h.header.channel, "final");
  EXPECT_EQ(h.header.recipient, "functions.sql_query");
  EXPECT_GE(h.repairs.size(), 3u);  // empty channel, several channels, a stray <|end|>
}

TEST(TolerantHeader, WordsOrderedOddlyStillFindRecipientAndType) {
  auto h = parse_header_tolerant("<|channel|>commentary <|constrain|>json to=functions.sql_query", Role::Assistant, kTools);
  EXPECT_EQ(h.header.recipient, "functions.sql_query");
  EXPECT_EQ(h.header.content_type, "<|constrain|>json");
  auto spaced = parse_header_tolerant("<|channel|>commentary to=functions.sql_query <|constrain|> json", Role::Assistant, kTools);
  EXPECT_EQ(spaced.header.content_type, "<|constrain|>json");
}

TEST(TolerantHeader, HeaderWithoutMessageTokenKeepsItsWordsAsText) {
  auto h = parse_header_tolerant("assistant<|channel|>final The total is 42.", std::nullopt, kTools, false);
  EXPECT_EQ(h.header.channel, "final");
  EXPECT_EQ(h.text, "The total is 42.");
}

TEST(TolerantHeader, InvalidUtf8NeverBreaksIt) {
  auto h = parse_header_tolerant(std::string("\xFF\xFE to=functions.\xC3", 17), std::nullopt, kTools);
  EXPECT_EQ(h.header.role, Role::Tool);  // an unknown first word followed by more is a tool, as in harmony
}

TEST(MarkupFilter, HoldsAPossibleMarkerAcrossPiecesAndReleasesWhatIsNotOne) {
  MarkupFilter f;
  EXPECT_EQ(f.feed("Total <"), "Total ");
  EXPECT_EQ(f.feed("|cha"), "");
  EXPECT_EQ(f.feed("nnel|> is 4"), " is 4");
  EXPECT_EQ(f.feed("2 <| not"), "2 <| not");
  EXPECT_EQ(f.feed(" a<"), " a");
  EXPECT_EQ(f.flush(), "<");
  EXPECT_EQ(f.removed(), 1);
  EXPECT_EQ(strip_markup("a<|start|>b<|reserved_200017|>c<|x y|>"), "abc<|x y|>");
  EXPECT_TRUE(is_control_marker("<|call|>"));
  EXPECT_FALSE(is_control_marker("<|call|> "));
}

}  // namespace
}  // namespace tally::harmony
