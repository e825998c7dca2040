// UTF-8 checking as Rust does it: the parser's U+FFFD placement depends on these exact answers.
#include <gtest/gtest.h>

#include "harmony/utf8_text.h"

namespace tally::harmony {
namespace {

TEST(Utf8Text, ValidText) {
  auto c = check_utf8("h\xC3\xA9llo \xF0\x9F\x92\x96");
  EXPECT_EQ(c.valid_up_to, 11u);
  EXPECT_FALSE(c.error_len);
}

TEST(Utf8Text, TruncatedSequenceIsIncompleteNotAnError) {
  auto c = check_utf8("ab\xF0\x9F\x92");
  EXPECT_EQ(c.valid_up_to, 2u);
  EXPECT_FALSE(c.error_len);
}

TEST(Utf8Text, ErrorLengthIsTheMaximalSubpart) {
  EXPECT_EQ(check_utf8("\xF0\x9F\x92x").error_len, 3u);
  EXPECT_EQ(check_utf8("\xE2x").error_len, 1u);
  EXPECT_EQ(check_utf8("\x80").error_len, 1u);
  EXPECT_EQ(check_utf8("\xC0\x80").error_len, 1u);      // overlong lead byte
  EXPECT_EQ(check_utf8("\xED\xA0\x80").error_len, 1u);  // surrogate
  EXPECT_EQ(check_utf8("\xF4\x90\x80\x80").error_len, 1u);  // past U+10FFFF
}

TEST(Utf8Text, LossyReplacesEachBadSequenceOnce) {
  EXPECT_EQ(utf8_lossy("a\xF0\x9F\x92x\xFF"), "a\xEF\xBF\xBDx\xEF\xBF\xBD");
  EXPECT_EQ(utf8_lossy("end\xE2\x82"), "end\xEF\xBF\xBD");
}

TEST(Utf8Text, TrimUsesUnicodeWhitespace) {
  EXPECT_EQ(trim_unicode_whitespace("\xC2\xA0 \t x y\n\xE3\x80\x80"), "x y");
  EXPECT_EQ(trim_unicode_whitespace("   "), "");
}

}  // namespace
}  // namespace tally::harmony
