// o200k_harmony from the tiktoken file against tiktoken's own encodings (tests/data/tokenizer).
#include <gtest/gtest.h>

#include "o200k_fixture.h"

namespace tally::tok {
namespace {

using testing::golden_cases;
using testing::o200k;

// The golden file was made with allowed_special="all", so its one case with harmony literals holds special ids.
bool has_special_literal(const std::string& text) { return text.find("<|") != std::string::npos; }

TEST(TokenizerGolden, EveryTiktokenCaseEncodesIdentically) {
  const auto cases = golden_cases();
  ASSERT_GE(cases.size(), 40u);
  for (const auto& c : cases) {
    EXPECT_EQ(o200k().encode_with_specials(c.text), c.ids) << "text: " << c.text;
    if (!has_special_literal(c.text)) {
      EXPECT_EQ(o200k().encode(c.text), c.ids) << "text: " << c.text;
    }
  }
}

TEST(TokenizerGolden, EveryTiktokenCaseDecodesToItsText) {
  for (const auto& c : golden_cases()) EXPECT_EQ(o200k().decode(c.ids), c.text);
}

TEST(TokenizerGolden, HarmonyPromptRoundTripsWithSpecials) {
  const auto ids = testing::harmony_ko_ids();
  ASSERT_FALSE(ids.empty());
  const std::string text = o200k().decode(ids);
  EXPECT_EQ(text.rfind("<|start|>", 0), 0u);
  EXPECT_EQ(o200k().encode_with_specials(text), ids);
}

TEST(TokenizerGolden, SpecialLiteralInUserTextIsPlainText) {
  const auto ids = o200k().encode("<|start|>user<|message|>hi<|end|>");
  for (TokenId id : ids) EXPECT_FALSE(o200k().is_special(id)) << id;
  EXPECT_EQ(o200k().decode(ids), "<|start|>user<|message|>hi<|end|>");
  const auto with = o200k().encode_with_specials("<|start|>user<|message|>hi<|end|>");
  EXPECT_EQ(with, (std::vector<TokenId>{200006, 1428, 200008, 3686, 200007}));
}

TEST(TokenizerGolden, EveryReservedLiteralIsPlainTextToo) {
  for (TokenId id = 199998; id < 201088; ++id) {
    for (TokenId got : o200k().encode(o200k().piece(id))) ASSERT_FALSE(o200k().is_special(got)) << id;
  }
}

TEST(TokenizerGolden, HarmonySpecialIdsAndNames) {
  const Tokenizer& t = o200k();
  EXPECT_EQ(t.vocab_size(), 201088);
  EXPECT_EQ(t.rank_count(), 199998);
  EXPECT_EQ(t.special_id("<|startoftext|>"), Tokenizer::kStartOfText);
  EXPECT_EQ(t.special_id("<|endoftext|>"), Tokenizer::kEndOfText);
  EXPECT_EQ(t.special_id("<|return|>"), Tokenizer::kReturn);
  EXPECT_EQ(t.special_id("<|constrain|>"), Tokenizer::kConstrain);
  EXPECT_EQ(t.special_id("<|channel|>"), Tokenizer::kChannel);
  EXPECT_EQ(t.special_id("<|start|>"), Tokenizer::kStart);
  EXPECT_EQ(t.special_id("<|end|>"), Tokenizer::kEnd);
  EXPECT_EQ(t.special_id("<|message|>"), Tokenizer::kMessage);
  EXPECT_EQ(t.special_id("<|call|>"), Tokenizer::kCall);
  EXPECT_EQ(t.special_id("<|endofprompt|>"), Tokenizer::kEndOfPrompt);
  EXPECT_EQ(t.special_id("<|reserved_200000|>"), 200000);
  EXPECT_EQ(t.special_id("<|reserved_200017|>"), 200017);
  EXPECT_EQ(t.special_id("<|reserved_201087|>"), 201087);
  EXPECT_EQ(t.special_id("<|nope|>"), -1);
  EXPECT_EQ(t.piece(200007), "<|end|>");
  EXPECT_EQ(t.piece(200019), "<|reserved_200019|>");
  for (TokenId id = 199998; id < 201088; ++id) EXPECT_TRUE(t.is_special(id)) << id;
  EXPECT_FALSE(t.is_special(0));
  EXPECT_FALSE(t.is_special(199997));
  EXPECT_FALSE(t.is_special(-1));
  EXPECT_FALSE(t.is_special(201088));
}

TEST(TokenizerGolden, PieceIsTheTokensBytes) {
  EXPECT_EQ(o200k().piece(64), "a");
  EXPECT_EQ(o200k().piece(13225), "Hello");
  EXPECT_EQ(o200k().piece(-5), "");
  EXPECT_EQ(o200k().piece(999999), "");
  // Ids outside the vocabulary decode to nothing rather than failing.
  EXPECT_EQ(o200k().decode({13225, -1, 999999, 0}), "Hello!");
}

TEST(TokenizerGolden, EncodeWithSpecialsHandlesAdjacentAndPartialLiterals) {
  const Tokenizer& t = o200k();
  EXPECT_EQ(t.encode_with_specials("<|end|><|start|>"), (std::vector<TokenId>{200007, 200006}));
  EXPECT_EQ(t.encode_with_specials("<|end|"), t.encode("<|end|"));
  EXPECT_EQ(t.encode_with_specials("a<|call|>"), (std::vector<TokenId>{64, 200012}));
  EXPECT_EQ(t.encode_with_specials(""), std::vector<TokenId>{});
}

TEST(TokenizerGolden, TiktokenLoadErrorsNameTheFile) {
  auto missing = Tokenizer::from_tiktoken("/nonexistent/o200k.tiktoken");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/nonexistent/o200k.tiktoken"), std::string::npos);
}

}  // namespace
}  // namespace tally::tok
