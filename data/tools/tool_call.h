#pragma once
// What one tool implementation sees: validated arguments, the read-only connection (every query recorded for
// provenance) and the dataset catalog.
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tally/data/column_chunks.h"
#include "tally/data/read_only_query.h"
#include "tally/data/tools.h"
#include "tools/dataset_catalog.h"

namespace tally::data::tools {

// Arguments checked against the tool's JSON Schema (the subset the tools use: type, enum, minimum, maximum,
// items.type, required, no unknown properties), so the schema the model sees is the rule that is enforced.
class Arguments {
 public:
  Arguments(const nlohmann::json& args, const nlohmann::ordered_json& schema);

  bool has(std::string_view name) const;
  const nlohmann::json& raw(std::string_view name) const;  // null when absent
  std::string string(std::string_view name, std::string fallback = {}) const;
  long long integer(std::string_view name, long long fallback) const;
  double number(std::string_view name, double fallback) const;
  std::optional<double> optional_number(std::string_view name) const;
  std::vector<std::string> strings(std::string_view name) const;

 private:
  nlohmann::json args_;
};

class ToolCall {
 public:
  // `connection(i)` opens (once) and returns read-only connection i < workers; connection(0) is the main one.
  ToolCall(std::function<ReadOnlyQuery&(std::size_t)> connection, std::size_t workers)
      : connection_(std::move(connection)), db_(connection_(0)), workers_(workers == 0 ? 1 : workers) {}

  const DatasetCatalog& catalog();
  const QueryLimits& limits() const { return db_.limits(); }

  QueryTable table(const std::string& sql, const nlohmann::json& params, std::size_t max_rows, std::size_t max_bytes);
  void scan(const std::string& sql, const nlohmann::json& params, const std::function<void(sqlite3_stmt*)>& row);
  // `select_from` ("SELECT ... FROM table") + `where` (" WHERE ..." or "") split into rowid ranges, one per worker
  // connection, scanned in parallel: on two cores a million-row scan takes half the time. `row(part, stmt)` is
  // called from worker `part` only, so each part keeps its own accumulator; the caller merges them. Small tables
  // (under limits().split_min_rows rows) are scanned in one part. Returns the number of parts.
  std::size_t scan_split(const std::string& select_from, const std::string& table, const std::string& where,
                         const nlohmann::json& params, std::int64_t rows_hint,
                         const std::function<void(std::size_t part, sqlite3_stmt*)>& row);
  std::size_t workers() const { return workers_; }
  // The dataset's import-time column chunks (tally/data/column_chunks.h) of `ordinals`, one chunk index at a time
  // (chunk[i] is column ordinals[i]), chunk indices spread over the worker connections; `chunk(part, ...)` runs on
  // worker `part` only. Records `equivalent_sql` as the provenance. Returns false, having called nothing, when the
  // dataset has no complete chunks for those columns (a store written before they existed): scan the rows instead.
  bool scan_chunks(const DatasetInfo& ds, const std::vector<int>& ordinals, const std::string& equivalent_sql,
                   const std::function<void(std::size_t part, std::span<const ColumnChunk> chunk)>& chunk);

  // Adds a note to the last recorded query (e.g. how its rows were aggregated after the scan).
  void annotate(nlohmann::ordered_json note);

  const nlohmann::ordered_json& provenance() const { return queries_; }

 private:
  void record(const std::string& sql, const nlohmann::json& params);

  std::function<ReadOnlyQuery&(std::size_t)> connection_;
  ReadOnlyQuery& db_;
  std::size_t workers_;
  std::optional<DatasetCatalog> catalog_;
  nlohmann::ordered_json queries_ = nlohmann::ordered_json::array();
};

struct ToolOutput {
  nlohmann::ordered_json result;
  std::string summary;  // one line for audit_log
};

struct ToolDefinition {
  ToolSpec spec;
  ToolOutput (*run)(ToolCall& call, const Arguments& args);
};

// One per tool file.
ToolDefinition list_datasets_tool();
ToolDefinition describe_dataset_tool();
ToolDefinition sql_query_tool();
ToolDefinition timeseries_tool();
ToolDefinition compare_groups_tool();
ToolDefinition anomalies_tool();

// Finite doubles as numbers, NaN/inf as null (JSON has no NaN); rounded to `digits` significant digits so results
// stay short in the model's context.
nlohmann::ordered_json number_or_null(double v, int digits = 10);

}  // namespace tally::data::tools
