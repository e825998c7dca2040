#include <gtest/gtest.h>

#include "tally/data/csv_dialect.h"
#include "tally/data/csv_parser.h"

namespace tally::data {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows parse(std::string_view text, char delim = ',') {
  auto r = parse_csv_text(text, delim);
  EXPECT_TRUE(r) << r.error().message;
  return r ? *r : Rows{};
}

// Feeds the text one byte at a time: every state must survive a chunk boundary anywhere.
Rows parse_bytewise(std::string_view text, std::vector<std::int64_t>* lines = nullptr) {
  Rows rows;
  CsvParser p(',');
  auto sink = [&](const CsvRecord& r) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < r.size(); ++i) row.emplace_back(r[i]);
    rows.push_back(row);
    if (lines) lines->push_back(r.line());
    return true;
  };
  for (char c : text) EXPECT_TRUE(p.feed(std::string_view(&c, 1), sink));
  EXPECT_TRUE(p.finish(sink));
  return rows;
}

TEST(CsvParser, PlainFieldsAndLineEndings) {
  const Rows expected{{"a", "b"}, {"1", "2"}, {"3", "4"}};
  EXPECT_EQ(parse("a,b\n1,2\n3,4\n"), expected);
  EXPECT_EQ(parse("a,b\r\n1,2\r\n3,4\r\n"), expected);
  EXPECT_EQ(parse("a,b\r1,2\r3,4"), expected);
  EXPECT_EQ(parse("a,b\n1,2\r\n3,4"), expected);
}

TEST(CsvParser, QuotedFieldsKeepDelimitersQuotesAndLineBreaks) {
  EXPECT_EQ(parse("\"a,b\",\"say \"\"hi\"\"\"\n"), (Rows{{"a,b", "say \"hi\""}}));
  EXPECT_EQ(parse("\"one\r\ntwo\",x\n"), (Rows{{"one\r\ntwo", "x"}}));
  EXPECT_EQ(parse("\"one\ntwo\rthree\",x"), (Rows{{"one\ntwo\rthree", "x"}}));
  EXPECT_EQ(parse("\"\",\"\"\n"), (Rows{{"", ""}}));
}

TEST(CsvParser, EmptyFieldsAndTrailingDelimiter) {
  EXPECT_EQ(parse("a,,c,\n"), (Rows{{"a", "", "c", ""}}));
  EXPECT_EQ(parse(",\n"), (Rows{{"", ""}}));
}

TEST(CsvParser, BlankLinesAreSkipped) { EXPECT_EQ(parse("a\n\n\r\nb\n\n"), (Rows{{"a"}, {"b"}})); }

TEST(CsvParser, SpacesAreData) { EXPECT_EQ(parse("  a  , b\n"), (Rows{{"  a  ", " b"}})); }

TEST(CsvParser, StrayQuotesAreKeptLeniently) {
  EXPECT_EQ(parse("ab\"c,d\n"), (Rows{{"ab\"c", "d"}}));
  EXPECT_EQ(parse("\"ab\"c,d\n"), (Rows{{"abc", "d"}}));
}

TEST(CsvParser, UnterminatedQuoteIsAnErrorNamingTheLine) {
  auto r = parse_csv_text("a,b\n1,2\n3,\"open\nmore\n");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("line 3"), std::string::npos) << r.error().message;
}

TEST(CsvParser, ByteAtATimeMatchesWholeText) {
  const std::string text = "h1,h2\r\n\"q,1\",\"x\"\"y\"\r\n\"multi\r\nline\",z\rlast,\"\"\n";
  EXPECT_EQ(parse_bytewise(text), parse(text));
}

TEST(CsvParser, RecordsKnowTheirStartingLine) {
  std::vector<std::int64_t> lines;
  parse_bytewise("a\n\"b\r\nc\"\n\nd\re\r\nf", &lines);
  EXPECT_EQ(lines, (std::vector<std::int64_t>{1, 2, 5, 6, 7}));
}

TEST(CsvParser, OtherDelimiters) {
  EXPECT_EQ(parse("a;b\n\"x;y\";z\n", ';'), (Rows{{"a", "b"}, {"x;y", "z"}}));
  EXPECT_EQ(parse("a\tb\n", '\t'), (Rows{{"a", "b"}}));
  EXPECT_EQ(parse("a|b\n", '|'), (Rows{{"a", "b"}}));
}

TEST(CsvParser, SinkCanStopEarly) {
  CsvParser p(',');
  int seen = 0;
  auto r = p.feed("1\n2\n3\n", [&](const CsvRecord&) { return ++seen < 2; });
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);
  EXPECT_EQ(seen, 2);
}

TEST(CsvParser, OverlongRecordIsAnError) {
  CsvParser p(',', 1 << 20);
  std::string big(3 << 20, 'x');
  auto r = p.feed("\"" + big, [](const CsvRecord&) { return true; });
  EXPECT_FALSE(r);
}

TEST(DelimiterDetection, PicksTheConsistentOne) {
  EXPECT_EQ(detect_delimiter("a,b,c\n1,2,3\n4,5,6\n", true), ',');
  EXPECT_EQ(detect_delimiter("a;b\n1,5;2,5\n3,5;4\n", true), ';');
  EXPECT_EQ(detect_delimiter("name\tnote\nx\thas, comma\ny\tplain\n", true), '\t');
  EXPECT_EQ(detect_delimiter("a|b\n1|2\n", true), '|');
  EXPECT_EQ(detect_delimiter("single\ncolumn\n", true), ',');
  EXPECT_EQ(detect_delimiter("a;b;c\n\"x;y\";2;3\n", true), ';');
}

TEST(HeaderDetection, TypedColumnsWithTextFirstCell) {
  std::vector<ColumnChoice> rest{{ColumnType::Integer, "", false}, {ColumnType::Text, "", false}};
  EXPECT_TRUE(looks_like_header({"id", "name"}, rest));
  EXPECT_FALSE(looks_like_header({"1", "Alice"}, rest));
  std::vector<ColumnChoice> text{{ColumnType::Text, "", false}, {ColumnType::Text, "", false}};
  EXPECT_TRUE(looks_like_header({"city", "note"}, text));
  EXPECT_FALSE(looks_like_header({"x", "x"}, text));
  EXPECT_FALSE(looks_like_header({"x", ""}, text));
}

}  // namespace
}  // namespace tally::data
