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
  // With `column_chunks`, the store also has schema v3's chunk table and every added dataset gets its chunks, so the
  // tools take their column-chunk path; without, they scan the rows table.
  explicit TestStore(const std::string& name, bool column_chunks = false);
  ~TestStore();
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  sqlite3* db() const { return db_; }
  const std::string& path() const { return path_; }

  // Creates table `name` (column sql names = names) and its datasets/dataset_columns rows; cells are JSON scalars.
  void add_dataset(const std::string& name, const std::vector<TestColumn>& columns,
                   const std::vector<std::vector<nlohmann::json>>& rows);
  void exec(const std::string& sql) const;
  // Datasets are never edited after import; a test that edits one rebuilds its chunks (no-op without chunks).
  void rebuild_column_chunks(const std::string& name);
  std::int64_t count(const std::string& sql) const;  // first column of the first row

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  bool column_chunks_ = false;
};

}  // namespace tally::testing
