#pragma once
// What the chart pane draws: the result of the model's make_chart tool, also stored in the tool message so a restored
// conversation redraws the same chart. Plain C++ (no Qt): the copilot loop builds it, the chart pane renders it.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tally::app {

enum class ChartType { Line, Bar, StackedBar, Area, Scatter, Histogram };

struct ChartSeries {
  std::string name;        // legend entry (a group-by value, or the y column)
  std::vector<double> x;   // numeric x (scatter, histogram values, numeric line x); empty when categorical
  std::vector<double> y;   // one value per category (or per x); NaN where the data has no value
};

struct ChartSpec {
  ChartType type = ChartType::Line;
  std::string title;
  std::string x_title, x_unit;   // axis titles; units shown as "Revenue (KRW)"
  std::string y_title, y_unit;
  std::vector<std::string> categories;  // categorical x labels (months, regions), shared by all series
  std::vector<ChartSeries> series;
  int bins = 0;                // histogram: number of bins (0 = automatic)
  std::string source_sql;      // provenance: the query that produced the data
};

std::string to_string(ChartType t);                       // "line", "bar", "stacked_bar", "area", "scatter", "histogram"
std::optional<ChartType> chart_type_from_string(const std::string& s);
nlohmann::ordered_json to_json(const ChartSpec& spec);
// Errors name the offending field; never throws.
std::optional<ChartSpec> chart_spec_from_json(const nlohmann::json& j, std::string* error);

}  // namespace tally::app
