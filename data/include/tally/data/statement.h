#pragma once
// A prepared SQL statement (RAII over sqlite3_stmt) with typed binds. It holds exactly one statement: preparing
// text with a second statement after the first is an error, so values can never smuggle in extra SQL and every
// value goes through a bind. Identifiers (table and column names) go through quote_identifier() instead.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tally/data/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tally::data {

class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Prepares `sql` on `db`; refuses empty text and text with more than one statement.
  static Result<Statement> prepare(sqlite3* db, std::string_view sql);

  // Binds are 1-based like SQLite's. Text and blobs are copied unless bind_text_static is used (the caller then
  // keeps the bytes alive until the next step() or reset()).
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::nullptr_t);
  Statement& bind(int index, const std::optional<std::string>& text);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind(int index, const std::optional<double>& value);
  Statement& bind_text_static(int index, std::string_view text);
  Statement& bind_blob(int index, const void* data, std::size_t size);

  // true: a row is ready; false: done. A failed bind is reported here too.
  Result<bool> step();
  // Runs to completion (for INSERT/UPDATE/DELETE); rows, if any, are discarded.
  Status run();
  void reset();  // ready to run again; keeps binds (clear_bindings() drops them)
  void clear_bindings();

  int column_count() const;
  bool is_null(int col) const;
  std::int64_t column_int64(int col) const;
  double column_double(int col) const;
  std::string column_text(int col) const;
  std::optional<std::string> column_optional_text(int col) const;
  std::optional<std::int64_t> column_optional_int64(int col) const;
  std::optional<double> column_optional_double(int col) const;
  std::string column_name(int col) const;

  std::string_view sql() const;
  sqlite3_stmt* handle() const { return stmt_; }

 private:
  explicit Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void note_bind(int rc, int index);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string bind_error_;
};

// "name" with embedded quotes doubled: the one way identifiers enter SQL text.
std::string quote_identifier(std::string_view name);

}  // namespace tally::data
