#pragma once
// Shared by the import tests: a fresh store per test and small query helpers.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "fixtures.h"
#include "tally/data/csv_import.h"
#include "tally/data/store.h"

namespace tally::data::testing {

inline std::string corpus(const std::string& name) { return tally::testing::test_data_dir() + "/data_csv/" + name; }

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = tally::testing::scratch_dir(std::string("csv_") + info->test_suite_name() + "_" + info->name());
    auto s = Store::open(dir_ + "/tally.db");
    ASSERT_TRUE(s) << s.error().message;
    store_.emplace(std::move(*s));
  }

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
  std::vector<std::string> column(const ImportOutcome& o, const std::string& col) {
    auto q = store_->db().prepare("SELECT " + quote_identifier(col) + " FROM " + quote_identifier(o.table_name) +
                                  " ORDER BY rowid");
    EXPECT_TRUE(q) << q.error().message;
    std::vector<std::string> out;
    if (!q) return out;
    for (;;) {
      auto row = q->step();
      if (!row || !*row) break;
      out.push_back(q->is_null(0) ? "NULL" : q->column_text(0));
    }
    return out;
  }

  std::string typeof_value(const ImportOutcome& o, const std::string& col, int row) {
    auto q = store_->db().prepare("SELECT typeof(" + quote_identifier(col) + ") FROM " +
                                  quote_identifier(o.table_name) + " WHERE rowid = ?1");
    q->bind(1, row);
    return q->step() && q->column_count() ? q->column_text(0) : "";
  }

  std::vector<std::string> types(const ImportOutcome& o) {
    std::vector<std::string> out;
    for (const auto& c : o.columns) out.push_back(column_type_name(c.type));
    return out;
  }

  // The catalog's view: what the analysis tools will read.
  std::vector<DatasetColumn> catalog_columns(const ImportOutcome& o) { return *store_->dataset_columns(o.dataset_id); }

  std::string dir_;
  std::optional<Store> store_;
};

}  // namespace tally::data::testing
