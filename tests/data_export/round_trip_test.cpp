// Round trip: a dataset exported to .xlsx and imported back through the workbook importer keeps its values and
// types (Excel has no month type: a month column comes back as the first day of the month, a date).
#include <gtest/gtest.h>

#include "export_fixture.h"
#include "tally/data/export.h"
#include "tally/data/workbook_import.h"

using namespace tally::data;

namespace {

std::vector<std::vector<std::string>> rows_of(Store& store, std::int64_t dataset_id) {
  auto ds = store.dataset(dataset_id);
  auto cols = store.dataset_columns(dataset_id);
  EXPECT_TRUE(ds.ok() && cols.ok());
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < cols->size(); ++i)
    sql += (i ? ", " : "") + std::string("quote(") + quote_identifier((*cols)[i].sql_name) + ")";
  sql += " FROM " + quote_identifier(ds->table_name) + " ORDER BY rowid";
  auto st = store.db().prepare(sql);
  EXPECT_TRUE(st.ok());
  std::vector<std::vector<std::string>> out;
  for (auto more = st->step(); more && *more; more = st->step()) {
    std::vector<std::string> row;
    for (int i = 0; i < st->column_count(); ++i) row.push_back(st->column_text(i));
    out.push_back(std::move(row));
  }
  return out;
}

TEST(RoundTrip, XlsxExportImportsBackWithTheSameValuesAndTypes) {
  auto ts = tally::testing::make_typed_store("round_trip");
  const std::string out = ts.dir + "/round.xlsx";
  auto r = export_dataset(ts.store.db(), ts.dataset_id, out);
  ASSERT_TRUE(r.ok()) << r.error().message;

  WorkbookImporter importer(ts.store);
  WorkbookImportOptions o;
  o.dataset_name = "round trip";
  auto back = importer.import_sheet(out, o);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->report.rows, 3);

  auto before = ts.store.dataset_columns(ts.dataset_id);
  auto after = ts.store.dataset_columns(back->dataset_id);
  ASSERT_TRUE(before.ok() && after.ok());
  ASSERT_EQ(after->size(), before->size());
  for (std::size_t i = 0; i < before->size(); ++i) {
    EXPECT_EQ((*after)[i].name, (*before)[i].name);
    const std::string want = (*before)[i].type == "month" ? "date" : (*before)[i].type;
    EXPECT_EQ((*after)[i].type, want) << "column " << (*before)[i].name;
    EXPECT_EQ((*after)[i].unit, (*before)[i].unit) << "column " << (*before)[i].name;
  }
  auto a = rows_of(ts.store, ts.dataset_id);
  auto b = rows_of(ts.store, back->dataset_id);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t r0 = 0; r0 < a.size(); ++r0) {
    for (std::size_t c = 0; c < a[r0].size(); ++c) {
      std::string want = a[r0][c];
      if ((*before)[c].type == "month" && want != "NULL") want = want.substr(0, want.size() - 1) + "-01'";
      if ((*before)[c].type == "percent" && want != "NULL") {
        // Excel holds 7% as 0.07; back in percentage points 0.07 * 100 is 7.000000000000001 in binary.
        EXPECT_NEAR(std::stod(b[r0][c]), std::stod(want), 1e-9) << "row " << r0 + 1 << ", column rate";
        continue;
      }
      EXPECT_EQ(b[r0][c], want) << "row " << r0 + 1 << ", column " << (*before)[c].name;
    }
  }
}

}  // namespace
