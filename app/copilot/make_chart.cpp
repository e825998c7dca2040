#include "copilot/make_chart.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>

namespace tally::app {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string column_list(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + c;
  return out;
}

// Models often change a column's case ("Revenue" for "revenue"): an exact match wins, then a unique caseless one.
std::variant<std::size_t, std::string> find_column(const std::vector<std::string>& columns, const std::string& name,
                                                   const char* role) {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (lower(columns[i]) != lower(name)) continue;
    if (found) { found.reset(); break; }
    found = i;
  }
  if (found) return *found;
  return std::string(role) + " column '" + name + "' is not in the data (its columns: " + column_list(columns) + ")";
}

double number_of(const json& cell) {
  if (cell.is_number()) return cell.get<double>();
  if (cell.is_boolean()) return cell.get<bool>() ? 1 : 0;
  if (cell.is_string()) {
    const std::string& s = cell.get_ref<const std::string&>();
    if (s.empty()) return kNaN;
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (end && *end == '\0' && std::isfinite(d)) return d;
  }
  return kNaN;
}

std::string format_number(double d) {
  char buf[64];
  if (std::fabs(d) < 1e15 && d == std::floor(d)) std::snprintf(buf, sizeof buf, "%.0f", d);
  else std::snprintf(buf, sizeof buf, "%.6g", d);
  return buf;
}

std::string label_of(const json& cell) {
  if (cell.is_string()) return cell.get<std::string>();
  if (cell.is_null()) return "(none)";
  if (cell.is_number()) return format_number(cell.get<double>());
  return cell.dump(-1, ' ', false, json::error_handler_t::replace);
}

const json& cell_at(const json& row, std::size_t i) {
  static const json null_cell;
  return row.is_array() && i < row.size() ? row[i] : null_cell;
}

struct ChartArgs {
  ChartType type = ChartType::Line;
  std::string x, group_by;
  std::vector<std::string> y;
};

std::variant<ChartArgs, std::string> read_args(const json& a) {
  if (!a.is_object()) return std::string("arguments must be a JSON object");
  ChartArgs out;
  auto type = a.find("type");
  if (type == a.end() || !type->is_string()) return std::string("'type' is required: one of line, bar, stacked_bar, area, scatter, histogram");
  auto t = chart_type_from_string(type->get<std::string>());
  if (!t) return "'type' is '" + type->get<std::string>() + "'; use one of line, bar, stacked_bar, area, scatter, histogram";
  out.type = *t;
  for (const char* key : {"x", "group_by", "title", "x_unit", "y_unit", "sql", "result_of"}) {
    auto it = a.find(key);
    if (it != a.end() && !it->is_null() && !it->is_string()) return std::string("'") + key + "' must be a string";
  }
  if (auto x = a.find("x"); x != a.end() && x->is_string()) out.x = x->get<std::string>();
  if (auto g = a.find("group_by"); g != a.end() && g->is_string()) out.group_by = g->get<std::string>();
  if (auto y = a.find("y"); y != a.end() && !y->is_null()) {
    if (y->is_string()) {
      out.y.push_back(y->get<std::string>());
    } else if (y->is_array()) {
      for (const auto& v : *y) {
        if (!v.is_string()) return std::string("'y' must be a column name or an array of column names");
        out.y.push_back(v.get<std::string>());
      }
    } else {
      return std::string("'y' must be a column name or an array of column names");
    }
  }
  if (out.type == ChartType::Histogram) {
    if (out.x.empty() && out.y.empty()) return std::string("a histogram needs 'x': the column whose values are binned");
  } else {
    if (out.x.empty()) return std::string("'x' is required: the column for the x axis");
    if (out.y.empty()) return std::string("'y' is required: one or more value columns");
  }
  if (!out.group_by.empty() && out.y.size() > 1)
    return std::string("with 'group_by', give a single 'y' column (each group becomes one series)");
  if (auto bins = a.find("bins"); bins != a.end() && !bins->is_null()) {
    if (!bins->is_number_integer() || bins->get<long long>() < 0 || bins->get<long long>() > 1000)
      return std::string("'bins' must be an integer from 0 to 1000");
  }
  return out;
}

std::string text_arg(const json& a, const char* key) {
  auto it = a.find(key);
  return it != a.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string series_limit_error(std::size_t n) {
  return "the chart would have " + std::to_string(n) + " series; at most " + std::to_string(kChartMaxSeries) +
         " can be drawn: filter in SQL or group by a column with fewer values";
}

// Bar-like charts (and line/area over labels): one category per distinct x, one value per series and category.
std::optional<std::string> fill_categorical(ChartSpec& spec, const ChartData& data, std::size_t xi,
                                            const std::vector<std::size_t>& yi, std::optional<std::size_t> gi,
                                            const std::vector<std::string>& y_names) {
  std::map<std::string, std::size_t> cat_index, series_index;
  std::vector<std::string> series_names;
  std::vector<std::map<std::size_t, double>> values;
  for (const auto& row : data.rows) {
    const std::string cat = label_of(cell_at(row, xi));
    auto [cit, cat_new] = cat_index.try_emplace(cat, spec.categories.size());
    if (cat_new) spec.categories.push_back(cat);
    for (std::size_t k = 0; k < yi.size(); ++k) {
      const std::string name = gi ? label_of(cell_at(row, *gi)) : y_names[k];
      auto [sit, series_new] = series_index.try_emplace(name, series_names.size());
      if (series_new) {
        if (series_names.size() >= kChartMaxSeries) return series_limit_error(series_names.size() + 1);
        series_names.push_back(name);
        values.emplace_back();
      }
      const double v = number_of(cell_at(row, yi[k]));
      if (std::isnan(v)) continue;
      // Several rows for one (category, series) are summed: the chart shows the total, as a pivot would.
      auto [vit, fresh] = values[sit->second].try_emplace(cit->second, v);
      if (!fresh) vit->second += v;
    }
  }
  for (std::size_t s = 0; s < series_names.size(); ++s) {
    ChartSeries series{series_names[s], {}, std::vector<double>(spec.categories.size(), kNaN)};
    for (const auto& [c, v] : values[s]) series.y[c] = v;
    spec.series.push_back(std::move(series));
  }
  return std::nullopt;
}

// Scatter (and line/area over a numeric x): points in row order.
std::optional<std::string> fill_numeric(ChartSpec& spec, const ChartData& data, std::size_t xi,
                                        const std::vector<std::size_t>& yi, std::optional<std::size_t> gi,
                                        const std::vector<std::string>& y_names) {
  std::map<std::string, std::size_t> series_index;
  for (const auto& row : data.rows) {
    const double x = number_of(cell_at(row, xi));
    if (std::isnan(x)) continue;
    for (std::size_t k = 0; k < yi.size(); ++k) {
      const std::string name = gi ? label_of(cell_at(row, *gi)) : y_names[k];
      auto [sit, fresh] = series_index.try_emplace(name, spec.series.size());
      if (fresh) {
        if (spec.series.size() >= kChartMaxSeries) return series_limit_error(spec.series.size() + 1);
        spec.series.push_back({name, {}, {}});
      }
      spec.series[sit->second].x.push_back(x);
      spec.series[sit->second].y.push_back(number_of(cell_at(row, yi[k])));
    }
  }
  return std::nullopt;
}

bool x_is_numeric(const ChartData& data, std::size_t xi) {
  bool any = false;
  for (const auto& row : data.rows) {
    const json& c = cell_at(row, xi);
    if (c.is_null()) continue;
    if (!c.is_number()) return false;
    any = true;
  }
  return any;
}

}  // namespace

const data::tools::ToolSpec& make_chart_spec() {
  static const data::tools::ToolSpec spec = [] {
    data::tools::ToolSpec s;
    s.name = kMakeChartTool;
    s.description =
        "Draws a chart in the user's chart pane. Give the data as one read-only SELECT ('sql') or as an earlier "
        "sql_query result ('result_of': the result_id that result carried). 'x' is the x-axis column, 'y' one or "
        "more value columns; 'group_by' splits one y column into a series per value. Aggregate in SQL first (at "
        "most 1000 rows are drawn). The result says what was drawn: series, point counts and ranges.";
    s.parameters = {
        {"type", "object"},
        {"properties",
         {{"type",
           {{"type", "string"},
            {"enum", ojson::array({"line", "bar", "stacked_bar", "area", "scatter", "histogram"})}}},
          {"sql", {{"type", "string"}, {"description", "one SELECT whose rows are drawn"}}},
          {"result_of", {{"type", "string"}, {"description", "result_id of an earlier sql_query result to draw"}}},
          {"x", {{"type", "string"}, {"description", "x-axis column (for a histogram: the column to bin)"}}},
          {"y", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "value column(s)"}}},
          {"group_by", {{"type", "string"}, {"description", "column whose values become separate series"}}},
          {"title", {{"type", "string"}}},
          {"x_unit", {{"type", "string"}, {"description", "unit of the x axis, e.g. KRW"}}},
          {"y_unit", {{"type", "string"}, {"description", "unit of the y axis, e.g. KRW or %"}}},
          {"bins", {{"type", "integer"}, {"minimum", 0}, {"maximum", 1000}, {"description", "histogram bins"}}}}},
        {"required", ojson::array({"type", "x"})},
        {"additionalProperties", false}};
    return s;
  }();
  return spec;
}

std::variant<ChartSpec, std::string> build_chart(const nlohmann::json& arguments, const ChartData& data) {
  auto parsed = read_args(arguments);
  if (auto* err = std::get_if<std::string>(&parsed)) return *err;
  const ChartArgs& a = std::get<ChartArgs>(parsed);
  ChartSpec spec;
  spec.type = a.type;
  spec.title = text_arg(arguments, "title");
  spec.x_unit = text_arg(arguments, "x_unit");
  spec.y_unit = text_arg(arguments, "y_unit");
  spec.source_sql = data.sql;
  if (auto bins = arguments.find("bins"); bins != arguments.end() && bins->is_number_integer())
    spec.bins = bins->get<int>();
  if (data.rows.empty()) return std::string("the data has no rows: nothing to draw (check the WHERE clause)");

  if (a.type == ChartType::Histogram) {
    const std::string& column = a.x.empty() ? a.y.front() : a.x;
    auto ci = find_column(data.columns, column, "x");
    if (auto* err = std::get_if<std::string>(&ci)) return *err;
    ChartSeries s{data.columns[std::get<std::size_t>(ci)], {}, {}};
    for (const auto& row : data.rows) {
      const double v = number_of(cell_at(row, std::get<std::size_t>(ci)));
      if (!std::isnan(v)) s.x.push_back(v);
    }
    if (s.x.empty()) return "column '" + s.name + "' has no numeric values to bin";
    spec.x_title = s.name;  // the y axis (counts) is titled by the pane, in the user's language
    spec.series.push_back(std::move(s));
    return spec;
  }

  auto xi = find_column(data.columns, a.x, "x");
  if (auto* err = std::get_if<std::string>(&xi)) return *err;
  std::vector<std::size_t> yi;
  std::vector<std::string> y_names;
  for (const auto& y : a.y) {
    auto i = find_column(data.columns, y, "y");
    if (auto* err = std::get_if<std::string>(&i)) return *err;
    yi.push_back(std::get<std::size_t>(i));
    y_names.push_back(data.columns[yi.back()]);
  }
  std::optional<std::size_t> gi;
  if (!a.group_by.empty()) {
    auto g = find_column(data.columns, a.group_by, "group_by");
    if (auto* err = std::get_if<std::string>(&g)) return *err;
    gi = std::get<std::size_t>(g);
  }
  spec.x_title = data.columns[std::get<std::size_t>(xi)];
  for (const auto& n : y_names) spec.y_title += (spec.y_title.empty() ? "" : ", ") + n;

  const bool numeric = a.type == ChartType::Scatter ||
                       ((a.type == ChartType::Line || a.type == ChartType::Area) &&
                        x_is_numeric(data, std::get<std::size_t>(xi)));
  auto err = numeric ? fill_numeric(spec, data, std::get<std::size_t>(xi), yi, gi, y_names)
                     : fill_categorical(spec, data, std::get<std::size_t>(xi), yi, gi, y_names);
  if (err) return *err;
  const bool any_value = std::any_of(spec.series.begin(), spec.series.end(), [](const ChartSeries& s) {
    return std::any_of(s.y.begin(), s.y.end(), [](double v) { return !std::isnan(v); });
  });
  if (!any_value) return "the y column(s) " + column_list(y_names) + " hold no numeric values to draw";
  return spec;
}

nlohmann::ordered_json describe_chart(const ChartSpec& spec, const ChartData& data) {
  ojson d;
  d["drawn"] = to_string(spec.type) + " chart" + (spec.title.empty() ? "" : " '" + spec.title + "'");
  d["x"] = spec.x_title;
  if (!spec.categories.empty()) {
    d["categories"] = spec.categories.size();
    d["first_category"] = spec.categories.front();
    d["last_category"] = spec.categories.back();
  }
  ojson series = ojson::array();
  for (const auto& s : spec.series) {
    const std::vector<double>& values = spec.type == ChartType::Histogram ? s.x : s.y;
    ojson one;
    one["name"] = s.name;
    std::size_t points = 0;
    double lo = 0, hi = 0, sum = 0;
    for (double v : values) {
      if (std::isnan(v)) continue;
      if (points == 0 || v < lo) lo = v;
      if (points == 0 || v > hi) hi = v;
      sum += v;
      ++points;
    }
    one["points"] = points;
    if (points > 0) {
      one["min"] = lo;
      one["max"] = hi;
      one["sum"] = sum;
    }
    if (!s.x.empty() && spec.type != ChartType::Histogram) {
      const auto [mn, mx] = std::minmax_element(s.x.begin(), s.x.end());
      one["x_range"] = ojson::array({*mn, *mx});
    }
    series.push_back(std::move(one));
  }
  d["series"] = std::move(series);
  if (data.truncated)
    d["note"] = "the data had more than " + std::to_string(kChartMaxRows) +
                " rows; only the first were drawn. Aggregate in SQL to draw everything.";
  return d;
}

ChartOutcome run_make_chart(std::string_view arguments_json, data::tools::ToolSession& tools,
                            const ResultLookup& lookup) {
  ChartOutcome out;
  out.envelope["ok"] = false;
  out.envelope["tool"] = kMakeChartTool;
  ojson provenance = {{"queries", ojson::array()}};
  auto fail = [&](const std::string& error) {
    out.envelope["error"] = error;
    out.envelope["provenance"] = provenance;
    return out;
  };
  const json args = json::parse(arguments_json.begin(), arguments_json.end(), nullptr, false);
  if (args.is_discarded())
    return fail("arguments are not valid JSON: " + std::string(arguments_json.substr(0, 200)));
  if (!args.is_object()) return fail("arguments must be a JSON object");
  // Check the chart's own fields before running any SQL, so a typo costs no query.
  if (auto parsed = read_args(args); auto* err = std::get_if<std::string>(&parsed)) return fail(*err);

  ChartData data;
  const std::string sql = text_arg(args, "sql");
  const std::string result_of = text_arg(args, "result_of");
  if (!sql.empty()) {
    const ojson result = tools.call("sql_query", json{{"sql", sql}, {"max_rows", kChartMaxRows}});
    if (auto p = result.find("provenance"); p != result.end()) provenance = *p;
    if (!result.value("ok", false)) return fail("the chart's SQL failed: " + result.value("error", std::string("unknown error")));
    const ojson& r = result["result"];
    data.columns = r.value("columns", std::vector<std::string>{});
    data.rows = json::parse(r["rows"].dump());
    data.truncated = r.value("truncated", false);
    data.sql = sql;
  } else if (!result_of.empty()) {
    auto found = lookup ? lookup(result_of) : std::nullopt;
    if (!found) return fail("no earlier sql_query result has result_id '" + result_of + "'; give 'sql' instead");
    data = std::move(*found);
  } else {
    return fail("give the data: 'sql' (one SELECT) or 'result_of' (an earlier sql_query result_id)");
  }

  auto built = build_chart(args, data);
  if (auto* err = std::get_if<std::string>(&built)) return fail(*err);
  ChartSpec& spec = std::get<ChartSpec>(built);
  out.envelope["ok"] = true;
  out.envelope["result"] = describe_chart(spec, data);
  out.envelope["chart"] = to_json(spec);
  out.envelope["provenance"] = provenance;
  out.chart = std::move(spec);
  return out;
}

}  // namespace tally::app
