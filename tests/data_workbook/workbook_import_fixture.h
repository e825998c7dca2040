#pragma once
// A fresh store per test and helpers to import a workbook sheet and read back a column.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "fixtures.h"
#include "tally/data/store.h"
#include "tally/data/workbook_import.h"
#include "workbook_fixture.h"

namespace tally::data::testing {

inline std::string committed_workbook(const std::string& name) {
  return tally::testing::test_data_dir() + "/workbook/" + name;
}
inline std::string generated(const std::string& name) { return tally::testing::generated_workbooks() + "/" + name; }

class WorkbookImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = tally::testing::scratch_dir(std::string("wb_") + info->test_suite_name() + "_" + info->name());
    auto s = Store::open(dir_ + "/tally.db");
    ASSERT_TRUE(s) << s.error().message;
    store_.emplace(std::move(*s));
  }

  ImportOutcome import_ok(const std::string& path, WorkbookImportOptions options = {}) {
    WorkbookImporter importer(*store_);
    auto r = importer.import_sheet(path, options);
    EXPECT_TRUE(r) << r.error().message;
    if (!r) return {};
    EXPECT_EQ(r->status, ImportStatus::Imported);
    return *r;
  }

  // The import fails with a message naming the file, and the store is exactly as before.
  std::string import_error(const std::string& path, WorkbookImportOptions options = {}) {
    const auto before = tally::testing::store_counts(*store_);
    WorkbookImporter importer(*store_);
    auto r = importer.import_sheet(path, options);
    EXPECT_FALSE(r);
    EXPECT_EQ(tally::testing::store_counts(*store_), before);
    if (r) return {};
    EXPECT_NE(r.error().message.find(path), std::string::npos) << r.error().message;
    return r.error().message;
  }

  std::vector<std::string> column(const ImportOutcome& o, std::size_t index) {
    if (index >= o.columns.size()) return {};
    auto q = store_->db().prepare("SELECT " + quote_identifier(o.columns[index].sql_name) + " FROM " +
                                  quote_identifier(o.table_name) + " ORDER BY rowid");
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

  std::vector<std::string> names(const ImportOutcome& o) {
    std::vector<std::string> out;
    for (const auto& c : o.columns) out.push_back(c.name);
    return out;
  }

  std::vector<std::string> types(const ImportOutcome& o) {
    std::vector<std::string> out;
    for (const auto& c : o.columns) out.push_back(column_type_name(c.type));
    return out;
  }

  std::string dir_;
  std::optional<Store> store_;
};

using Strings = std::vector<std::string>;

}  // namespace tally::data::testing
