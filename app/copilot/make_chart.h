#pragma once
// make_chart: the model's function tool for drawing in the chart pane. Its data comes from one read-only SELECT
// (run through the data layer's sql_query tool, so the same read-only guards and caps apply) or from an earlier
// sql_query result in the conversation (`result_of`: the id that result carried). The tool result tells the model
// what was drawn — series, point counts, ranges — so it can describe the chart without seeing it.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "copilot/chart_spec.h"
#include "tally/data/tools.h"

namespace tally::app {

inline constexpr const char* kMakeChartTool = "make_chart";
inline constexpr std::size_t kChartMaxRows = 1000;  // rows fetched for one chart (sql_query's own maximum)
inline constexpr std::size_t kChartMaxSeries = 50;

// The tool as the model sees it (name, description, JSON Schema of the arguments).
const data::tools::ToolSpec& make_chart_spec();

// Rows to draw: what sql_query returned (columns, rows as arrays of cells).
struct ChartData {
  std::vector<std::string> columns;
  nlohmann::json rows = nlohmann::json::array();
  std::string sql;
  bool truncated = false;
};

// Looks up an earlier result by the id it carried ("call_12"); nullopt when unknown.
using ResultLookup = std::function<std::optional<ChartData>(const std::string& id)>;

// Builds the chart from parsed arguments and rows; an error text the model can act on otherwise.
std::variant<ChartSpec, std::string> build_chart(const nlohmann::json& arguments, const ChartData& data);
// What the model is told about a drawn chart.
nlohmann::ordered_json describe_chart(const ChartSpec& spec, const ChartData& data);

struct ChartOutcome {
  // {"ok": true, "tool": "make_chart", "result": <describe_chart>, "chart": <ChartSpec>, "provenance": ...} or
  // {"ok": false, "tool": "make_chart", "error": "...", "provenance": ...}, the data layer's envelope shape.
  nlohmann::ordered_json envelope;
  std::optional<ChartSpec> chart;
};

// Never throws on bad input: malformed JSON, missing fields, unknown columns and SQL errors become the error.
ChartOutcome run_make_chart(std::string_view arguments_json, data::tools::ToolSession& tools,
                            const ResultLookup& lookup);

}  // namespace tally::app
