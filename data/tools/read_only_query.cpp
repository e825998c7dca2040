#include "tally/data/read_only_query.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>

namespace tally::data::tools {

namespace {

long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// PRAGMAs that only report (the same ones SQLite exposes as eponymous pragma_* tables). Anything else, such as
// journal_mode or writable_schema, can change the connection or the file and is refused.
constexpr std::array<std::string_view, 7> kReadPragmas = {"table_info",  "table_xinfo",      "index_list", "index_info",
                                                          "index_xinfo", "foreign_key_list", "collation_list"};
// Functions that reach outside the database or can corrupt it even from a SELECT.
constexpr std::array<std::string_view, 5> kDeniedFunctions = {"load_extension", "fts3_tokenizer", "readfile",
                                                              "writefile", "edit"};

bool equals_ascii_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x >= 'A' && x <= 'Z' ? x + 32 : x) == (y >= 'A' && y <= 'Z' ? y + 32 : y);
         });
}

std::string action_words(int action, const char* a1, const char* a2) {
  auto s = [](const char* p) { return std::string(p ? p : ""); };
  switch (action) {
    case SQLITE_INSERT: return "INSERT into " + s(a1);
    case SQLITE_UPDATE: return "UPDATE of " + s(a1);
    case SQLITE_DELETE: return "DELETE from " + s(a1);
    case SQLITE_CREATE_TABLE: case SQLITE_CREATE_TEMP_TABLE: return "CREATE TABLE " + s(a1);
    case SQLITE_CREATE_INDEX: case SQLITE_CREATE_TEMP_INDEX: return "CREATE INDEX " + s(a1);
    case SQLITE_CREATE_VIEW: case SQLITE_CREATE_TEMP_VIEW: return "CREATE VIEW " + s(a1);
    case SQLITE_CREATE_TRIGGER: case SQLITE_CREATE_TEMP_TRIGGER: return "CREATE TRIGGER " + s(a1);
    case SQLITE_DROP_TABLE: case SQLITE_DROP_TEMP_TABLE: return "DROP TABLE " + s(a1);
    case SQLITE_DROP_INDEX: case SQLITE_DROP_TEMP_INDEX: return "DROP INDEX " + s(a1);
    case SQLITE_DROP_VIEW: case SQLITE_DROP_TEMP_VIEW: return "DROP VIEW " + s(a1);
    case SQLITE_DROP_TRIGGER: case SQLITE_DROP_TEMP_TRIGGER: return "DROP TRIGGER " + s(a1);
    case SQLITE_ATTACH: return "ATTACH " + s(a1);
    case SQLITE_DETACH: return "DETACH " + s(a1);
    case SQLITE_ALTER_TABLE: return "ALTER TABLE " + s(a2);
    case SQLITE_PRAGMA: return "PRAGMA " + s(a1) + (a2 ? " = " + s(a2) : "");
    case SQLITE_TRANSACTION: return "transaction control (" + s(a1) + ")";
    case SQLITE_SAVEPOINT: return "SAVEPOINT";
    case SQLITE_REINDEX: return "REINDEX";
    case SQLITE_ANALYZE: return "ANALYZE";
    case SQLITE_CREATE_VTABLE: return "CREATE VIRTUAL TABLE " + s(a1);
    case SQLITE_DROP_VTABLE: return "DROP VIRTUAL TABLE " + s(a1);
    case SQLITE_FUNCTION: return "function " + s(a2) + "()";
    default: return "operation code " + std::to_string(action);
  }
}

// Cuts `text` to at most `max` bytes without splitting a UTF-8 sequence, and replaces bytes that are not valid
// UTF-8 with U+FFFD (the JSON layer must never see invalid UTF-8).
std::string clean_text(const char* data, std::size_t size, std::size_t max, bool& cut) {
  std::string out;
  out.reserve(std::min(size, max) + 4);
  cut = false;
  std::size_t i = 0;
  while (i < size) {
    const auto c = static_cast<unsigned char>(data[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool valid = len > 0 && i + len <= size;
    for (std::size_t k = 1; valid && k < len; ++k) valid = (static_cast<unsigned char>(data[i + k]) >> 6) == 2;
    const std::string_view piece = valid ? std::string_view(data + i, len) : std::string_view("\xEF\xBF\xBD");
    if (out.size() + piece.size() > max) {
      cut = true;
      out += "…";
      break;
    }
    out += piece;
    i += valid ? len : 1;
  }
  return out;
}

// Skips whitespace, semicolons and comments; returns the rest (the start of a further statement, if any).
std::string_view skip_filler(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ';') {
      ++i;
    } else if (s.substr(i, 2) == "--") {
      const auto nl = s.find('\n', i);
      i = nl == std::string_view::npos ? s.size() : nl + 1;
    } else if (s.substr(i, 2) == "/*") {
      const auto end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
    } else {
      break;
    }
  }
  return s.substr(i);
}

std::string first_word_upper(std::string_view s) {
  s = skip_filler(s);
  std::string w;
  for (char c : s) {
    if (c == '(' && w.empty()) continue;
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) break;
    w += static_cast<char>(c >= 'a' ? c - 32 : c);
  }
  return w;
}

}  // namespace

struct ReadOnlyQuery::Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

ReadOnlyQuery::ReadOnlyQuery(const std::string& path, QueryLimits limits) : limits_(limits) {
  if (path.empty()) throw ToolFailure("the store has no file (in-memory database): queries need a file-backed store");
  const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw ToolFailure("cannot open store '" + path + "' read-only: " + msg);
  }
  sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_db_config(db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db_, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_limit(db_, SQLITE_LIMIT_ATTACHED, 0);
  // Bounds the memory one expression can claim (zeroblob(1e9), printf('%.*c', 1e9, 'x')).
  sqlite3_limit(db_, SQLITE_LIMIT_LENGTH, 16 * 1024 * 1024);
  sqlite3_limit(db_, SQLITE_LIMIT_SQL_LENGTH, 100 * 1024);
  sqlite3_busy_timeout(db_, 2000);
  sqlite3_set_authorizer(db_, &ReadOnlyQuery::authorize, this);
  sqlite3_progress_handler(db_, 1000, &ReadOnlyQuery::progress, this);
}

ReadOnlyQuery::~ReadOnlyQuery() { sqlite3_close(db_); }

int ReadOnlyQuery::authorize(void* self, int action, const char* a1, const char* a2, const char*, const char*) {
  auto* q = static_cast<ReadOnlyQuery*>(self);
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_FUNCTION:
      if (a2 && std::none_of(kDeniedFunctions.begin(), kDeniedFunctions.end(),
                             [&](std::string_view f) { return equals_ascii_ci(f, a2); }))
        return SQLITE_OK;
      break;
    case SQLITE_PRAGMA:
      if (a1 && std::any_of(kReadPragmas.begin(), kReadPragmas.end(),
                            [&](std::string_view p) { return equals_ascii_ci(p, a1); }))
        return SQLITE_OK;
      break;
    default:
      break;
  }
  q->denied_ = action_words(action, a1, a2);
  return SQLITE_DENY;
}

int ReadOnlyQuery::progress(void* self) {
  auto* q = static_cast<ReadOnlyQuery*>(self);
  if (q->deadline_ns_ != 0 && now_ns() > q->deadline_ns_) {
    q->timed_out_ = true;
    return 1;
  }
  return 0;
}

std::unique_ptr<ReadOnlyQuery::Statement> ReadOnlyQuery::prepare(std::string_view sql, const nlohmann::json& params,
                                                                 int time_limit_ms) {
  constexpr const char* kReadOnlyNote =
      "sql_query is read-only: one SELECT (or WITH ... SELECT) over the datasets' tables per call";
  const std::string word = first_word_upper(sql);
  if (word.empty()) throw ToolFailure("empty SQL: write one SELECT statement");
  if (word != "SELECT" && word != "WITH" && word != "VALUES" && word != "PRAGMA" && word != "EXPLAIN")
    throw ToolFailure("not allowed: " + word + " statement. " + kReadOnlyNote);
  auto st = std::make_unique<Statement>();
  const char* tail = nullptr;
  denied_.clear();
  timed_out_ = false;
  active_limit_ms_ = time_limit_ms;
  deadline_ns_ = now_ns() + static_cast<long long>(time_limit_ms) * 1'000'000;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st->stmt, &tail);
  if (rc != SQLITE_OK) {
    if (!denied_.empty()) throw ToolFailure("not allowed: " + denied_ + ". " + kReadOnlyNote);
    fail_step(rc, sql);
  }
  if (!st->stmt) throw ToolFailure("empty SQL: write one SELECT statement");
  const std::string_view rest = skip_filler(std::string_view(tail, sql.data() + sql.size() - tail));
  if (!rest.empty())
    throw ToolFailure("only one SQL statement per call; remove what follows the first one: '" +
                      std::string(rest.substr(0, 60)) + "'");
  if (!sqlite3_stmt_readonly(st->stmt)) throw ToolFailure(std::string("not allowed: a statement that writes. ") + kReadOnlyNote);

  if (!params.is_null() && !params.is_array()) throw ToolFailure("argument 'params' must be an array of values");
  const int wanted = sqlite3_bind_parameter_count(st->stmt);
  const int given = params.is_array() ? static_cast<int>(params.size()) : 0;
  if (wanted != given)
    throw ToolFailure("the SQL has " + std::to_string(wanted) + " parameter(s) (?) but " + std::to_string(given) +
                      " value(s) were given in 'params'");
  for (int i = 0; i < given; ++i) {
    const auto& v = params[static_cast<std::size_t>(i)];
    if (v.is_null()) sqlite3_bind_null(st->stmt, i + 1);
    else if (v.is_boolean()) sqlite3_bind_int(st->stmt, i + 1, v.get<bool>() ? 1 : 0);
    else if (v.is_number_integer()) sqlite3_bind_int64(st->stmt, i + 1, v.get<sqlite3_int64>());
    else if (v.is_number()) sqlite3_bind_double(st->stmt, i + 1, v.get<double>());
    else if (v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      sqlite3_bind_text(st->stmt, i + 1, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    } else {
      throw ToolFailure("params[" + std::to_string(i) + "] must be a number, string, boolean or null");
    }
  }
  return st;
}

void ReadOnlyQuery::fail_step(int rc, std::string_view sql) {
  if (timed_out_ || rc == SQLITE_INTERRUPT) {
    throw ToolFailure("time limit of " + std::to_string(active_limit_ms_) +
                      " ms exceeded; narrow the query (a WHERE filter, an aggregate, a LIMIT in recursive CTEs)");
  }
  std::string msg = sqlite3_errmsg(db_);
  std::string text = "SQLite error: " + msg;
  if (msg.find("no such table") != std::string::npos || msg.find("no such column") != std::string::npos ||
      msg.find("ambiguous column") != std::string::npos) {
    text += ". Tables and their columns (quote names with \"double quotes\"): " + schema_hint();
  } else if (msg.find("syntax error") != std::string::npos) {
    text += ". The SQL dialect is SQLite; dates are TEXT 'YYYY-MM-DD' (use strftime/substr)";
  }
  (void)sql;
  throw ToolFailure(text);
}

QueryTable ReadOnlyQuery::table(std::string_view sql, const nlohmann::json& params, std::size_t max_rows,
                                std::size_t max_bytes) {
  auto st = prepare(sql, params, limits_.time_limit_ms);
  QueryTable out;
  const int ncol = sqlite3_column_count(st->stmt);
  for (int c = 0; c < ncol; ++c) {
    const char* name = sqlite3_column_name(st->stmt, c);
    bool cut = false;
    out.columns.push_back(name ? clean_text(name, std::strlen(name), 256, cut) : "?");
  }
  for (;;) {
    const int rc = sqlite3_step(st->stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail_step(rc, sql);
    if (out.rows.size() >= max_rows) {
      out.truncated = true;
      out.truncated_by = "max_rows";
      break;
    }
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    std::size_t row_bytes = 2;
    std::size_t row_cut = 0;
    for (int c = 0; c < ncol; ++c) {
      switch (sqlite3_column_type(st->stmt, c)) {
        case SQLITE_INTEGER: row.push_back(static_cast<long long>(sqlite3_column_int64(st->stmt, c))); row_bytes += 8; break;
        case SQLITE_FLOAT: row.push_back(sqlite3_column_double(st->stmt, c)); row_bytes += 12; break;
        case SQLITE_NULL: row.push_back(nullptr); row_bytes += 4; break;
        case SQLITE_BLOB: {
          const int n = sqlite3_column_bytes(st->stmt, c);
          row.push_back("<blob " + std::to_string(n) + " bytes>");
          row_bytes += 20;
          break;
        }
        default: {
          const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st->stmt, c));
          const auto n = static_cast<std::size_t>(sqlite3_column_bytes(st->stmt, c));
          bool cut = false;
          std::string s = clean_text(p ? p : "", p ? n : 0, limits_.max_cell_bytes, cut);
          row_cut += cut ? 1 : 0;
          row_bytes += s.size() + 3;
          row.push_back(std::move(s));
        }
      }
    }
    if (out.bytes + row_bytes > max_bytes) {
      out.truncated = true;
      out.truncated_by = "max_bytes";
      break;
    }
    out.bytes += row_bytes;
    out.cells_cut += row_cut;
    out.rows.push_back(std::move(row));
  }
  deadline_ns_ = 0;
  return out;
}

void ReadOnlyQuery::scan(std::string_view sql, const nlohmann::json& params,
                         const std::function<void(sqlite3_stmt*)>& row) {
  auto st = prepare(sql, params, limits_.scan_time_limit_ms);
  for (;;) {
    const int rc = sqlite3_step(st->stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail_step(rc, sql);
    row(st->stmt);
  }
  deadline_ns_ = 0;
}

std::string ReadOnlyQuery::schema_hint(std::size_t max_chars) {
  deadline_ns_ = 0;
  auto names = [&](const char* sql) {
    std::vector<std::string> out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) == SQLITE_OK) {
      while (sqlite3_step(st) == SQLITE_ROW) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        if (p) out.emplace_back(p);
      }
    }
    sqlite3_finalize(st);
    return out;
  };
  // The datasets' tables are what the model should query; the app's own tables (messages, settings...) are noise.
  std::vector<std::string> tables = names("SELECT table_name FROM datasets ORDER BY name");
  if (tables.empty())
    tables = names("SELECT name FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY name");
  std::string out;
  for (const auto& table : tables) {
    if (out.size() >= max_chars) break;
    out += (out.empty() ? "" : "; ") + table + "(";
    sqlite3_stmt* st = nullptr;
    std::string quoted = "\"";
    for (char c : table) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    quoted += "\"";
    if (sqlite3_prepare_v2(db_, ("SELECT * FROM " + quoted + " LIMIT 0").c_str(), -1, &st, nullptr) == SQLITE_OK) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) out += (c ? ", " : "") + std::string(sqlite3_column_name(st, c));
    }
    sqlite3_finalize(st);
    out += ")";
  }
  if (out.size() > max_chars) {
    bool cut = false;
    out = clean_text(out.data(), out.size(), max_chars, cut);
  }
  return out.empty() ? "(no tables)" : out;
}

}  // namespace tally::data::tools
