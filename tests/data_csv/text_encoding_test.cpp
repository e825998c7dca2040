#include <gtest/gtest.h>

#include "tally/data/text_encoding.h"

namespace tally::data {
namespace {

std::string decode_all(const std::string& encoding, std::string_view bytes, std::size_t chunk) {
  auto d = TextDecoder::create(encoding);
  EXPECT_TRUE(d);
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += chunk) {
    const bool last = i + chunk >= bytes.size();
    auto s = d->decode(bytes.substr(i, chunk), out, last);
    EXPECT_TRUE(s) << s.error().message;
  }
  return out;
}

const std::string kCp949 = "\xC1\xF6\xBF\xAA,\xB8\xC5\xC3\xE2\n";  // "지역,매출\n"

TEST(EncodingDetection, ByteOrderMarks) {
  EXPECT_EQ(detect_encoding("\xEF\xBB\xBF" "a,b", true)->name, "UTF-8");
  EXPECT_EQ(detect_encoding("\xEF\xBB\xBF" "a,b", true)->bom_length, 3u);
  EXPECT_EQ(detect_encoding(std::string("\xFF\xFE" "a\0", 4), true)->name, "UTF-16LE");
  EXPECT_EQ(detect_encoding(std::string("\xFE\xFF\0a", 4), true)->name, "UTF-16BE");
}

TEST(EncodingDetection, Utf16WithoutBomByNulPattern) {
  EXPECT_EQ(detect_encoding(std::string("a\0,\0b\0\n\0", 8), true)->name, "UTF-16LE");
  EXPECT_EQ(detect_encoding(std::string("\0a\0,\0b\0\n", 8), true)->name, "UTF-16BE");
}

TEST(EncodingDetection, Utf8AndCp949) {
  EXPECT_EQ(detect_encoding("지역,매출\n", true)->name, "UTF-8");
  EXPECT_EQ(detect_encoding(kCp949, true)->name, "CP949");
  // A UTF-8 sample cut in the middle of a character is still UTF-8.
  const std::string cut = std::string("ab지").substr(0, 4);
  EXPECT_EQ(detect_encoding(cut, false)->name, "UTF-8");
}

TEST(EncodingDetection, BinaryIsRefused) {
  EXPECT_FALSE(detect_encoding(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), true));
  EXPECT_FALSE(detect_encoding("\xFF\xFF\xFF\xC0\xC0", true));
}

TEST(TextDecoder, Cp949AcrossChunkBoundaries) {
  for (std::size_t chunk : {1u, 2u, 3u, 5u, 100u}) EXPECT_EQ(decode_all("CP949", kCp949, chunk), "지역,매출\n");
  EXPECT_EQ(decode_all("euc-kr", kCp949, 1), "지역,매출\n");
}

TEST(TextDecoder, Utf16AcrossChunkBoundaries) {
  const std::string le("\x00\xAC" "a\x00", 4);  // "가a"
  for (std::size_t chunk : {1u, 3u}) EXPECT_EQ(decode_all("UTF-16LE", le, chunk), "가a");
}

TEST(TextDecoder, Utf8ValidatedAcrossChunks) {
  const std::string text = "서울, ok ✓";
  for (std::size_t chunk : {1u, 2u, 7u}) EXPECT_EQ(decode_all("UTF-8", text, chunk), text);
  auto d = TextDecoder::create("UTF-8");
  std::string out;
  auto s = d->decode("ab\xFF" "cd", out, true);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("offset 2"), std::string::npos) << s.error().message;
}

TEST(TextDecoder, UnknownEncodingIsAnError) { EXPECT_FALSE(TextDecoder::create("no-such-encoding-xyz")); }

TEST(Utf8Prefix, RejectsOverlongsAndSurrogates) {
  EXPECT_EQ(valid_utf8_prefix("\xC0\x80"), 0u);
  EXPECT_EQ(valid_utf8_prefix("a\xED\xA0\x80"), 1u);
  EXPECT_EQ(valid_utf8_prefix("\xF0\x9F\x98\x80"), 4u);
}

}  // namespace
}  // namespace tally::data
