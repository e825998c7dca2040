#include <gtest/gtest.h>

#include <filesystem>

#include "fixtures.h"
#include "tally/data/workbook.h"
#include "workbook_fixture.h"

namespace tally::data {
namespace {

using testing::generated_workbooks;

std::string committed(const std::string& name) { return tally::testing::test_data_dir() + "/workbook/" + name; }

struct Grid {
  std::vector<std::pair<std::int64_t, std::vector<SheetCell>>> rows;
  std::vector<std::string> texts;  // keeps text alive
};

Grid read_all(WorkbookReader& reader, std::size_t sheet) {
  Grid g;
  g.texts.reserve(10000);
  auto s = reader.read_sheet(sheet, [&](std::int64_t row, std::span<const SheetCell> cells) -> Status {
    std::vector<SheetCell> copy(cells.begin(), cells.end());
    for (auto& c : copy) {
      if (!c.text.empty()) {
        g.texts.emplace_back(c.text);
        c.text = g.texts.back();
      }
    }
    g.rows.emplace_back(row, std::move(copy));
    return {};
  });
  EXPECT_TRUE(s) << (s ? "" : s.error().message);
  return g;
}

std::string when(const SheetCell& c) {
  char buf[20];
  return std::string(buf, format_datetime(c.when, buf));
}

TEST(WorkbookReader, EveryCellTypeOfAnOpenpyxlWorkbook) {
  TALLY_REQUIRE_OPENPYXL();
  auto reader = open_workbook(generated_workbooks() + "/types.xlsx");
  ASSERT_TRUE(reader) << reader.error().message;
  ASSERT_EQ((*reader)->sheets().size(), 1u);
  EXPECT_EQ((*reader)->sheets()[0].name, "Types");
  EXPECT_EQ((*reader)->sheets()[0].rows, 4);
  EXPECT_EQ((*reader)->sheets()[0].cols, 13);
  Grid g = read_all(**reader, 0);
  ASSERT_EQ(g.rows.size(), 4u);
  EXPECT_EQ(g.rows[0].second[0].kind, SheetCellKind::Text);
  EXPECT_EQ(g.rows[0].second[0].text, "정수");
  const auto& r = g.rows[1].second;
  EXPECT_EQ(g.rows[1].first, 1);
  ASSERT_EQ(r.size(), 13u);
  EXPECT_EQ(r[0].kind, SheetCellKind::Number);
  EXPECT_EQ(r[0].number, 1);
  EXPECT_EQ(r[1].number, 1.5);
  EXPECT_EQ(r[2].kind, SheetCellKind::Number);
  EXPECT_EQ(r[2].unit, "%");
  EXPECT_EQ(r[2].number, 0.125);
  EXPECT_EQ(r[3].unit, "KRW");
  EXPECT_EQ(r[4].kind, SheetCellKind::Boolean);
  EXPECT_EQ(r[4].number, 1);
  EXPECT_EQ(r[5].kind, SheetCellKind::Date);
  EXPECT_EQ(when(r[5]), "2026-07-01 00:00:00");
  EXPECT_EQ(r[6].kind, SheetCellKind::DateTime);
  EXPECT_EQ(when(r[6]), "2026-07-01 09:30:15");
  EXPECT_EQ(r[7].kind, SheetCellKind::Time);
  EXPECT_EQ(r[7].when.hour, 9);
  EXPECT_EQ(r[7].when.minute, 30);
  EXPECT_EQ(r[8].text, "사과");
  EXPECT_EQ(r[9].kind, SheetCellKind::Text);
  EXPECT_EQ(r[9].text, "00123");
  EXPECT_EQ(r[10].kind, SheetCellKind::Error);
  EXPECT_EQ(r[10].text, "#N/A");
  EXPECT_EQ(r[11].kind, SheetCellKind::Empty);  // openpyxl writes formulas without cached values
  EXPECT_TRUE(r[11].formula);
  EXPECT_EQ(r[12].kind, SheetCellKind::Date);
  EXPECT_EQ(when(r[12]), "2025-01-31 00:00:00");
  EXPECT_EQ(g.rows[2].second[8].text, " 배 ");  // xml:space="preserve" kept
}

TEST(WorkbookReader, SheetListWithHiddenAndEmptySheets) {
  TALLY_REQUIRE_OPENPYXL();
  auto reader = open_workbook(generated_workbooks() + "/report.xlsx");
  ASSERT_TRUE(reader) << reader.error().message;
  const auto& sheets = (*reader)->sheets();
  ASSERT_EQ(sheets.size(), 4u);
  EXPECT_EQ(sheets[0].name, "매출 보고서");
  EXPECT_EQ(sheets[0].rows, 7);
  EXPECT_EQ(sheets[0].cols, 5);
  EXPECT_FALSE(sheets[0].hidden);
  EXPECT_EQ(sheets[1].name, "요약");
  EXPECT_EQ(sheets[2].name, "숨김");
  EXPECT_TRUE(sheets[2].hidden);
  EXPECT_FALSE(sheets[2].very_hidden);
  EXPECT_EQ(sheets[3].name, "빈 시트");
  EXPECT_EQ(sheets[3].rows, 0);
  EXPECT_EQ(sheets[3].cols, 0);
  auto merged = (*reader)->merged(0);
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->size(), 5u);
  EXPECT_NE(std::find(merged->begin(), merged->end(), *CellRange::parse("C3:D3")), merged->end());
}

TEST(WorkbookReader, LibreOfficeSharedStringsAndCachedFormulaValues) {
  auto reader = open_workbook(committed("lo_formulas.xlsx"));
  ASSERT_TRUE(reader) << reader.error().message;
  Grid g = read_all(**reader, 0);
  ASSERT_EQ(g.rows.size(), 5u);
  EXPECT_EQ(g.rows[0].second[0].text, "이름");
  const auto& first = g.rows[1].second;
  EXPECT_EQ(first[0].text, "사과");
  EXPECT_EQ(first[3].kind, SheetCellKind::Number);
  EXPECT_TRUE(first[3].formula);
  EXPECT_EQ(first[3].number, 4.5);
  EXPECT_EQ(first[4].kind, SheetCellKind::Date);
  EXPECT_EQ(when(first[4]), "2025-03-01 00:00:00");
  EXPECT_EQ(g.rows[3].second[2].kind, SheetCellKind::Empty);  // the empty price: a sparse gap
  EXPECT_EQ(g.rows[4].second[3].kind, SheetCellKind::Error);
  EXPECT_EQ(g.rows[4].second[3].text, "#DIV/0!");
}

TEST(WorkbookReader, RichTextRunsPhoneticsAndCellsWithoutReferences) {
  const std::string dir = tally::testing::scratch_dir("wb-rich");
  const std::string sst =
      R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
      R"(<si><r><t>Hello</t></r><r><rPr><b/></rPr><t xml:space="preserve"> world</t></r></si>)"
      R"(<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si></sst>)";
  const std::string sheet =
      R"(<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>)"
      R"(<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c></x:row>)"
      R"(<x:row><x:c><x:v>1</x:v></x:c><x:c r="D2" t="b"><x:v>0</x:v></x:c></x:row>)"
      R"(<x:row r="5"><x:c t="str"><x:f>A1</x:f><x:v>Hello world</x:v></x:c><x:c t="d"><x:v>2025-03-04T05:06:07</x:v></x:c></x:row>)"
      R"(</x:sheetData></x:worksheet>)";
  const std::string path = dir + "/rich.xlsx";
  tally::testing::write_zip(path, tally::testing::minimal_xlsx(sheet, sst));
  auto reader = open_workbook(path);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->sheets()[0].rows, -1);  // no <dimension>: unknown
  Grid g = read_all(**reader, 0);
  ASSERT_EQ(g.rows.size(), 3u);
  EXPECT_EQ(g.rows[0].first, 0);
  EXPECT_EQ(g.rows[0].second[0].text, "Hello world");
  EXPECT_EQ(g.rows[0].second[1].text, "東京");
  EXPECT_EQ(g.rows[1].first, 1);
  ASSERT_EQ(g.rows[1].second.size(), 4u);
  EXPECT_EQ(g.rows[1].second[0].number, 1);
  EXPECT_EQ(g.rows[1].second[1].kind, SheetCellKind::Empty);
  EXPECT_EQ(g.rows[1].second[3].kind, SheetCellKind::Boolean);
  EXPECT_EQ(g.rows[2].first, 4);
  EXPECT_EQ(g.rows[2].second[0].text, "Hello world");
  EXPECT_EQ(g.rows[2].second[1].kind, SheetCellKind::DateTime);
  EXPECT_EQ(when(g.rows[2].second[1]), "2025-03-04 05:06:07");
}

}  // namespace
}  // namespace tally::data
