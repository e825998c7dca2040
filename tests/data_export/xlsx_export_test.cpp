// .xlsx export, read back by openpyxl: typed cells, dates, formats, the bold frozen header, widths, splitting.
#include <gtest/gtest.h>

#include <filesystem>

#include "export_fixture.h"
#include "tally/data/export.h"

using namespace tally::data;
using tally::testing::make_typed_store;
using tally::testing::read_xlsx;

namespace {

#define READ_OR_SKIP(var, path)                                       \
  bool skip_ = false;                                                 \
  nlohmann::json var = read_xlsx(path, skip_);                        \
  if (skip_) GTEST_SKIP() << "python3-openpyxl is not installed";     \
  ASSERT_TRUE(var.is_array()) << "openpyxl could not read " << path

TEST(XlsxExport, DatasetCellsKeepTheirTypesAndDatesAreExcelDates) {
  auto ts = make_typed_store("xlsx_types");
  const std::string out = ts.dir + "/out.xlsx";
  auto r = export_dataset(ts.store.db(), ts.dataset_id, out);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rows, 3);
  ASSERT_EQ(r->sheet_names.size(), 1u);
  READ_OR_SKIP(book, out);
  ASSERT_EQ(book.size(), 1u);
  const auto& s = book[0];
  EXPECT_EQ(s["name"], "매출 sales");
  const auto& rows = s["rows"];
  ASSERT_EQ(rows.size(), 4u);
  const auto& row1 = rows[1];
  EXPECT_EQ(row1[0]["t"], "number");
  EXPECT_EQ(row1[0]["v"], 1);
  EXPECT_EQ(row1[1]["v"], 10.5);
  // Percent: stored 12.5 (unit %) is Excel's 0.125 shown with a % format.
  EXPECT_EQ(row1[2]["t"], "number");
  EXPECT_DOUBLE_EQ(row1[2]["v"].get<double>(), 0.125);
  EXPECT_EQ(row1[2]["fmt"], "0.00%");
  EXPECT_EQ(row1[3]["v"], 1200);
  EXPECT_NE(row1[3]["fmt"].get<std::string>().find("#,##0"), std::string::npos);
  EXPECT_EQ(row1[4]["t"], "bool");
  EXPECT_EQ(row1[4]["v"], true);
  EXPECT_EQ(row1[5]["t"], "datetime");  // openpyxl reads every Excel date as a datetime
  EXPECT_EQ(row1[5]["v"], "2026-07-01 00:00:00");
  EXPECT_EQ(row1[5]["fmt"], "yyyy-mm-dd");
  EXPECT_EQ(row1[6]["v"], "2026-07-01 09:30:00");
  EXPECT_EQ(row1[6]["fmt"], "yyyy-mm-dd hh:mm:ss");
  EXPECT_EQ(row1[7]["v"], "2026-07-01 00:00:00");
  EXPECT_EQ(row1[7]["fmt"], "yyyy-mm");
  EXPECT_EQ(row1[8]["t"], "text");  // a code that looks like a number stays text
  EXPECT_EQ(row1[8]["v"], "00123");
  EXPECT_EQ(row1[9]["v"], "서울 지점");
  EXPECT_EQ(rows[2][1]["t"], "empty");  // NULL is an empty cell
  EXPECT_EQ(rows[2][4]["v"], false);
  EXPECT_EQ(rows[3][6]["v"], "2000-02-29 00:00:00");
  EXPECT_EQ(rows[3][9]["v"], "comma, \"quoted\"");
}

TEST(XlsxExport, HeaderRowIsBoldAndFrozenAndWidthsFollowTheContent) {
  auto ts = make_typed_store("xlsx_header");
  const std::string out = ts.dir + "/out.xlsx";
  ASSERT_TRUE(export_dataset(ts.store.db(), ts.dataset_id, out).ok());
  READ_OR_SKIP(book, out);
  const auto& s = book[0];
  EXPECT_EQ(s["freeze"], "A2");
  for (const auto& cell : s["rows"][0]) EXPECT_TRUE(cell["bold"].get<bool>());
  EXPECT_EQ(s["rows"][0][0]["v"], "id");
  EXPECT_FALSE(s["rows"][1][0]["bold"].get<bool>());
  // "comma, "quoted"" (16 columns wide) is wider than "id"; Korean counts double: "서울 지점" is 9 wide.
  const double name_w = s["widths"]["J"].get<double>();
  const double id_w = s["widths"]["A"].get<double>();
  EXPECT_GT(name_w, id_w);
  EXPECT_GE(name_w, 16.0);
}

TEST(XlsxExport, RowsBeyondTheSheetLimitGoOnInFurtherSheetsWithTheHeader) {
  ExportTable t;
  t.name = "Long";
  t.columns = {{"n", ColumnType::Integer, "", false}};
  for (int i = 1; i <= 7; ++i) t.rows.push_back({i});
  const std::string out = tally::testing::scratch_dir("xlsx_split") + "/split.xlsx";
  ExportOptions o;
  o.max_sheet_rows = 3;
  auto r = export_table(t, out, o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rows, 7);
  EXPECT_EQ(r->sheet_names, (std::vector<std::string>{"Long", "Long (2)", "Long (3)"}));
  READ_OR_SKIP(book, out);
  ASSERT_EQ(book.size(), 3u);
  EXPECT_EQ(book[2]["name"], "Long (3)");
  EXPECT_EQ(book[1]["rows"].size(), 4u);
  EXPECT_EQ(book[1]["rows"][0][0]["v"], "n");
  EXPECT_EQ(book[1]["rows"][1][0]["v"], 4);
  EXPECT_EQ(book[2]["rows"].size(), 2u);
  EXPECT_EQ(book[2]["rows"][1][0]["v"], 7);
}

TEST(XlsxExport, QueryColumnsFromADatasetKeepItsTypesAndExpressionsGoByValue) {
  auto ts = make_typed_store("xlsx_query");
  auto table = ts.store.db().query_int64("SELECT count(*) FROM datasets");
  ASSERT_TRUE(table.ok());
  auto st = ts.store.db().prepare("SELECT table_name FROM datasets WHERE id = ?1");
  ASSERT_TRUE(st.ok());
  st->bind(1, ts.dataset_id);
  ASSERT_TRUE(*st->step());
  const std::string name = st->column_text(0);
  const std::string out = ts.dir + "/q.xlsx";
  auto r = export_query(ts.store.db(), "SELECT day, code, id * 2 AS twice, '0042' AS lit FROM \"" + name + "\"", out);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rows, 3);
  READ_OR_SKIP(book, out);
  const auto& row = book[0]["rows"][1];
  EXPECT_EQ(row[0]["t"], "datetime");
  EXPECT_EQ(row[1]["v"], "00123");
  EXPECT_EQ(row[2]["v"], 2);
  EXPECT_EQ(row[3]["t"], "text");
  EXPECT_EQ(book[0]["rows"][0][2]["v"], "twice");
}

TEST(XlsxExport, WritingQueriesAreRefusedAndNothingIsWritten) {
  auto ts = make_typed_store("xlsx_refuse");
  const std::string out = ts.dir + "/no.xlsx";
  auto r = export_query(ts.store.db(), "DELETE FROM datasets", out);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("read-only"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(out));
  auto count = ts.store.db().query_int64("SELECT count(*) FROM datasets");
  EXPECT_EQ(*count, 1);
}

TEST(XlsxExport, FilterAndSortSelectTheRows) {
  auto ts = make_typed_store("xlsx_filter");
  const std::string out = ts.dir + "/f.csv";
  DatasetSelection sel;
  sel.where = "\"id\" >= ?1";
  sel.binds = {std::int64_t{2}};
  sel.order_by_column = "id";
  sel.descending = true;
  ExportOptions o;
  o.csv_bom = false;
  auto r = export_dataset(ts.store.db(), ts.dataset_id, out, o, sel);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rows, 2);
  const std::string text = tally::testing::read_file(out);
  EXPECT_EQ(text.substr(text.find("\r\n") + 2, 2), "3,");
  sel.order_by_column = "nope";
  EXPECT_FALSE(export_dataset(ts.store.db(), ts.dataset_id, out, o, sel).ok());
}

TEST(XlsxExport, UnknownDatasetAndUnwritablePathAreErrors) {
  auto ts = make_typed_store("xlsx_errors");
  auto r = export_dataset(ts.store.db(), 999, ts.dir + "/x.xlsx");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("999"), std::string::npos);
  auto w = export_dataset(ts.store.db(), ts.dataset_id, ts.dir + "/missing/dir/x.xlsx");
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message.find("missing/dir/x.xlsx"), std::string::npos);
  auto f = export_dataset(ts.store.db(), ts.dataset_id, ts.dir + "/x.ods");
  ASSERT_FALSE(f.ok());
}

TEST(XlsxExport, CancelRemovesThePartialFile) {
  ExportTable t;
  t.columns = {{"n", ColumnType::Integer, "", false}};
  for (int i = 0; i < 10; ++i) t.rows.push_back({i});
  std::atomic<bool> cancel{true};
  ExportOptions o;
  o.cancel = &cancel;
  const std::string out = tally::testing::scratch_dir("xlsx_cancel") + "/c.xlsx";
  auto r = export_table(t, out, o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->cancelled);
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(XlsxExport, LongTextsAreCutAndHugeIntegersStayExactAsText) {
  ExportTable t;
  t.name = "edge";
  t.columns = {{"note", ColumnType::Text, "", false}, {"id", ColumnType::Integer, "", false}};
  t.rows.push_back({std::string(40000, 'x'), std::int64_t{9007199254740993}});
  t.rows.push_back({std::string("tab\there\x01" "bell"), 42});
  const std::string out = tally::testing::scratch_dir("xlsx_edge") + "/edge.xlsx";
  auto r = export_table(t, out);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->cells_cut, 1);
  READ_OR_SKIP(book, out);
  const auto& rows = book[0]["rows"];
  EXPECT_EQ(rows[1][0]["v"].get<std::string>().size(), 32767u);
  EXPECT_EQ(rows[1][1]["t"], "text");
  EXPECT_EQ(rows[1][1]["v"], "9007199254740993");
  EXPECT_EQ(rows[2][1]["v"], 42);
  EXPECT_EQ(rows[2][0]["v"], "tab\there\uFFFDbell");
}

TEST(SheetName, ExcelRulesAreApplied) {
  EXPECT_EQ(sanitize_sheet_name("a/b\\c[d]e:f*g?h"), "a_b_c_d_e_f_g_h");
  EXPECT_EQ(sanitize_sheet_name(""), "Sheet1");
  EXPECT_EQ(sanitize_sheet_name("'quoted'"), "quoted");
  EXPECT_EQ(sanitize_sheet_name("History"), "History_");
  EXPECT_EQ(sanitize_sheet_name(std::string(40, 'x')).size(), 31u);
  // 31 characters, not bytes: Korean is 3 bytes a character in UTF-8.
  std::string korean;
  for (int i = 0; i < 40; ++i) korean += "가";
  EXPECT_EQ(sanitize_sheet_name(korean).size(), 31u * 3);
}

TEST(DisplayWidth, CjkCountsDouble) {
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("서울"), 4u);
  EXPECT_EQ(display_width("東京 1"), 6u);
}

TEST(ToolResultTable, SqlQueryAndRecordListsBecomeTables) {
  auto q = table_from_tool_result(nlohmann::json::parse(
      R"({"ok":true,"tool":"sql_query","result":{"columns":["a","b"],"rows":[[1,"x"],[2.5,null]]}})"));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->columns.size(), 2u);
  EXPECT_EQ(q->rows.size(), 2u);
  auto g = table_from_tool_result(nlohmann::json::parse(
      R"({"groups":[{"name":"a","n":1},{"name":"b","mean":2.5}]})"));
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->columns.size(), 3u);
  EXPECT_EQ(g->columns[2].name, "mean");
  EXPECT_TRUE(g->rows[0][2].is_null());
  EXPECT_FALSE(table_from_tool_result(nlohmann::json::parse(R"({"summary":"none"})")).ok());
}

}  // namespace
