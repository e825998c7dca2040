// Legacy .xls through libfreexl: the committed files in tests/data/workbook/xls/ were written by LibreOffice from
// openpyxl workbooks (make_xls.py there regenerates them).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "fixtures.h"
#include "tally/data/store.h"
#include "tally/data/workbook.h"
#include "tally/data/workbook_import.h"
#include "tally/data/xls_reader.h"
#include "workbook/number_format.h"

using namespace tally::data;

namespace {

std::string xls(const std::string& name) { return tally::testing::test_data_dir() + "/workbook/xls/" + name; }

struct CellCopy {
  SheetCellKind kind;
  double number;
  std::string text;
  DateTimeParts when;
  std::string unit;
};

std::map<std::pair<std::int64_t, std::size_t>, CellCopy> read_all(WorkbookReader& r, std::size_t sheet) {
  std::map<std::pair<std::int64_t, std::size_t>, CellCopy> out;
  auto st = r.read_sheet(sheet, [&](std::int64_t row, std::span<const SheetCell> cells) -> Status {
    for (std::size_t c = 0; c < cells.size(); ++c)
      out[{row, c}] = CellCopy{cells[c].kind, cells[c].number, std::string(cells[c].text), cells[c].when,
                                 std::string(cells[c].unit)};
    return {};
  });
  EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
  return out;
}

using Cells = std::map<std::pair<std::int64_t, std::size_t>, CellCopy>;
const CellCopy& at(Cells& cells, std::int64_t row, std::size_t col) { return cells[{row, col}]; }

TEST(XlsReader, SheetsAreListedWithTheirSizes) {
  auto r = open_workbook(xls("types.xls"));  // sniffed as an OLE compound file -> open_xls
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& sheets = (*r)->sheets();
  ASSERT_EQ(sheets.size(), 3u);
  EXPECT_EQ(sheets[0].name, "Data");
  EXPECT_EQ(sheets[0].rows, 6);
  EXPECT_EQ(sheets[0].cols, 10);
  EXPECT_EQ(sheets[1].name, "숨김");
  EXPECT_FALSE(sheets[0].hidden);
  EXPECT_TRUE(sheets[1].hidden);  // from the BOUNDSHEET record (freexl does not report it)
  EXPECT_EQ(sheets[2].name, "Empty");
  EXPECT_EQ(sheets[2].rows, 0);
}

TEST(XlsReader, NumbersTextsAndDatesByTheirFormat) {
  auto r = open_xls(xls("types.xls"), {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto cells = read_all(**r, 0);
  EXPECT_EQ(at(cells, 0, 0).kind, SheetCellKind::Text);
  EXPECT_EQ(at(cells, 0, 0).text, "월간 매출 보고서");
  EXPECT_EQ(cells.count({1, 0}), 0u);  // the blank row is not reported
  EXPECT_EQ(at(cells, 2, 9).text, "code");
  EXPECT_EQ(at(cells, 3, 0).kind, SheetCellKind::Number);
  EXPECT_EQ(at(cells, 3, 0).number, 1);
  EXPECT_EQ(at(cells, 3, 1).number, 10.5);
  EXPECT_EQ(at(cells, 3, 2).text, "서울");
  EXPECT_EQ(at(cells, 3, 7).number, 0.125);
  EXPECT_EQ(at(cells, 3, 7).unit, "%");  // its "0.0%" format, from the XF and FORMAT records
  EXPECT_EQ(at(cells, 3, 1).unit, "");
  EXPECT_EQ(at(cells, 3, 9).kind, SheetCellKind::Text);  // "00123" stays text
  EXPECT_EQ(at(cells, 3, 9).text, "00123");

  const CellCopy& day = at(cells, 3, 4);
  EXPECT_EQ(day.kind, SheetCellKind::Date);
  EXPECT_EQ(day.when.date.year, 2026);
  EXPECT_EQ(day.when.date.month, 7);
  EXPECT_EQ(day.when.date.day, 1);
  auto back = excel_serial_to_datetime(day.number, false);  // the serial is Excel's, 1900 system
  ASSERT_TRUE(back);
  EXPECT_EQ(back->date.day, 1);
  EXPECT_EQ(back->date.month, 7);

  const CellCopy& stamp = at(cells, 3, 5);
  EXPECT_EQ(stamp.kind, SheetCellKind::DateTime);
  EXPECT_EQ(stamp.when.hour, 9);
  EXPECT_EQ(stamp.when.minute, 30);
  EXPECT_EQ(stamp.when.second, 15);
  const CellCopy& time = at(cells, 3, 6);
  EXPECT_EQ(time.kind, SheetCellKind::Time);
  EXPECT_EQ(time.when.hour, 13);
  EXPECT_EQ(time.when.minute, 45);
  EXPECT_NEAR(time.number, (13 * 60 + 45) / 1440.0, 1e-9);

  // Booleans, errors and formulas' cached results: read from the BIFF records freexl skips.
  EXPECT_EQ(at(cells, 3, 3).kind, SheetCellKind::Boolean);
  EXPECT_EQ(at(cells, 3, 3).number, 1);
  EXPECT_EQ(at(cells, 4, 3).kind, SheetCellKind::Boolean);
  EXPECT_EQ(at(cells, 4, 3).number, 0);
  EXPECT_EQ(at(cells, 3, 8).kind, SheetCellKind::Error);
  EXPECT_EQ(at(cells, 3, 8).text, "#DIV/0!");
  EXPECT_EQ(at(cells, 4, 8).text, "#N/A");
  EXPECT_EQ(at(cells, 5, 8).kind, SheetCellKind::Number);
  EXPECT_EQ(at(cells, 5, 8).number, 5);

  // 1900-03-01 is serial 61: the serials after Excel's fictitious 1900-02-29.
  EXPECT_EQ(at(cells, 4, 4).number, 61);
  EXPECT_EQ(at(cells, 4, 5).when.date.day, 29);  // 2000-02-29 is real
}

TEST(XlsReader, Date1904System) {
  auto r = open_xls(xls("date1904.xls"), {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto cells = read_all(**r, 0);
  const CellCopy& d = at(cells, 1, 0);
  ASSERT_EQ(d.kind, SheetCellKind::Date);
  EXPECT_EQ(d.when.date.year, 2026);
  EXPECT_EQ(d.when.date.month, 7);
  EXPECT_EQ(d.when.date.day, 1);
  auto back = excel_serial_to_datetime(d.number, true);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->date.year, 2026);
  EXPECT_EQ(at(cells, 2, 0).number, 1);  // 1904-01-02 is serial 1 in the 1904 system
}

TEST(XlsReader, DamagedAndMissingFilesAreClearErrors) {
  const std::string dir = tally::testing::scratch_dir("xls_damaged");
  const std::string whole = tally::testing::read_file(xls("types.xls"));
  const std::string cut = dir + "/cut.xls";
  std::ofstream(cut, std::ios::binary) << whole.substr(0, 1500);
  auto r = open_xls(cut, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("cut.xls"), std::string::npos) << r.error().message;
  auto missing = open_xls(dir + "/none.xls", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("none.xls"), std::string::npos);
}

// freexl trusts the lengths a file states; a crafted file must be refused before freexl reads past its buffers.
// Each case patches a real LibreOffice file and expects the error to name what is wrong (and ASan, in the fuzz
// build, to stay quiet).
TEST(XlsReader, CraftedLengthsAreRefusedBeforeFreexlReadsThem) {
  const std::string dir = tally::testing::scratch_dir("xls_crafted");
  const std::string whole = tally::testing::read_file(xls("types.xls"));
  auto refused = [&](const std::string& name, std::string bytes) {
    const std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    auto r = open_xls(path, {});
    EXPECT_FALSE(r.ok()) << name;
    return r.ok() ? std::string() : r.error().message;
  };
  // The directory's first entry claims a 4,096-byte name in its 64-byte field (what the fuzzer found).
  const auto u32 = [&](std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(whole[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(whole[at + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(whole[at + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(whole[at + 3])) << 24;
  };
  std::string long_name = whole;
  const std::size_t entry0 = (std::size_t{u32(0x30)} + 1) * 512;
  long_name[entry0 + 0x40] = 0x00;
  long_name[entry0 + 0x41] = 0x10;
  const std::string e1 = refused("long_name.xls", long_name);
  EXPECT_NE(e1.find("long_name.xls"), std::string::npos) << e1;
  EXPECT_NE(e1.find("directory entry 0 claims a 4096-byte name"), std::string::npos) << e1;

  // The first sheet's BOUNDSHEET record (sheet 'Data') says its name has 200 characters; the record holds 4.
  const std::string boundsheet("\x85\x00\x0c\x00\x1e\x06\x00\x00", 8);
  const std::size_t at = whole.find(boundsheet);
  ASSERT_NE(at, std::string::npos);
  std::string long_sheet_name = whole;
  long_sheet_name[at + 4 + 6] = static_cast<char>(200);
  const std::string e2 = refused("sheet_name.xls", long_sheet_name);
  EXPECT_NE(e2.find("is 12 bytes long; its contents need 208"), std::string::npos) << e2;

  // The same record claims 12,288 bytes: more than BIFF's 8,224 and than the stream holds.
  std::string long_record = whole;
  long_record[at + 2] = 0x00;
  long_record[at + 3] = 0x30;
  const std::string e3 = refused("record.xls", long_record);
  EXPECT_NE(e3.find("claims 12288 bytes; BIFF allows 8,224"), std::string::npos) << e3;

  // A bare BIFF2-4 stream (Excel 2.x-4.0, no compound file): freexl's reader for those trusts every length.
  const std::string bare = refused("excel4.xls", std::string("\x09\x04\x06\x00\x00\x00\x10\x00\x00\x00", 10));
  EXPECT_NE(bare.find("not an Excel 97-2003 workbook"), std::string::npos) << bare;

  // And the untouched file still opens.
  EXPECT_TRUE(open_xls(xls("types.xls"), {}).ok());
}

TEST(XlsReader, PasswordProtectedWorkbookIsRefusedWithThatReason) {
  auto r = open_workbook(xls("password.xls"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("password-protected"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("password.xls"), std::string::npos);
}

TEST(XlsReader, SheetsBeyondTheLimitsAreRefusedBeforeLoading) {
  WorkbookLimits tight;
  tight.max_cells = 20;
  auto r = open_xls(xls("types.xls"), tight);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("'Data'"), std::string::npos) << r.error().message;
}

TEST(XlsImport, SecondSheetBecomesADatasetThroughTheWorkbookImporter) {
  const std::string dir = tally::testing::scratch_dir("xls_import");
  auto store = Store::open(dir + "/tally.db");
  ASSERT_TRUE(store.ok());
  WorkbookImporter importer(*store);
  WorkbookImportOptions o;
  o.sheet_index = 1;
  auto out = importer.import_sheet(xls("two_sheets.xls"), o);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->report.rows, 2);
  ASSERT_EQ(out->columns.size(), 2u);
  EXPECT_EQ(out->columns[0].name, "지역");
  EXPECT_EQ(out->columns[1].type, ColumnType::Integer);
  auto sum = store->db().query_int64("SELECT sum(" + out->columns[1].sql_name + ") FROM " + out->table_name);
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(*sum, 300);
}

TEST(XlsImport, TitleRowsAreSkippedAndDatesBecomeDateColumns) {
  const std::string dir = tally::testing::scratch_dir("xls_import_types");
  auto store = Store::open(dir + "/tally.db");
  ASSERT_TRUE(store.ok());
  WorkbookImporter importer(*store);
  auto out = importer.import_sheet(xls("types.xls"));
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->report.rows, 3);
  ASSERT_GE(out->columns.size(), 7u);
  EXPECT_EQ(out->columns[0].name, "id");
  EXPECT_EQ(out->columns[0].type, ColumnType::Integer);
  EXPECT_EQ(out->columns[1].type, ColumnType::Decimal);
  EXPECT_EQ(out->columns[4].type, ColumnType::Date);
  EXPECT_EQ(out->columns[5].type, ColumnType::DateTime);
  EXPECT_EQ(out->columns[3].type, ColumnType::Boolean);
  EXPECT_EQ(out->columns[7].type, ColumnType::Percent);
  auto st = store->db().prepare("SELECT " + out->columns[4].sql_name + " FROM " + out->table_name + " ORDER BY rowid");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->column_text(0), "2026-07-01");
}

}  // namespace

// The same Korean report as report.xlsx (title row, merged two-row header), saved as .xls by LibreOffice: the
// MERGEDCELLS records give the header detection what the .xlsx's mergeCells give it, so the names match.
TEST(XlsImport, MergedTwoRowHeaderGivesTheSameColumnsAsTheXlsx) {
  auto reader = open_xls(xls("report.xls"), {});
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto merged = (*reader)->merged(0);
  ASSERT_TRUE(merged.ok());
  std::vector<std::string> ranges;
  for (const CellRange& r : *merged) ranges.push_back(r.to_string());
  std::sort(ranges.begin(), ranges.end());
  EXPECT_EQ(ranges, (std::vector<std::string>{"A1:E1", "A3:A4", "B3:B4", "C3:D3", "E3:E4"}));

  const std::string dir = tally::testing::scratch_dir("xls_import_merged");
  auto store = Store::open(dir + "/tally.db");
  ASSERT_TRUE(store.ok());
  WorkbookImporter importer(*store);
  auto out = importer.import_sheet(xls("report.xls"));
  ASSERT_TRUE(out.ok()) << out.error().message;
  std::vector<std::string> names;
  for (const auto& c : out->columns) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"지역", "품목", "2025 매출 수량", "2025 매출 금액", "비고"}));
  EXPECT_EQ(out->report.rows, 3);
  EXPECT_EQ(out->columns[2].type, ColumnType::Integer);
}
