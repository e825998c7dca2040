#pragma once
// The analysis tools the model calls (harmony function tools): list_datasets, describe_dataset, sql_query,
// timeseries, compare_groups, anomalies. Each takes a JSON object of arguments and returns a JSON object:
//   {"ok": true,  "tool": ..., "result": {...}, "provenance": {"queries": [{"sql": ..., "params": [...]}, ...]}}
//   {"ok": false, "tool": ..., "error": "text the model can act on", "provenance": {...}}
// Provenance lists the exact SQL and parameters that produced the result. Every call is written to audit_log
// (arguments, a one-line result summary, duration, error).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tally/data/read_only_query.h"

struct sqlite3;

namespace tally::data::tools {

struct ToolSpec {
  std::string name;
  std::string description;
  nlohmann::ordered_json parameters;  // JSON Schema of the arguments object

  nlohmann::ordered_json to_json() const;  // {"name", "description", "parameters"}
};

// The registry, in a fixed order (the order the developer message lists them in).
const std::vector<ToolSpec>& tool_specs();
nlohmann::ordered_json tool_specs_json();
const ToolSpec* find_tool(std::string_view name);

class ToolSession {
 public:
  // `store` is the user's open store (read-write; only audit_log is written through it). Tools read through a
  // separate read-only connection opened on the same file. `store` must outlive the session.
  explicit ToolSession(sqlite3* store, QueryLimits limits = {});
  ~ToolSession();
  ToolSession(const ToolSession&) = delete;
  ToolSession& operator=(const ToolSession&) = delete;

  // Audit rows carry this conversation id (none by default).
  void set_conversation(std::optional<std::int64_t> id) { conversation_ = id; }
  const QueryLimits& limits() const { return limits_; }

  // Never throws on bad input: unknown tools, bad arguments and SQL errors come back as {"ok": false, ...}.
  nlohmann::ordered_json call(std::string_view tool, const nlohmann::json& arguments);
  // As above with the arguments as the model wrote them (JSON text); malformed JSON is reported, not thrown.
  nlohmann::ordered_json call_text(std::string_view tool, std::string_view arguments_json);

 private:
  ReadOnlyQuery& reader(std::size_t i);
  std::size_t workers() const;
  void audit(std::string_view tool, const std::string& arguments, const std::string& summary, double ms,
             const std::string* error);

  sqlite3* store_;
  QueryLimits limits_;
  std::optional<std::int64_t> conversation_;
  std::vector<std::unique_ptr<ReadOnlyQuery>> readers_;
};

}  // namespace tally::data::tools
