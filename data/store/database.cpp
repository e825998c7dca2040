#include "tally/data/database.h"

#include <sqlite3.h>

#include <utility>

namespace tally::data {

Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (db_) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Result<Database> Database::open(const std::string& path, const OpenOptions& options) {
  int flags = SQLITE_OPEN_NOMUTEX;  // one connection per thread: no need for SQLite's own locking
  if (options.read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE;
    if (options.create) flags |= SQLITE_OPEN_CREATE;
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db;
  db.db_ = raw;
  db.path_ = path;
  if (rc != SQLITE_OK) {
    std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return make_error("cannot open database '" + path + "': " + message);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  // Reading the schema early turns "file is not a database" into an open error instead of a later surprise.
  if (auto r = db.query_int64("PRAGMA schema_version"); !r) {
    return make_error("cannot open database '" + path + "': " + r.error().message);
  }
  if (auto s = db.exec("PRAGMA foreign_keys = ON"); !s) return s.error();
  if (!options.read_only) {
    auto mode = db.prepare("PRAGMA journal_mode = WAL");
    if (!mode) return mode.error();
    if (auto r = mode->step(); !r) return make_error("cannot enable WAL on '" + path + "': " + r.error().message);
    // NORMAL is durable across application crashes in WAL mode; only a power loss may drop the last commits.
    if (auto s = db.exec("PRAGMA synchronous = NORMAL"); !s) return s.error();
  }
  return db;
}

Result<Statement> Database::prepare(std::string_view sql) const { return Statement::prepare(db_, sql); }

Status Database::exec(std::string_view sql) const {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  return stmt->run();
}

Status Database::exec_script(const char* sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : "unknown error";
    sqlite3_free(err);
    return make_error("schema script failed on '" + path_ + "': " + message);
  }
  return {};
}

Result<std::int64_t> Database::query_int64(std::string_view sql) const {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return make_error("query returned no row: " + std::string(sql));
  return stmt->column_int64(0);
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }
std::string Database::error_message() const { return db_ ? sqlite3_errmsg(db_) : "database not open"; }

Result<Transaction> Transaction::begin(const Database& db) {
  if (auto s = db.exec("BEGIN IMMEDIATE"); !s) return s.error();
  return Transaction(&db);
}

Transaction::~Transaction() { rollback(); }

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Status Transaction::commit() {
  if (!db_) return make_error("commit: the transaction is already finished");
  auto s = db_->exec("COMMIT");
  if (s) db_ = nullptr;
  return s;
}

void Transaction::rollback() {
  if (!db_) return;
  // Only roll back if SQLite still has the transaction open (a failed COMMIT may already have ended it).
  if (!sqlite3_get_autocommit(db_->handle())) (void)db_->exec("ROLLBACK");
  db_ = nullptr;
}

}  // namespace tally::data
