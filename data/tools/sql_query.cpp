// sql_query: the model's own read-only SQL, run on ReadOnlyQuery with the row, byte and time caps.
#include "tools/tool_call.h"

#include <algorithm>

namespace tally::data::tools {

namespace {

ToolOutput run(ToolCall& call, const Arguments& args) {
  const auto& limits = call.limits();
  const std::size_t max_rows =
      std::min<std::size_t>(limits.max_rows, static_cast<std::size_t>(args.integer("max_rows", static_cast<long long>(limits.max_rows))));
  const std::string sql = args.string("sql");
  const nlohmann::json params = args.has("params") ? args.raw("params") : nlohmann::json::array();
  QueryTable t = call.table(sql, params, max_rows, limits.max_bytes);
  nlohmann::ordered_json result;
  result["columns"] = t.columns;
  result["rows"] = std::move(t.rows);
  result["row_count"] = result["rows"].size();
  result["truncated"] = t.truncated;
  if (t.truncated) {
    result["truncated_by"] = t.truncated_by;
    result["note"] = "more rows exist than were returned; aggregate (GROUP BY) or add a LIMIT/WHERE";
  }
  if (t.cells_cut > 0) result["cells_cut"] = t.cells_cut;
  result["caps"] = {{"max_rows", max_rows}, {"max_bytes", limits.max_bytes}, {"max_cell_bytes", limits.max_cell_bytes},
                    {"time_limit_ms", limits.time_limit_ms}};
  const std::string summary = std::to_string(result["row_count"].get<std::size_t>()) + " rows x " +
                              std::to_string(t.columns.size()) + " columns" + (t.truncated ? " (truncated)" : "");
  return {std::move(result), summary};
}

}  // namespace

ToolDefinition sql_query_tool() {
  ToolDefinition d;
  d.spec.name = "sql_query";
  d.spec.description =
      "Runs one read-only SQLite SELECT (WITH ... SELECT allowed) over the datasets' tables and returns the rows. "
      "Use the table and column SQL names from list_datasets/describe_dataset, quoted with double quotes. Dates are "
      "TEXT 'YYYY-MM-DD' (month columns 'YYYY-MM'). Results are capped in rows, bytes and time: aggregate in SQL "
      "instead of fetching raw rows. Bind values with ? and 'params'.";
  d.spec.parameters = {
      {"type", "object"},
      {"properties",
       {{"sql", {{"type", "string"}, {"description", "one SELECT statement"}}},
        {"params",
         {{"type", "array"},
          {"description", "values for the ? placeholders, in order"},
          {"items", {{"type", nlohmann::ordered_json::array({"string", "number", "boolean", "null"})}}}}},
        {"max_rows", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}, {"description", "fewer rows than the default cap"}}}}},
      {"required", nlohmann::ordered_json::array({"sql"})},
      {"additionalProperties", false}};
  d.run = &run;
  return d;
}

}  // namespace tally::data::tools
