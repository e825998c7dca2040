// The hand-written o200k pre-tokenizer, rule by rule, and against a backtracking regex engine's splits.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fixtures.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/unicode_class.h"

namespace tally::tok {
namespace {

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  for (std::string_view p : split_pieces(text)) out.emplace_back(p);
  return out;
}
using Pieces = std::vector<std::string>;

TEST(Pretokenizer, MatchesRegexEngineOnGeneratedCases) {
  const auto doc = nlohmann::json::parse(
      ::tally::testing::read_file(::tally::testing::test_data_dir() + "/tokenizer/pretok_cases.json"));
  size_t checked = 0;
  for (const auto& c : doc.at("cases")) {
    const std::string text = c.at("text").get<std::string>();
    EXPECT_EQ(split(text), c.at("pieces").get<Pieces>()) << "text: " << text;
    ++checked;
  }
  EXPECT_GE(checked, 600u);
}

TEST(Pretokenizer, SpaceJoinsTheFollowingWord) { EXPECT_EQ(split("Hello world"), (Pieces{"Hello", " world"})); }

TEST(Pretokenizer, WhitespaceRunLeavesItsLastSpaceToTheNextWord) {
  // \s+(?!\S): the run stops one short so " and" keeps its space.
  EXPECT_EQ(split("a   and"), (Pieces{"a", "  ", " and"}));
  EXPECT_EQ(split("a \tb"), (Pieces{"a", " ", "\tb"}));
}

TEST(Pretokenizer, TrailingWhitespaceIsOnePiece) { EXPECT_EQ(split("end   "), (Pieces{"end", "   "})); }

TEST(Pretokenizer, SingleSpaceBeforeDigitsStandsAlone) { EXPECT_EQ(split("a 12"), (Pieces{"a", " ", "12"})); }

TEST(Pretokenizer, NewlinesEndTheWhitespacePiece) {
  EXPECT_EQ(split("a\n\n\nb"), (Pieces{"a", "\n\n\n", "b"}));
  EXPECT_EQ(split("x  \r\n  y"), (Pieces{"x", "  \r\n", " ", " y"}));
  EXPECT_EQ(split("Line1\rLine2"), (Pieces{"Line", "1", "\r", "Line", "2"}));
}

TEST(Pretokenizer, DigitsGroupInThrees) { EXPECT_EQ(split("1234567"), (Pieces{"123", "456", "7"})); }

TEST(Pretokenizer, NonAsciiDigitsAreNumbers) {
  EXPECT_EQ(split("\xD9\xA1\xD9\xA2\xD9\xA3\xD9\xA4"), (Pieces{"\xD9\xA1\xD9\xA2\xD9\xA3", "\xD9\xA4"}));  // ١٢٣٤
}

TEST(Pretokenizer, ContractionsAttachCaseInsensitively) {
  EXPECT_EQ(split("don't"), (Pieces{"don't"}));
  EXPECT_EQ(split("DON'T"), (Pieces{"DON'T"}));
  EXPECT_EQ(split("they'll've"), (Pieces{"they'll", "'ve"}));
  EXPECT_EQ(split("we'Re"), (Pieces{"we'Re"}));
  EXPECT_EQ(split("it'x"), (Pieces{"it", "'x"}));
}

TEST(Pretokenizer, LongSFoldsToSInContractions) {
  EXPECT_EQ(split("it'\xC5\xBF"), (Pieces{"it'\xC5\xBF"}));  // it'ſ
}

TEST(Pretokenizer, CamelCaseSplitsBeforeTheUpperCaseRun) {
  EXPECT_EQ(split("camelCase"), (Pieces{"camel", "Case"}));
  EXPECT_EQ(split("HTTPServer"), (Pieces{"HTTPServer"}));
  EXPECT_EQ(split("ABC"), (Pieces{"ABC"}));
}

TEST(Pretokenizer, PunctuationTakesOneLeadingSpaceAndTrailingNewlines) {
  EXPECT_EQ(split("a !!\n\nb"), (Pieces{"a", " !!\n\n", "b"}));
  EXPECT_EQ(split("x //y"), (Pieces{"x", " //", "y"}));
}

TEST(Pretokenizer, CombiningMarksStayWithTheirLetters) {
  EXPECT_EQ(split("e\xCC\x81t\xC3\xA9"), (Pieces{"e\xCC\x81t\xC3\xA9"}));  // é (combining) té
  EXPECT_EQ(split(" \xCC\x81"), (Pieces{" \xCC\x81"}));                    // a lone mark after a space
}

TEST(Pretokenizer, HangulWordsKeepTheirLeadingSpace) {
  EXPECT_EQ(split("\xEC\x84\x9C\xEC\x9A\xB8 \xEC\xA7\x80\xEC\x97\xAD"),  // 서울 지역
            (Pieces{"\xEC\x84\x9C\xEC\x9A\xB8", " \xEC\xA7\x80\xEC\x97\xAD"}));
}

TEST(Pretokenizer, InvalidBytesArePiecesOfTheirOwn) {
  EXPECT_EQ(split("ab\xFF" "cd"), (Pieces{"ab", "\xFF", "cd"}));
  EXPECT_EQ(split("\xE2\x82"), (Pieces{"\xE2", "\x82"}));       // truncated sequence
  EXPECT_EQ(split("\xC0\xAF"), (Pieces{"\xC0", "\xAF"}));       // overlong '/'
  EXPECT_EQ(split("\xED\xA0\x80"), (Pieces{"\xED", "\xA0", "\x80"}));  // UTF-16 surrogate
  // The lookahead treats an invalid byte as non-space, like any other character.
  EXPECT_EQ(split("  \xFF"), (Pieces{" ", " ", "\xFF"}));
}

TEST(Pretokenizer, EmptyTextHasNoPieces) { EXPECT_TRUE(split("").empty()); }

TEST(UnicodeClass, CategoriesFromTheTables) {
  EXPECT_EQ(char_class('A'), CharClass::kUpper);
  EXPECT_EQ(char_class(0x01C5), CharClass::kUpper);  // ǅ titlecase
  EXPECT_EQ(char_class('z'), CharClass::kLower);
  EXPECT_EQ(char_class(0xAC00), CharClass::kLetter);  // 가 (Lo)
  EXPECT_EQ(char_class(0x02B0), CharClass::kLetter);  // ʰ (Lm)
  EXPECT_EQ(char_class(0x0301), CharClass::kMark);
  EXPECT_EQ(char_class(0x0903), CharClass::kMark);  // Mc
  EXPECT_EQ(char_class('7'), CharClass::kNumber);
  EXPECT_EQ(char_class(0x2160), CharClass::kNumber);  // Ⅰ (Nl)
  EXPECT_EQ(char_class(0x00BD), CharClass::kNumber);  // ½ (No)
  EXPECT_EQ(char_class(0x3000), CharClass::kSpace);
  EXPECT_EQ(char_class(0x0085), CharClass::kSpace);
  EXPECT_EQ(char_class(0x200B), CharClass::kOther);  // zero width space is not White_Space
  EXPECT_EQ(char_class(0x1F680), CharClass::kOther);
  EXPECT_EQ(char_class(0x10FFFF), CharClass::kOther);
  EXPECT_EQ(char_class(0x110000), CharClass::kInvalid);
  // Unicode 15.0 additions (absent from older tables): U+1E030 MODIFIER LETTER CYRILLIC SMALL A, U+11F00 KAWI SIGN.
  EXPECT_EQ(char_class(0x1E030), CharClass::kLetter);
  EXPECT_EQ(char_class(0x11F00), CharClass::kMark);
}

}  // namespace
}  // namespace tally::tok
