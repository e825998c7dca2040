// The streaming side of the parser: what a UI sees token by token, and robustness on broken streams.
#include <gtest/gtest.h>

#include "harmony/stream_parser.h"
#include "harmony_cases.h"

namespace tally::harmony {
namespace {

using tok::Tokenizer;

class StreamParser : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    tokenizer_ = testing::harmony_tokenizer(&why);
    ASSERT_NE(tokenizer_, nullptr) << why;
  }
  std::vector<tok::TokenId> ids(const std::string& text) const { return tokenizer_->encode_with_specials(text); }
  const Tokenizer* tokenizer_ = nullptr;
};

TEST_F(StreamParser, ReportsHeaderFieldsOnceTheHeaderIsComplete) {
  HarmonyStreamParser p(*tokenizer_, std::nullopt);
  for (auto t : ids("<|start|>assistant to=functions.sql<|channel|>commentary <|constrain|>json")) {
    ASSERT_TRUE(p.process(t).ok());
  }
  EXPECT_EQ(p.state(), HarmonyStreamParser::State::ReadingHeader);
  EXPECT_FALSE(p.current_channel());
  ASSERT_TRUE(p.process(Tokenizer::kMessage).ok());
  EXPECT_EQ(p.state(), HarmonyStreamParser::State::ReadingContent);
  EXPECT_EQ(p.current_role(), Role::Assistant);
  EXPECT_EQ(p.current_channel(), "commentary");
  EXPECT_EQ(p.current_recipient(), "functions.sql");
  EXPECT_EQ(p.current_content_type(), "<|constrain|>json");
}

TEST_F(StreamParser, ContentDeltasConcatenateToTheMessage) {
  HarmonyStreamParser p(*tokenizer_, Role::Assistant);
  std::string streamed;
  for (auto t : ids("<|channel|>final<|message|>Hello there, analyst. Total: 42.")) {
    ASSERT_TRUE(p.process(t).ok());
    if (p.state() == HarmonyStreamParser::State::ReadingContent && p.last_content_delta()) {
      streamed += *p.last_content_delta();
    }
  }
  EXPECT_EQ(streamed, "Hello there, analyst. Total: 42.");
  EXPECT_EQ(p.current_content(), streamed);
  ASSERT_TRUE(p.process(Tokenizer::kReturn).ok());
  ASSERT_EQ(p.messages().size(), 1u);
  EXPECT_EQ(p.messages()[0].text_content(), streamed);
  EXPECT_EQ(p.messages()[0].channel, "final");
}

TEST_F(StreamParser, NoDeltaUntilAMultiTokenCharacterIsComplete) {
  // 💖 is two tokens (31446, 244) in o200k: the first alone is an incomplete UTF-8 sequence.
  HarmonyStreamParser p(*tokenizer_, std::nullopt);
  for (tok::TokenId t : {Tokenizer::kStart, 173781, Tokenizer::kMessage}) ASSERT_TRUE(p.process(t).ok());
  ASSERT_TRUE(p.process(31446).ok());
  EXPECT_FALSE(p.last_content_delta());
  EXPECT_EQ(p.current_content(), "");
  ASSERT_TRUE(p.process(244).ok());
  EXPECT_EQ(p.last_content_delta(), "\xF0\x9F\x92\x96");
}

TEST_F(StreamParser, EndOfStreamFinishesACutOffMessage) {
  HarmonyStreamParser p(*tokenizer_, Role::Assistant);
  for (auto t : ids("<|channel|>analysis<|message|>Thinking about the")) ASSERT_TRUE(p.process(t).ok());
  ASSERT_TRUE(p.end_of_stream().ok());
  ASSERT_EQ(p.messages().size(), 1u);
  EXPECT_EQ(p.messages()[0].text_content(), "Thinking about the");
}

TEST_F(StreamParser, EndOfStreamInsideAHeaderIsAnError) {
  HarmonyStreamParser p(*tokenizer_, Role::Assistant);
  for (auto t : ids("<|channel|>ana")) ASSERT_TRUE(p.process(t).ok());
  EXPECT_FALSE(p.end_of_stream().ok());
}

TEST_F(StreamParser, MissingStartIsAnErrorAndTheParserRecovers) {
  HarmonyStreamParser p(*tokenizer_, std::nullopt);
  auto r = p.process(tokenizer_->encode("hi").front());
  EXPECT_FALSE(r.ok());
  for (auto t : ids("<|start|>assistant<|message|>ok<|end|>")) ASSERT_TRUE(p.process(t).ok());
  ASSERT_EQ(p.messages().size(), 1u);
  EXPECT_EQ(p.messages()[0].text_content(), "ok");
}

TEST_F(StreamParser, IdsOutsideTheVocabularyNeverCrash) {
  HarmonyStreamParser p(*tokenizer_, std::nullopt);
  EXPECT_FALSE(p.process(-5).ok());
  EXPECT_FALSE(p.process(1 << 30).ok());
  for (tok::TokenId t : {Tokenizer::kStart, -1, Tokenizer::kMessage}) (void)p.process(t);  // header undecodable
  for (tok::TokenId t : {Tokenizer::kStart, 173781, Tokenizer::kMessage, 12194, 1 << 30, 12194}) {
    ASSERT_TRUE(p.process(t).ok());
  }
  ASSERT_TRUE(p.end_of_stream().ok());
  ASSERT_EQ(p.messages().size(), 1u);
  EXPECT_EQ(p.messages()[0].text_content(), "Hi\xEF\xBF\xBD");  // the held run becomes one U+FFFD
}

TEST_F(StreamParser, SpecialTokensInsideContentAreText) {
  HarmonyStreamParser p(*tokenizer_, Role::Assistant);
  for (auto t : ids("<|message|>a<|start|>b<|channel|>c<|end|>")) ASSERT_TRUE(p.process(t).ok());
  ASSERT_EQ(p.messages().size(), 1u);
  EXPECT_EQ(p.messages()[0].text_content(), "a<|start|>b<|channel|>c");
}

TEST_F(StreamParser, ReturnAndCallEndTheTurnEndOnlyEndsAMessage) {
  HarmonyStreamParser p(*tokenizer_, Role::Assistant);
  for (auto t : ids("<|channel|>analysis<|message|>think<|end|>")) ASSERT_TRUE(p.process(t).ok());
  EXPECT_FALSE(p.turn_ended());
  for (auto t : ids("<|start|>assistant<|channel|>final<|message|>done<|return|>")) ASSERT_TRUE(p.process(t).ok());
  EXPECT_TRUE(p.turn_ended());
  for (auto t : ids("<|start|>assistant to=functions.f<|channel|>commentary json<|message|>{}")) {
    ASSERT_TRUE(p.process(t).ok());
    EXPECT_FALSE(p.turn_ended());
  }
  ASSERT_TRUE(p.process(Tokenizer::kCall).ok());
  EXPECT_TRUE(p.turn_ended());
  EXPECT_EQ(p.messages().size(), 3u);
}

TEST_F(StreamParser, TakeMessagesEmptiesTheList) {
  HarmonyStreamParser p(*tokenizer_, Role::Assistant);
  for (auto t : ids("<|message|>x<|end|>")) ASSERT_TRUE(p.process(t).ok());
  EXPECT_EQ(p.take_messages().size(), 1u);
  EXPECT_TRUE(p.messages().empty());
  EXPECT_EQ(p.tokens().size(), 3u);
}

}  // namespace
}  // namespace tally::harmony
