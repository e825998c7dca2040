// Tokenizer::from_tiktoken on small hand-written files: the line format and how errors name file and line.
#include <gtest/gtest.h>

#include <fstream>

#include "fixtures.h"
#include "tokenizer/tokenizer.h"

namespace tally::tok {
namespace {

std::string base64(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out.push_back(kAlphabet[(v >> k) & 63]);
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

// All 256 bytes as ranks 0..255, then `extra` lines verbatim.
std::string write_tiktoken(const std::string& name, const std::string& extra) {
  const std::string path = ::tally::testing::scratch_dir("tiktoken_file_test") + "/" + name;
  std::ofstream out(path, std::ios::binary);
  for (int b = 0; b < 256; ++b) out << base64(std::string(1, static_cast<char>(b))) << ' ' << b << '\n';
  out << extra;
  return path;
}

TEST(TiktokenFile, SmallVocabularyWithMerges) {
  const std::string path = write_tiktoken("small.tiktoken", base64("ab") + " 256\n" + base64("abc") + " 257\r\n\n");
  auto t = Tokenizer::from_tiktoken(path);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->rank_count(), 258);
  EXPECT_EQ(t->encode("abc abd"), (std::vector<TokenId>{257, ' ', 256, 'd'}));
  // The harmony specials keep their fixed ids whatever the base vocabulary is.
  EXPECT_EQ(t->special_id("<|start|>"), Tokenizer::kStart);
}

TEST(TiktokenFile, BadBase64NamesTheLine) {
  auto t = Tokenizer::from_tiktoken(write_tiktoken("bad64.tiktoken", "@@@ 256\n"));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("bad64.tiktoken:257: bad base64"), std::string::npos) << t.error().message;
}

TEST(TiktokenFile, BadRankNamesTheLine) {
  auto t = Tokenizer::from_tiktoken(write_tiktoken("badrank.tiktoken", base64("ab") + " 25x\n"));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("badrank.tiktoken:257: bad rank"), std::string::npos) << t.error().message;
}

TEST(TiktokenFile, MissingRankIsAnError) {
  auto t = Tokenizer::from_tiktoken(write_tiktoken("norank.tiktoken", base64("ab") + "\n"));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("norank.tiktoken:257"), std::string::npos) << t.error().message;
}

TEST(TiktokenFile, RepeatedRankIsAnError) {
  auto t = Tokenizer::from_tiktoken(write_tiktoken("dup.tiktoken", base64("ab") + " 5\n"));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("appears twice"), std::string::npos) << t.error().message;
}

TEST(TiktokenFile, RankInTheSpecialRangeIsAnError) {
  auto t = Tokenizer::from_tiktoken(write_tiktoken("special.tiktoken", base64("ab") + " 200006\n"));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("harmony specials"), std::string::npos) << t.error().message;
}

TEST(TiktokenFile, EmptyFileOrFolderIsAnError) {
  auto t = Tokenizer::from_tiktoken(::tally::testing::scratch_dir("tiktoken_file_test_folder"));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("tiktoken_file_test_folder"), std::string::npos) << t.error().message;
}

TEST(TiktokenFile, MissingByteIsAnError) {
  const std::string path = ::tally::testing::scratch_dir("tiktoken_file_test_bytes") + "/few.tiktoken";
  std::ofstream(path) << base64("a") << " 0\n";
  auto t = Tokenizer::from_tiktoken(path);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("single byte 0x00"), std::string::npos) << t.error().message;
}

}  // namespace
}  // namespace tally::tok
