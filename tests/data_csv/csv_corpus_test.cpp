// One test per file of the nasty-CSV corpus (tests/data/data_csv): the schema and values each must produce.
#include "import_fixture.h"

namespace tally::data::testing {
namespace {

using Strings = std::vector<std::string>;
using CsvCorpus = ImportTest;

TEST_F(CsvCorpus, Basic) {
  auto o = import_ok(corpus("basic.csv"));
  EXPECT_EQ(o.table_name, "basic");
  EXPECT_EQ(o.dataset_name, "basic");
  EXPECT_TRUE(o.header);
  EXPECT_EQ(o.delimiter, ',');
  EXPECT_EQ(o.encoding, "UTF-8");
  EXPECT_EQ(types(o), (Strings{"integer", "text", "decimal"}));
  EXPECT_EQ(column(o, "name"), (Strings{"Alice", "Bob", "Carol"}));
  EXPECT_EQ(column(o, "score"), (Strings{"90.5", "85.0", "77.25"}));
  EXPECT_EQ(typeof_value(o, "id", 1), "integer");
  auto ds = store_->dataset(o.dataset_id);
  ASSERT_TRUE(ds);
  EXPECT_EQ(ds->row_count, 3);
  EXPECT_EQ(ds->delimiter, ",");
  EXPECT_EQ(ds->file_hash.size(), 64u);
}

TEST_F(CsvCorpus, QuotesDoubledQuotesAndEmbeddedLineBreaksKeptExactly) {
  auto o = import_ok(corpus("quotes.csv"));
  EXPECT_EQ(column(o, "comment"), (Strings{"Hello, world", "She said \"yes\"", "line one\r\nline two", "unix\nbreak",
                                           "  padded text  ", "NULL", "NULL"}));
  EXPECT_EQ(column(o, "tag"), (Strings{"a", "b", "c", "d", "e", "f", "g"}));
}

TEST_F(CsvCorpus, OldMacLineEndings) {
  auto o = import_ok(corpus("line_endings_cr.csv"));
  EXPECT_EQ(column(o, "b"), (Strings{"x", "y", "z"}));
}

TEST_F(CsvCorpus, MixedLineEndings) {
  auto o = import_ok(corpus("line_endings_mixed.csv"));
  EXPECT_EQ(column(o, "a"), (Strings{"1", "2", "3"}));
}

TEST_F(CsvCorpus, EveryTypeAndUnit) {
  auto o = import_ok(corpus("types.csv"));
  EXPECT_EQ(types(o), (Strings{"integer", "decimal", "percent", "currency", "currency", "currency", "boolean", "date",
                               "date", "date", "date", "month", "month", "month", "date", "datetime", "text",
                               "text"}));
  auto cols = catalog_columns(o);
  ASSERT_EQ(cols.size(), 18u);
  EXPECT_EQ(cols[2].unit, "%");
  EXPECT_EQ(cols[3].unit, "KRW");
  EXPECT_EQ(cols[4].unit, "KRW");
  EXPECT_EQ(cols[5].unit, "USD");
  EXPECT_EQ(cols[0].type, "integer");
  EXPECT_EQ(column(o, "amount"), (Strings{"1234.5", "-7.0", "1000000.0", "NULL"}));
  EXPECT_EQ(column(o, "pct"), (Strings{"12.5", "0.5", "100.0", "NULL"}));
  EXPECT_EQ(column(o, "krw"), (Strings{"1200.0", "0.0", "12345.0", "NULL"}));
  EXPECT_EQ(column(o, "won"), (Strings{"1200.0", "300.0", "12000.0", "NULL"}));
  EXPECT_EQ(column(o, "usd"), (Strings{"3.5", "10.0", "0.99", "NULL"}));
  EXPECT_EQ(column(o, "flag"), (Strings{"1", "0", "1", "NULL"}));
  for (const char* c : {"iso", "slash", "dot", "us", "kdate"}) {
    EXPECT_EQ(column(o, c), (Strings{"2026-07-01", "2026-12-31", "2024-02-29", "NULL"})) << c;
  }
  for (const char* c : {"month", "kmonth", "enmonth"}) {
    EXPECT_EQ(column(o, c), (Strings{"2026-07", "2026-12", "2024-02", "NULL"})) << c;
  }
  EXPECT_EQ(column(o, "stamp"), (Strings{"2026-07-01 09:30:00", "2026-12-31 23:59:59", "2024-02-29 00:00:00", "NULL"}));
  EXPECT_EQ(column(o, "code"), (Strings{"00123", "00456", "01000", "NULL"}));  // leading zeros kept: text
  EXPECT_EQ(column(o, "remark"), (Strings{"None", "null", "N/A", "NULL"}));    // markers are text in text columns
  EXPECT_EQ(o.report.unparsed_total, 0);
}

TEST_F(CsvCorpus, UnparsableNumbersBecomeNullAndAreReportedWithLines) {
  auto o = import_ok(corpus("numbers_with_na.csv"));
  EXPECT_EQ(types(o), (Strings{"text", "integer"}));
  auto sales = column(o, "sales");
  EXPECT_EQ(sales[0], "100");
  EXPECT_EQ(sales[1], "NULL");
  EXPECT_EQ(sales[3], "NULL");
  ASSERT_EQ(o.report.unparsed_cells.size(), 2u);
  EXPECT_EQ(o.report.unparsed_cells[0].line, 3);
  EXPECT_EQ(o.report.unparsed_cells[0].raw, "N/A");
  EXPECT_EQ(o.report.unparsed_cells[0].column, "sales");
  EXPECT_EQ(o.report.unparsed_cells[1].line, 5);
  EXPECT_EQ(o.report.unparsed_cells[1].raw, "unknown");
  auto ds = store_->dataset(o.dataset_id);
  EXPECT_NE(ds->import_report.find("\"unknown\""), std::string::npos);
}

TEST_F(CsvCorpus, UnterminatedQuoteFailsAndLeavesNothing) {
  auto message = import_error(corpus("unterminated_quote.csv"));
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("unterminated_quote.csv"), std::string::npos) << message;
  EXPECT_TRUE(store_->list_datasets()->empty());
}

TEST_F(CsvCorpus, BinaryJunkIsRefused) {
  auto message = import_error(corpus("binary_junk.bin"));
  EXPECT_NE(message.find("binary"), std::string::npos) << message;
}

TEST_F(CsvCorpus, EmptyFileIsRefused) {
  auto message = import_error(corpus("empty.csv"));
  EXPECT_NE(message.find("empty"), std::string::npos) << message;
}

TEST_F(CsvCorpus, HeaderOnlyGivesAnEmptyTextTable) {
  auto o = import_ok(corpus("header_only.csv"));
  EXPECT_EQ(types(o), (Strings{"text", "text", "text"}));
  EXPECT_EQ(o.columns[1].name, "beta");
  EXPECT_EQ(o.report.rows, 0);
  EXPECT_TRUE(column(o, "alpha").empty());
}

TEST_F(CsvCorpus, OneColumn) {
  auto o = import_ok(corpus("one_column.csv"));
  ASSERT_EQ(o.columns.size(), 1u);
  EXPECT_EQ(column(o, "city"), (Strings{"Seoul", "Busan", "Daegu"}));
}

TEST_F(CsvCorpus, BomAndSemicolonsWithKoreanHeaders) {
  auto o = import_ok(corpus("bom_semicolon.csv"));
  EXPECT_EQ(o.delimiter, ';');
  EXPECT_EQ(o.encoding, "UTF-8");
  ASSERT_EQ(o.columns.size(), 3u);
  EXPECT_EQ(o.columns[0].name, "지역");  // the BOM is not part of the first header
  EXPECT_EQ(o.columns[0].sql_name, "지역");
  EXPECT_EQ(types(o), (Strings{"text", "integer", "text"}));
  EXPECT_EQ(column(o, "비고"), (Strings{"세미콜론; 포함", "일반"}));
}

TEST_F(CsvCorpus, Cp949Korean) {
  auto o = import_ok(corpus("cp949_korean.csv"));
  EXPECT_EQ(o.encoding, "CP949");
  EXPECT_EQ(column(o, "지역"), (Strings{"서울", "부산", "대구"}));
  EXPECT_EQ(column(o, "메모"), (Strings{"매출이 증가했습니다", "비용 감소", "쉼표, 포함"}));
  EXPECT_EQ(types(o), (Strings{"text", "integer", "text"}));
}

TEST_F(CsvCorpus, Utf16LittleEndianWithBomAndTabs) {
  auto o = import_ok(corpus("utf16le_bom.csv"));
  EXPECT_EQ(o.encoding, "UTF-16LE");
  EXPECT_EQ(o.delimiter, '\t');
  EXPECT_EQ(column(o, "name"), (Strings{"가나다", "abc"}));
  EXPECT_EQ(column(o, "value"), (Strings{"1", "2"}));
}

TEST_F(CsvCorpus, Utf16BigEndianWithoutBom) {
  auto o = import_ok(corpus("utf16be_nobom.csv"));
  EXPECT_EQ(o.encoding, "UTF-16BE");
  EXPECT_EQ(column(o, "name"), (Strings{"x", "y"}));
}

TEST_F(CsvCorpus, RaggedRowsAreReportedWithLines) {
  auto o = import_ok(corpus("ragged.csv"));
  EXPECT_EQ(column(o, "c"), (Strings{"3", "NULL", "8", "12"}));
  ASSERT_EQ(o.report.ragged_rows.size(), 2u);
  EXPECT_EQ(o.report.ragged_rows[0].line, 3);
  EXPECT_EQ(o.report.ragged_rows[0].fields, 2u);
  EXPECT_EQ(o.report.ragged_rows[1].line, 4);
  EXPECT_EQ(o.report.ragged_rows[1].fields, 4u);
  EXPECT_EQ(o.report.ragged_rows[1].expected, 3u);
}

TEST_F(CsvCorpus, TabAndPipeDelimiters) {
  auto tab = import_ok(corpus("tab.tsv"));
  EXPECT_EQ(tab.delimiter, '\t');
  EXPECT_EQ(column(tab, "note"), (Strings{"has, comma", "plain"}));
  auto pipe = import_ok(corpus("pipe.csv"));
  EXPECT_EQ(pipe.delimiter, '|');
  EXPECT_EQ(column(pipe, "qty"), (Strings{"3", "5"}));
}

TEST_F(CsvCorpus, NoHeaderWhenTheFirstRowIsData) {
  auto o = import_ok(corpus("no_header.csv"));
  EXPECT_FALSE(o.header);
  EXPECT_EQ(types(o), (Strings{"integer", "decimal", "date"}));
  EXPECT_EQ(o.columns[0].sql_name, "column_1");
  EXPECT_EQ(column(o, "column_1"), (Strings{"1", "2", "3"}));
}

TEST_F(CsvCorpus, HeaderOverride) {
  CsvImportOptions opts;
  opts.header = HeaderMode::Absent;
  auto o = import_ok(corpus("one_column.csv"), opts);
  EXPECT_EQ(column(o, "column_1"), (Strings{"city", "Seoul", "Busan", "Daegu"}));
}

TEST_F(CsvCorpus, BlankLinesSkipped) {
  auto o = import_ok(corpus("blank_lines.csv"));
  EXPECT_EQ(column(o, "b"), (Strings{"x", "y"}));
}

TEST_F(CsvCorpus, DayFirstDates) {
  auto o = import_ok(corpus("day_first_dates.csv"));
  EXPECT_EQ(o.columns[0].sql_name, "when_");  // an SQL keyword
  EXPECT_EQ(column(o, "when_"), (Strings{"2026-07-01", "2026-07-13", "2026-12-25"}));
}

TEST_F(CsvCorpus, KoreanBooleans) {
  auto o = import_ok(corpus("booleans_korean.csv"));
  EXPECT_EQ(types(o), (Strings{"integer", "boolean"}));
  EXPECT_EQ(column(o, "agree"), (Strings{"1", "0", "1"}));
}

TEST_F(CsvCorpus, DuplicateEmptyAndKeywordHeadersGetSafeDistinctNames) {
  auto o = import_ok(corpus("duplicate_headers.csv"));
  ASSERT_EQ(o.columns.size(), 4u);
  EXPECT_EQ(o.columns[0].sql_name, "name");
  EXPECT_EQ(o.columns[1].sql_name, "name_2");
  EXPECT_EQ(o.columns[2].sql_name, "column_3");
  EXPECT_EQ(o.columns[3].sql_name, "order_");
  EXPECT_EQ(o.columns[3].name, "Order");
}

}  // namespace
}  // namespace tally::data::testing
