// from_tokenizer_json_text on small hand-made documents: what it accepts and how it names what is wrong.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tokenizer/byte_unicode.h"
#include "tokenizer/tokenizer.h"

namespace tally::tok {
namespace {

// A byte-level vocabulary of the 256 single bytes (ids 0..255, in byte order) plus "ab" (256) and "abc" (257).
nlohmann::ordered_json minimal_doc() {
  nlohmann::ordered_json vocab = nlohmann::ordered_json::object();
  for (int b = 0; b < 256; ++b) vocab[bytes_to_gpt2_unicode(std::string(1, static_cast<char>(b)))] = b;
  vocab["ab"] = 256;
  vocab["abc"] = 257;
  nlohmann::ordered_json doc;
  doc["added_tokens"] = nlohmann::ordered_json::array(
      {{{"id", 258}, {"content", "<|end|>"}, {"special", true}}});
  doc["model"] = {{"type", "BPE"}, {"vocab", vocab}, {"merges", nlohmann::ordered_json::array({"a b", {"ab", "c"}})}};
  return doc;
}

Result<Tokenizer> load(const nlohmann::ordered_json& doc) { return Tokenizer::from_tokenizer_json_text(doc.dump(), "t.json"); }

std::string error_of(const std::string& text) {
  auto r = Tokenizer::from_tokenizer_json_text(text, "t.json");
  return r.ok() ? std::string("(accepted)") : r.error().message;
}

TEST(TokenizerJson, MinimalByteLevelVocabularyEncodes) {
  auto t = load(minimal_doc());
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->vocab_size(), 259);
  EXPECT_EQ(t->encode("abc"), (std::vector<TokenId>{257}));
  EXPECT_EQ(t->encode("abd"), (std::vector<TokenId>{256, 'd'}));
  EXPECT_EQ(t->encode_with_specials("ab<|end|>"), (std::vector<TokenId>{256, 258}));
  EXPECT_TRUE(t->is_special(258));
  EXPECT_EQ(t->decode({257, 258}), "abc<|end|>");
}

TEST(TokenizerJson, ByteLevelAlphabetIsDecoded) {
  auto t = load(minimal_doc());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->piece(' '), " ");  // stored as "Ġ"
  EXPECT_EQ(t->piece('\n'), "\n");  // stored as "Ċ"
}

TEST(TokenizerJson, MissingByteIsAnError) {
  auto doc = minimal_doc();
  doc["model"]["vocab"].erase(bytes_to_gpt2_unicode("\x7F"));
  auto r = load(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("0x7F"), std::string::npos) << r.error().message;
}

TEST(TokenizerJson, RejectsNonJsonAndWrongShapes) {
  EXPECT_NE(error_of("").find("t.json: not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("{\"model\": ").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("[1,2]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of("42").find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of("\"text\"").find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of("null").find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of("{}").find("no model.vocab"), std::string::npos);
  EXPECT_NE(error_of("{\"model\": {\"vocab\": []}}").find("no model.vocab"), std::string::npos);
  EXPECT_NE(error_of("{\"model\": {\"vocab\": {\"a\": \"x\"}}}").find("model.vocab[\"a\"] is not an id"),
            std::string::npos);
  EXPECT_NE(error_of("{\"model\": {\"vocab\": {\"a\": -3}}}").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("{\"model\": {\"vocab\": {\"a\": 99999999999}}}").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("{\"model\": {\"vocab\": {\"\xF0\x9F\x9A\x80\": 1}}}").find("not byte-level"), std::string::npos);
}

TEST(TokenizerJson, RejectsOtherModelsAndPatterns) {
  auto doc = minimal_doc();
  doc["model"]["type"] = "WordPiece";
  EXPECT_NE(error_of(doc.dump()).find("model.type"), std::string::npos);
  doc = minimal_doc();
  doc["pre_tokenizer"] = {{"type", "Sequence"},
                          {"pretokenizers", {{{"type", "Split"}, {"pattern", {{"Regex", "\\s+"}}}}}}};
  EXPECT_NE(error_of(doc.dump()).find("pattern"), std::string::npos);
}

TEST(TokenizerJson, RejectsBadAddedTokens) {
  auto doc = minimal_doc();
  doc["added_tokens"] = nlohmann::ordered_json::array({{{"content", "<|x|>"}}});
  EXPECT_NE(error_of(doc.dump()).find("added_tokens[0] has no valid id"), std::string::npos);
  doc["added_tokens"] = nlohmann::ordered_json::array({{{"id", 300}}});
  EXPECT_NE(error_of(doc.dump()).find("added_tokens[0] has no content"), std::string::npos);
  doc["added_tokens"] = nlohmann::ordered_json::array({{{"id", 5}, {"content", "<|x|>"}}});
  EXPECT_NE(error_of(doc.dump()).find("also an ordinary token"), std::string::npos);
}

TEST(TokenizerJson, SparseIdsAreRefused) {
  auto doc = minimal_doc();
  doc["model"]["vocab"]["zz"] = 1000000;
  EXPECT_NE(error_of(doc.dump()).find("token ids reach"), std::string::npos);
}

TEST(TokenizerJson, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = "{\"model\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_NE(error_of(deep), "(accepted)");
}

}  // namespace
}  // namespace tally::tok
