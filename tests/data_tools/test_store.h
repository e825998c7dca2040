#pragma once
// A throwaway store for the tools' tests: a temp SQLite file with schema v1 and datasets inserted directly (the CSV
// importer is not involved), so every expected number below is computed by hand from these rows.
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace tally::testing {

struct TestColumn {
  std::string name;
  std::string type;  // schema_v1 dataset_columns.type
};

class TestStore {
 public:
  explicit TestStore(const std::string& name);
  ~TestStore();
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  sqlite3* db() const { return db_; }
  const std::string& path() const { return path_; }

  // Creates table `name` (column sql names = names) and its datasets/dataset_columns rows; cells are JSON scalars.
  void add_dataset(const std::string& name, const std::vector<TestColumn>& columns,
                   const std::vector<std::vector<nlohmann::json>>& rows);
  void exec(const std::string& sql) const;
  std::int64_t count(const std::string& sql) const;  // first column of the first row

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace tally::testing
