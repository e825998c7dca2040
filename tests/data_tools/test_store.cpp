#include "test_store.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "fixtures.h"
#include "store/schema_v1.h"
#include "store/schema_v3.h"
#include "tally/data/column_chunks.h"

namespace tally::testing {

TestStore::TestStore(const std::string& name, bool column_chunks) : column_chunks_(column_chunks) {
  path_ = scratch_dir("data_tools_" + name) + "/store.db";
  if (sqlite3_open(path_.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("cannot open " + path_);
  exec(tally::data::schema::kV1);
  if (column_chunks_) exec(tally::data::schema::kV3);
}

TestStore::~TestStore() { sqlite3_close(db_); }

void TestStore::exec(const std::string& sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("SQL failed: " + msg + " in: " + sql.substr(0, 200));
  }
}

std::int64_t TestStore::count(const std::string& sql) const {
  sqlite3_stmt* st = nullptr;
  std::int64_t v = -1;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

void TestStore::add_dataset(const std::string& name, const std::vector<TestColumn>& columns,
                            const std::vector<std::vector<nlohmann::json>>& rows) {
  std::string create = "CREATE TABLE \"" + name + "\" (";
  std::string insert = "INSERT INTO \"" + name + "\" VALUES (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& t = columns[i].type;
    const char* storage = (t == "integer" || t == "boolean") ? "INTEGER"
                          : (t == "decimal" || t == "percent" || t == "currency") ? "REAL"
                                                                                  : "TEXT";
    create += (i ? ", \"" : "\"") + columns[i].name + "\" " + storage;
    insert += i ? ", ?" : "?";
  }
  exec(create + ")");
  exec("BEGIN");
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_, (insert + ")").c_str(), -1, &st, nullptr);
  for (const auto& row : rows) {
    sqlite3_reset(st);
    for (std::size_t i = 0; i < row.size(); ++i) {
      const auto& v = row[i];
      const int k = static_cast<int>(i + 1);
      if (v.is_null()) sqlite3_bind_null(st, k);
      else if (v.is_number_integer()) sqlite3_bind_int64(st, k, v.get<std::int64_t>());
      else if (v.is_number()) sqlite3_bind_double(st, k, v.get<double>());
      else if (v.is_boolean()) sqlite3_bind_int(st, k, v.get<bool>());
      else sqlite3_bind_text(st, k, v.get<std::string>().c_str(), -1, SQLITE_TRANSIENT);
    }
    if (sqlite3_step(st) != SQLITE_DONE) throw std::runtime_error(std::string("insert failed: ") + sqlite3_errmsg(db_));
  }
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db_, "INSERT INTO datasets(name, table_name, row_count) VALUES(?1, ?1, ?2)", -1, &st, nullptr);
  sqlite3_bind_text(st, 1, name.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, static_cast<std::int64_t>(rows.size()));
  sqlite3_step(st);
  sqlite3_finalize(st);
  const auto id = sqlite3_last_insert_rowid(db_);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    sqlite3_prepare_v2(db_, "INSERT INTO dataset_columns(dataset_id, ordinal, name, sql_name, type) VALUES(?, ?, ?, ?, ?)",
                       -1, &st, nullptr);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, static_cast<int>(i));
    sqlite3_bind_text(st, 3, columns[i].name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, columns[i].name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, columns[i].type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_finalize(st);
  }
  if (column_chunks_) {
    if (auto built = tally::data::build_column_chunks(db_, id, name, static_cast<int>(columns.size())); !built)
      throw std::runtime_error("column chunks: " + built.error().message);
  }
  exec("COMMIT");
}

}  // namespace tally::testing

namespace tally::testing {

void TestStore::rebuild_column_chunks(const std::string& name) {
  if (!column_chunks_) return;
  const auto id = count("SELECT id FROM datasets WHERE name = '" + name + "'");
  const auto columns = count("SELECT COUNT(*) FROM dataset_columns WHERE dataset_id = " + std::to_string(id));
  if (auto built = tally::data::build_column_chunks(db_, id, name, static_cast<int>(columns)); !built)
    throw std::runtime_error("column chunks: " + built.error().message);
}

}  // namespace tally::testing
