#pragma once
// A fresh store per test and helpers to import a workbook sheet and read back a column.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixtures.h"
#include "store_import_test.h"
#include "tally/data/workbook_import.h"
#include "workbook_fixture.h"

namespace tally::data::testing {

inline std::string committed_workbook(const std::string& name) {
  return tally::testing::test_data_dir() + "/workbook/" + name;
}
inline std::string generated(const std::string& name) { return tally::testing::generated_workbooks() + "/" + name; }

class WorkbookImportTest : public StoreImportTest {
 protected:
  WorkbookImportTest() : StoreImportTest("wb_") {}

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
    return column_text(o, o.columns[index].sql_name);
  }

  std::vector<std::string> names(const ImportOutcome& o) {
    std::vector<std::string> out;
    for (const auto& c : o.columns) out.push_back(c.name);
    return out;
  }

};

using Strings = std::vector<std::string>;

}  // namespace tally::data::testing
