#include <nlohmann/json.hpp>

#include "workbook_import_fixture.h"

namespace tally::data::testing {
namespace {

TEST_F(WorkbookImportTest, EveryCellTypeWithExactValues) {
  TALLY_REQUIRE_OPENPYXL();
  const auto o = import_ok(generated("types.xlsx"));
  EXPECT_EQ(o.dataset_name, "types - Types");
  EXPECT_TRUE(o.header);
  EXPECT_EQ(names(o), (Strings{"정수", "실수", "퍼센트", "원화", "불리언", "날짜", "일시", "시각", "텍스트", "코드", "오류",
                               "수식", "한국날짜"}));
  EXPECT_EQ(types(o), (Strings{"integer", "decimal", "percent", "currency", "boolean", "date", "datetime", "text",
                               "text", "text", "integer", "text", "date"}));
  EXPECT_EQ(o.columns[3].unit, "KRW");
  EXPECT_EQ(o.columns[2].unit, "%");
  EXPECT_EQ(column(o, 0), (Strings{"1", "-20", "300"}));
  EXPECT_EQ(column(o, 1), (Strings{"1.5", "2.25", "-0.75"}));
  EXPECT_EQ(column(o, 2), (Strings{"12.5", "50.0", "100.0"}));  // percentage points, as "12.5%" in a CSV
  EXPECT_EQ(column(o, 3), (Strings{"1200.0", "35000.0", "0.0"}));
  EXPECT_EQ(column(o, 4), (Strings{"1", "0", "1"}));
  EXPECT_EQ(column(o, 5), (Strings{"2026-07-01", "2024-02-29", "1999-12-31"}));
  EXPECT_EQ(column(o, 6), (Strings{"2026-07-01 09:30:15", "2024-02-29 23:59:59", "1999-12-31 00:00:00"}));
  EXPECT_EQ(column(o, 7), (Strings{"09:30:00", "18:05:07", "00:00:01"}));
  EXPECT_EQ(column(o, 8), (Strings{"사과", " 배 ", "None"}));  // "None" stays a value in a text column
  EXPECT_EQ(column(o, 9), (Strings{"00123", "00456", "00789"}));
  EXPECT_EQ(column(o, 10), (Strings{"NULL", "7", "NULL"}));
  EXPECT_EQ(column(o, 11), (Strings{"NULL", "NULL", "NULL"}));
  EXPECT_EQ(column(o, 12), (Strings{"2025-01-31", "2025-12-01", "2000-02-29"}));
  EXPECT_EQ(o.report.rows, 3);
  EXPECT_EQ(o.report.error_cells, 5);
  EXPECT_EQ(o.report.unparsed_total, 5);
  ASSERT_EQ(o.report.unparsed_cells.size(), 5u);
  EXPECT_EQ(o.report.unparsed_cells[0].cell, "K2");
  EXPECT_EQ(o.report.unparsed_cells[0].raw, "#N/A");
  EXPECT_EQ(o.report.unparsed_cells[0].column, "오류");
  EXPECT_EQ(o.report.unparsed_cells[0].line, 2);
  EXPECT_EQ(o.report.unparsed_cells[1].cell, "L2");
  EXPECT_EQ(o.report.unparsed_cells[4].cell, "L4");
  // The catalog and the report as the analysis tools read them.
  auto ds = store_->dataset(o.dataset_id);
  ASSERT_TRUE(ds);
  EXPECT_EQ(ds->row_count, 3);
  EXPECT_EQ(ds->encoding, "workbook");
  auto report = nlohmann::json::parse(ds->import_report);
  EXPECT_EQ(report["error_cells"], 5);
  EXPECT_EQ(report["unparsed_cells"][3]["cell"], "K4");
  EXPECT_EQ(report["unparsed_cells"][3]["raw"], "#DIV/0!");
  auto chunks = store_->db().query_int64("SELECT count(*) FROM dataset_column_chunks WHERE dataset_id = " +
                                         std::to_string(o.dataset_id));
  ASSERT_TRUE(chunks) << chunks.error().message;
  EXPECT_EQ(*chunks, 13);
}

TEST_F(WorkbookImportTest, TitleRowsAndAMergedTwoRowHeader) {
  TALLY_REQUIRE_OPENPYXL();
  const auto o = import_ok(generated("report.xlsx"));
  EXPECT_EQ(o.dataset_name, "report - 매출 보고서");
  EXPECT_EQ(names(o), (Strings{"지역", "품목", "2025 매출 수량", "2025 매출 금액", "비고"}));
  EXPECT_EQ(types(o), (Strings{"text", "text", "integer", "integer", "text"}));
  EXPECT_EQ(column(o, 0), (Strings{"서울", "부산", "대구"}));
  EXPECT_EQ(column(o, 2), (Strings{"10", "4", "7"}));
  EXPECT_EQ(column(o, 3), (Strings{"15000", "8800", "10500"}));
  EXPECT_EQ(column(o, 4), (Strings{"신규", "NULL", "N/A"}));
  EXPECT_EQ(o.report.unparsed_total, 0);
}

TEST_F(WorkbookImportTest, SecondSheetByNameAndByIndexAndKoreanDateFormat) {
  TALLY_REQUIRE_OPENPYXL();
  WorkbookImportOptions by_name;
  by_name.sheet_name = "요약";
  const auto o = import_ok(generated("report.xlsx"), by_name);
  EXPECT_EQ(o.dataset_name, "report - 요약");
  EXPECT_EQ(names(o), (Strings{"월", "합계"}));
  EXPECT_EQ(types(o), (Strings{"date", "integer"}));
  EXPECT_EQ(column(o, 0), (Strings{"2025-01-01", "2025-02-01"}));
  EXPECT_EQ(column(o, 1), (Strings{"100", "250"}));
  WorkbookImportOptions by_index;
  by_index.sheet_index = 2;  // the hidden sheet, chosen on purpose
  const auto h = import_ok(generated("report.xlsx"), by_index);
  EXPECT_EQ(h.dataset_name, "report - 숨김");
  EXPECT_EQ(column(h, 0), (Strings{"1"}));
}

TEST_F(WorkbookImportTest, EmptySheetMissingSheetAndReimport) {
  TALLY_REQUIRE_OPENPYXL();
  WorkbookImportOptions empty;
  empty.sheet_name = "빈 시트";
  EXPECT_NE(import_error(generated("report.xlsx"), empty).find("'빈 시트' has no cells"), std::string::npos);
  WorkbookImportOptions missing;
  missing.sheet_name = "없음";
  EXPECT_NE(import_error(generated("report.xlsx"), missing).find("no sheet named '없음'"), std::string::npos);
  WorkbookImportOptions beyond;
  beyond.sheet_index = 9;
  EXPECT_NE(import_error(generated("report.xlsx"), beyond).find("no sheet 10"), std::string::npos);
  const auto first = import_ok(generated("report.xlsx"));
  WorkbookImporter importer(*store_);
  auto again = importer.import_sheet(generated("report.xlsx"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, ImportStatus::AlreadyImported);
  EXPECT_EQ(again->dataset_id, first.dataset_id);
  WorkbookImportOptions other;
  other.sheet_name = "요약";  // another sheet of the same file is another dataset
  EXPECT_EQ(import_ok(generated("report.xlsx"), other).status, ImportStatus::Imported);
}

TEST_F(WorkbookImportTest, Dates1904AndThe1900Quirk) {
  TALLY_REQUIRE_OPENPYXL();
  const auto mac = import_ok(generated("dates1904.xlsx"));
  EXPECT_EQ(types(mac), (Strings{"date", "datetime"}));
  EXPECT_EQ(column(mac, 0), (Strings{"2024-02-29", "1904-01-02"}));
  EXPECT_EQ(column(mac, 1), (Strings{"2001-09-09 01:46:40", "1904-01-01 12:00:00"}));
  const auto quirk = import_ok(generated("quirk1900.xlsx"));
  EXPECT_EQ(types(quirk), (Strings{"integer", "date"}));
  EXPECT_EQ(column(quirk, 1), (Strings{"1900-01-01", "1900-02-28", "1900-02-28", "1900-03-01", "2025-01-01"}));
}

TEST_F(WorkbookImportTest, SparseCellsAndAnUnnamedColumn) {
  TALLY_REQUIRE_OPENPYXL();
  const auto o = import_ok(generated("sparse.xlsx"));
  EXPECT_EQ(names(o), (Strings{"name", "column_2", "score"}));
  EXPECT_EQ(column(o, 0), (Strings{"kim", "lee", "park"}));
  EXPECT_EQ(column(o, 1), (Strings{"NULL", "NULL", "note only"}));
  EXPECT_EQ(column(o, 2), (Strings{"90", "85", "70"}));
}

TEST_F(WorkbookImportTest, RangeAndHeaderRowOverrideDetection) {
  TALLY_REQUIRE_OPENPYXL();
  WorkbookImportOptions o1;
  o1.range = CellRange::parse("C4:D7");
  o1.dataset_name = "금액만";
  const auto a = import_ok(generated("report.xlsx"), o1);
  EXPECT_EQ(a.dataset_name, "금액만");
  EXPECT_EQ(names(a), (Strings{"수량", "금액"}));
  EXPECT_EQ(column(a, 1), (Strings{"15000", "8800", "10500"}));
  WorkbookImportOptions o2;
  o2.header_row = 4;  // the lower header row only
  const auto b = import_ok(generated("report.xlsx"), o2);
  EXPECT_EQ(names(b), (Strings{"column_1", "column_2", "수량", "금액", "column_5"}));
  EXPECT_EQ(b.report.rows, 3);
  WorkbookImportOptions o3;
  o3.header_row = 0;  // no header: every row of the range is data
  o3.range = CellRange::parse("A5:D7");
  const auto c = import_ok(generated("report.xlsx"), o3);
  EXPECT_FALSE(c.header);
  EXPECT_EQ(names(c), (Strings{"column_1", "column_2", "column_3", "column_4"}));
  EXPECT_EQ(column(c, 0), (Strings{"서울", "부산", "대구"}));
}

TEST_F(WorkbookImportTest, LibreOfficeWorkbooksWithCachedFormulas) {
  const auto f = import_ok(committed_workbook("lo_formulas.xlsx"));
  EXPECT_EQ(names(f), (Strings{"이름", "수량", "단가", "합계", "날짜"}));
  EXPECT_EQ(types(f), (Strings{"text", "integer", "decimal", "decimal", "date"}));
  EXPECT_EQ(column(f, 3), (Strings{"4.5", "9.0", "0.0", "NULL"}));
  EXPECT_EQ(column(f, 4), (Strings{"2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04"}));
  EXPECT_EQ(f.report.error_cells, 1);
  EXPECT_EQ(f.report.unparsed_cells.at(0).cell, "D5");
  const auto t = import_ok(committed_workbook("lo_types.xlsx"));
  EXPECT_EQ(column(t, 11), (Strings{"2", "-40", "600"}));  // LibreOffice computed and cached them
  EXPECT_EQ(column(t, 5), (Strings{"2026-07-01", "2024-02-29", "1999-12-31"}));
  const auto r = import_ok(committed_workbook("lo_report.xlsx"));
  EXPECT_EQ(names(r), (Strings{"지역", "품목", "2025 매출 수량", "2025 매출 금액", "비고"}));
}

TEST_F(WorkbookImportTest, PreviewForTheImportDialog) {
  TALLY_REQUIRE_OPENPYXL();
  auto p = WorkbookImporter::preview(generated("report.xlsx"), {}, 2);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->sheets.size(), 4u);
  EXPECT_EQ(p->sheet_index, 0u);
  EXPECT_EQ(p->header_row, 3);
  EXPECT_EQ(p->header_rows, 2);
  EXPECT_EQ(p->first_data_row, 5);
  EXPECT_EQ(p->used.to_string(), "A3:E7");
  ASSERT_EQ(p->columns.size(), 5u);
  EXPECT_EQ(p->columns[2].name, "2025 매출 수량");
  ASSERT_EQ(p->rows.size(), 2u);
  EXPECT_EQ(p->rows[0], (Strings{"서울", "사과", "10", "15000", "신규"}));
  EXPECT_EQ(p->top_first_row, 1);
  ASSERT_GE(p->top_rows.size(), 5u);
  EXPECT_EQ(p->top_rows[0], (Strings{"2025년 지역별 매출"}));
  EXPECT_TRUE(p->top_rows[1].empty());
  EXPECT_EQ(p->merged.size(), 5u);
  // Passing the detected header row back (as the dialog does) gives the same columns.
  WorkbookImportOptions again;
  again.header_row = p->header_row;
  auto q = WorkbookImporter::preview(generated("report.xlsx"), again, 2);
  ASSERT_TRUE(q) << q.error().message;
  ASSERT_EQ(q->columns.size(), 5u);
  EXPECT_EQ(q->columns[3].name, "2025 매출 금액");
  EXPECT_EQ(q->rows, p->rows);
}

TEST_F(WorkbookImportTest, ColumnTypeOverridesAndCancel) {
  TALLY_REQUIRE_OPENPYXL();
  WorkbookImportOptions o;
  o.column_types = {ColumnType::Text};
  const auto a = import_ok(generated("types.xlsx"), o);
  EXPECT_EQ(types(a)[0], "text");
  EXPECT_EQ(column(a, 0), (Strings{"1", "-20", "300"}));
}

}  // namespace
}  // namespace tally::data::testing
