#pragma once
// The common part of the importer tests (CSV, workbooks): a fresh store per test in the build tree's scratch area,
// and reading back what an import wrote. Header-only: only the data tests, which link the store, include it.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "fixtures.h"
#include "tally/data/csv_import.h"
#include "tally/data/store.h"

namespace tally::data::testing {

class StoreImportTest : public ::testing::Test {
 protected:
  // `scratch_prefix` keeps each importer's scratch folders apart ("csv_", "wb_").
  explicit StoreImportTest(std::string scratch_prefix) : scratch_prefix_(std::move(scratch_prefix)) {}

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = tally::testing::scratch_dir(scratch_prefix_ + info->test_suite_name() + "_" + info->name());
    auto s = Store::open(dir_ + "/tally.db");
    ASSERT_TRUE(s) << s.error().message;
    store_.emplace(std::move(*s));
  }

  // Column `sql_name` of every row of the import's table, in file order, as text ("NULL" for NULL; numbers via
  // SQLite's own formatting).
  std::vector<std::string> column_text(const ImportOutcome& o, const std::string& sql_name) {
    auto q = store_->db().prepare("SELECT " + quote_identifier(sql_name) + " FROM " + quote_identifier(o.table_name) +
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

  std::vector<std::string> types(const ImportOutcome& o) {
    std::vector<std::string> out;
    for (const auto& c : o.columns) out.push_back(column_type_name(c.type));
    return out;
  }

  std::string dir_;
  std::optional<Store> store_;

 private:
  std::string scratch_prefix_;
};

}  // namespace tally::data::testing
