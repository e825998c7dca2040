#pragma once
// Shared by the import tests: a fresh store per test and small query helpers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixtures.h"
#include "store_import_test.h"
#include "tally/data/csv_import.h"

namespace tally::data::testing {

inline std::string corpus(const std::string& name) { return tally::testing::test_data_dir() + "/data_csv/" + name; }

class ImportTest : public StoreImportTest {
 protected:
  ImportTest() : StoreImportTest("csv_") {}

  ImportOutcome import_ok(const std::string& path, CsvImportOptions options = {}) {
    CsvImporter importer(*store_);
    auto r = importer.import_file(path, options);
    EXPECT_TRUE(r) << r.error().message;
    if (!r) return {};
    EXPECT_EQ(r->status, ImportStatus::Imported);
    return *r;
  }

  std::string import_error(const std::string& path, CsvImportOptions options = {}) {
    CsvImporter importer(*store_);
    auto r = importer.import_file(path, options);
    EXPECT_FALSE(r);
    return r ? std::string() : r.error().message;
  }

  // Column `col` of every row, in file order, as text ("NULL" for NULL; numbers via SQLite's own formatting).
  std::vector<std::string> column(const ImportOutcome& o, const std::string& col) { return column_text(o, col); }

  std::string typeof_value(const ImportOutcome& o, const std::string& col, int row) {
    auto q = store_->db().prepare("SELECT typeof(" + quote_identifier(col) + ") FROM " +
                                  quote_identifier(o.table_name) + " WHERE rowid = ?1");
    q->bind(1, row);
    return q->step() && q->column_count() ? q->column_text(0) : "";
  }

  // The catalog's view: what the analysis tools will read.
  std::vector<DatasetColumn> catalog_columns(const ImportOutcome& o) { return *store_->dataset_columns(o.dataset_id); }
};

}  // namespace tally::data::testing
