#pragma once
// One SQLite connection (one per thread, as SQLite's threading notes advise). Opening sets WAL, foreign keys and a
// busy timeout. Transaction is RAII: it rolls back unless commit() succeeded.
#include <cstdint>
#include <string>
#include <string_view>

#include "tally/data/result.h"
#include "tally/data/statement.h"

struct sqlite3;

namespace tally::data {

struct OpenOptions {
  bool read_only = false;
  bool create = true;       // create the file when missing (ignored when read_only)
  int busy_timeout_ms = 5000;
};

class Database {
 public:
  Database() = default;
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  static Result<Database> open(const std::string& path, const OpenOptions& options = {});

  Result<Statement> prepare(std::string_view sql) const;
  // One statement, no result rows wanted, optional binds are not needed (pragmas, BEGIN, DDL with quoted names).
  Status exec(std::string_view sql) const;
  // Trusted, constant multi-statement SQL only (schema migration steps). Never pass text that contains values.
  Status exec_script(const char* sql) const;

  Result<std::int64_t> query_int64(std::string_view sql) const;  // first column of the first row
  std::int64_t last_insert_rowid() const;
  int changes() const;
  std::string error_message() const;

  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }
  bool is_open() const { return db_ != nullptr; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Transaction {
 public:
  // BEGIN IMMEDIATE: take the write lock up front so a busy database fails here, not half-way through.
  static Result<Transaction> begin(const Database& db);
  ~Transaction();
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status commit();
  void rollback();

 private:
  explicit Transaction(const Database* db) : db_(db) {}
  const Database* db_ = nullptr;
};

}  // namespace tally::data
