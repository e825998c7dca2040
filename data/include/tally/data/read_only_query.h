#pragma once
// A second, read-only connection to the user's store for SQL the model writes. Read-only is enforced three ways,
// because any one of them alone has gaps: the file is opened SQLITE_OPEN_READONLY, an authorizer allows only
// reads (no ATTACH, no state-changing PRAGMA, no temp objects, no load_extension), and every prepared statement
// must report sqlite3_stmt_readonly(). A progress handler stops runaway queries (recursive CTE bombs) at a time
// limit, and results are capped in rows and bytes so one answer cannot flood the model's context.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

struct sqlite3;
struct sqlite3_stmt;

namespace tally::data::tools {

// A tool call that cannot go on. Thrown inside the tool layer only; ToolSession::call turns it into the call's
// error value (the one boundary the model and the UI see), so the message must be readable by both.
class ToolFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct QueryLimits {
  std::size_t max_rows = 200;          // rows returned to the model per sql_query call
  std::size_t max_bytes = 64 * 1024;   // text of all returned cells together
  std::size_t max_cell_bytes = 2000;   // one long text cell is cut (at a UTF-8 boundary) beyond this
  int time_limit_ms = 5000;            // wall clock per statement, checked by the progress handler
  // The analysis tools' own scans are linear in the rows and written by us, so they get a longer limit (a busy
  // machine can slow a million-row scan well past sql_query's limit).
  int scan_time_limit_ms = 60000;
  // Read-only connections the analysis tools split one large scan over (by rowid range); 0 = the hardware's
  // threads, at most 4.
  unsigned scan_workers = 0;
  std::int64_t split_min_rows = 100'000;  // smaller tables are scanned on one connection (threads cost more)
  bool use_column_chunks = true;  // aggregate from the import-time column chunks when present (tests turn it off)
};

struct QueryTable {
  std::vector<std::string> columns;
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();  // arrays of cells, in column order
  std::size_t bytes = 0;
  std::size_t cells_cut = 0;   // cells shortened to max_cell_bytes
  bool truncated = false;      // more rows existed than were returned
  std::string truncated_by;    // "max_rows" or "max_bytes"
};

class ReadOnlyQuery {
 public:
  // Opens `path` read-only. Throws ToolFailure naming the file when it cannot.
  ReadOnlyQuery(const std::string& path, QueryLimits limits);
  ~ReadOnlyQuery();
  ReadOnlyQuery(const ReadOnlyQuery&) = delete;
  ReadOnlyQuery& operator=(const ReadOnlyQuery&) = delete;

  const QueryLimits& limits() const { return limits_; }

  // Runs one statement and returns at most `max_rows` rows / `max_bytes` bytes of it.
  QueryTable table(std::string_view sql, const nlohmann::json& params, std::size_t max_rows, std::size_t max_bytes);
  // Runs one statement and hands each row to `row` (for the analysis tools, which aggregate as they stream),
  // under limits().scan_time_limit_ms.
  void scan(std::string_view sql, const nlohmann::json& params, const std::function<void(sqlite3_stmt*)>& row);

  // Names of the store's user tables and their columns, for error hints ("no such column" -> what exists).
  std::string schema_hint(std::size_t max_chars = 1500);

 private:
  struct Statement;
  std::unique_ptr<Statement> prepare(std::string_view sql, const nlohmann::json& params, int time_limit_ms);
  [[noreturn]] void fail_step(int rc, std::string_view sql);
  static int authorize(void* self, int action, const char* a1, const char* a2, const char* db, const char* trigger);
  static int progress(void* self);

  sqlite3* db_ = nullptr;
  QueryLimits limits_;
  long long deadline_ns_ = 0;   // steady_clock time at which the running statement is stopped
  bool timed_out_ = false;
  int active_limit_ms_ = 0;     // the limit of the running statement, for the error text
  std::string denied_;          // why the authorizer refused, for the error text
};

}  // namespace tally::data::tools
