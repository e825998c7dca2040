#include "tally/data/statement.h"

#include <sqlite3.h>

#include <utility>

namespace tally::data {

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_error_(std::move(other.bind_error_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = std::move(other.bind_error_);
  }
  return *this;
}

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql) {
  if (!db) return make_error("prepare: the database is not open");
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), 0, &stmt, &tail);
  if (rc != SQLITE_OK) {
    return make_error("SQL error: " + std::string(sqlite3_errmsg(db)) + " in: " + std::string(sql));
  }
  if (!stmt) return make_error("SQL text holds no statement: '" + std::string(sql) + "'");
  // Whatever follows the first statement must be whitespace or comments: preparing it must yield nothing.
  const char* end = sql.data() + sql.size();
  if (tail && tail < end) {
    sqlite3_stmt* extra = nullptr;
    int rc2 = sqlite3_prepare_v2(db, tail, static_cast<int>(end - tail), &extra, nullptr);
    if (extra || rc2 != SQLITE_OK) {
      if (extra) sqlite3_finalize(extra);
      sqlite3_finalize(stmt);
      return make_error("refusing multi-statement SQL: '" + std::string(sql) + "'");
    }
  }
  return Statement(db, stmt);
}

void Statement::note_bind(int rc, int index) {
  if (rc != SQLITE_OK && bind_error_.empty()) {
    bind_error_ = "bind of parameter " + std::to_string(index) + " failed: " + sqlite3_errstr(rc);
  }
}

Statement& Statement::bind(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  note_bind(sqlite3_bind_double(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  // A null data pointer would bind NULL: an empty string must stay an empty string.
  note_bind(sqlite3_bind_text64(stmt_, index, text.data() ? text.data() : "", text.size(), SQLITE_TRANSIENT,
                                SQLITE_UTF8),
            index);
  return *this;
}

Statement& Statement::bind_text_static(int index, std::string_view text) {
  note_bind(sqlite3_bind_text64(stmt_, index, text.data() ? text.data() : "", text.size(), SQLITE_STATIC,
                                SQLITE_UTF8),
            index);
  return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
  note_bind(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind(index, nullptr);
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind(index, nullptr);
}

Statement& Statement::bind(int index, const std::optional<double>& value) {
  return value ? bind(index, *value) : bind(index, nullptr);
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
  note_bind(sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_TRANSIENT), index);
  return *this;
}

Result<bool> Statement::step() {
  if (!stmt_) return make_error("step on an empty statement");
  if (!bind_error_.empty()) {
    std::string message = bind_error_ + " in: " + sql().data();
    bind_error_.clear();
    return make_error(std::move(message));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string message = std::string(sqlite3_errmsg(db_)) + " in: " + std::string(sql());
  sqlite3_reset(stmt_);
  return make_error(std::move(message));
}

Status Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) return r.error();
    if (!*r) break;
  }
  sqlite3_reset(stmt_);
  return {};
}

void Statement::reset() {
  if (stmt_) sqlite3_reset(stmt_);
}

void Statement::clear_bindings() {
  if (stmt_) sqlite3_clear_bindings(stmt_);
}

int Statement::column_count() const { return stmt_ ? sqlite3_column_count(stmt_) : 0; }
bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t Statement::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::column_double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string Statement::column_text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::string> Statement::column_optional_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return column_text(col);
}

std::optional<std::int64_t> Statement::column_optional_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return column_int64(col);
}

std::optional<double> Statement::column_optional_double(int col) const {
  if (is_null(col)) return std::nullopt;
  return column_double(col);
}

std::string Statement::column_name(int col) const {
  const char* n = sqlite3_column_name(stmt_, col);
  return n ? n : "";
}

std::string_view Statement::sql() const {
  const char* s = stmt_ ? sqlite3_sql(stmt_) : nullptr;
  return s ? s : "";
}

std::string quote_identifier(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('"');
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace tally::data
