#include "copilot/chart_spec.h"

#include <cmath>
#include <limits>

namespace tally::app {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

constexpr std::pair<ChartType, const char*> kTypeNames[] = {
    {ChartType::Line, "line"},       {ChartType::Bar, "bar"},         {ChartType::StackedBar, "stacked_bar"},
    {ChartType::Area, "area"},       {ChartType::Scatter, "scatter"}, {ChartType::Histogram, "histogram"}};

// NaN marks a missing value; JSON has no NaN, so it travels as null.
ojson numbers_to_json(const std::vector<double>& v) {
  ojson out = ojson::array();
  for (double d : v) {
    if (std::isfinite(d)) out.push_back(d);
    else out.push_back(nullptr);
  }
  return out;
}

bool fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

bool read_string(const json& j, const char* key, std::string& out, std::string* error) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return true;
  if (!it->is_string()) return fail(error, std::string("chart spec field '") + key + "' must be a string");
  out = it->get<std::string>();
  return true;
}

bool read_numbers(const json& j, const std::string& field, std::vector<double>& out, std::string* error) {
  if (j.is_null()) return true;
  if (!j.is_array()) return fail(error, "chart spec field '" + field + "' must be an array of numbers");
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    const json& v = j[i];
    if (v.is_null()) out.push_back(std::numeric_limits<double>::quiet_NaN());
    else if (v.is_number()) out.push_back(v.get<double>());
    else return fail(error, "chart spec field '" + field + "[" + std::to_string(i) + "]' must be a number or null");
  }
  return true;
}

bool read_series(const json& j, std::size_t index, ChartSeries& out, std::string* error) {
  const std::string field = "series[" + std::to_string(index) + "]";
  if (!j.is_object()) return fail(error, "chart spec field '" + field + "' must be an object");
  auto name = j.find("name");
  if (name != j.end() && !name->is_null()) {
    if (!name->is_string()) return fail(error, "chart spec field '" + field + ".name' must be a string");
    out.name = name->get<std::string>();
  }
  if (auto x = j.find("x"); x != j.end() && !read_numbers(*x, field + ".x", out.x, error)) return false;
  if (auto y = j.find("y"); y != j.end() && !read_numbers(*y, field + ".y", out.y, error)) return false;
  return true;
}

}  // namespace

std::string to_string(ChartType t) {
  for (const auto& [type, name] : kTypeNames)
    if (type == t) return name;
  return "line";
}

std::optional<ChartType> chart_type_from_string(const std::string& s) {
  for (const auto& [type, name] : kTypeNames)
    if (s == name) return type;
  return std::nullopt;
}

nlohmann::ordered_json to_json(const ChartSpec& spec) {
  ojson j;
  j["type"] = to_string(spec.type);
  j["title"] = spec.title;
  j["x_title"] = spec.x_title;
  j["x_unit"] = spec.x_unit;
  j["y_title"] = spec.y_title;
  j["y_unit"] = spec.y_unit;
  j["categories"] = spec.categories;
  ojson series = ojson::array();
  for (const auto& s : spec.series) {
    ojson one;
    one["name"] = s.name;
    one["x"] = numbers_to_json(s.x);
    one["y"] = numbers_to_json(s.y);
    series.push_back(std::move(one));
  }
  j["series"] = std::move(series);
  j["bins"] = spec.bins;
  j["source_sql"] = spec.source_sql;
  return j;
}

std::optional<ChartSpec> chart_spec_from_json(const nlohmann::json& j, std::string* error) {
  if (!j.is_object()) {
    fail(error, "chart spec must be a JSON object");
    return std::nullopt;
  }
  ChartSpec spec;
  auto type = j.find("type");
  if (type == j.end() || !type->is_string()) {
    fail(error, "chart spec field 'type' is missing or not a string");
    return std::nullopt;
  }
  auto t = chart_type_from_string(type->get<std::string>());
  if (!t) {
    fail(error, "chart spec field 'type' is '" + type->get<std::string>() +
                    "'; expected line, bar, stacked_bar, area, scatter or histogram");
    return std::nullopt;
  }
  spec.type = *t;
  for (auto [key, target] : {std::pair{"title", &spec.title}, std::pair{"x_title", &spec.x_title},
                             std::pair{"x_unit", &spec.x_unit}, std::pair{"y_title", &spec.y_title},
                             std::pair{"y_unit", &spec.y_unit}, std::pair{"source_sql", &spec.source_sql}}) {
    if (!read_string(j, key, *target, error)) return std::nullopt;
  }
  if (auto cats = j.find("categories"); cats != j.end() && !cats->is_null()) {
    if (!cats->is_array()) {
      fail(error, "chart spec field 'categories' must be an array of strings");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < cats->size(); ++i) {
      if (!(*cats)[i].is_string()) {
        fail(error, "chart spec field 'categories[" + std::to_string(i) + "]' must be a string");
        return std::nullopt;
      }
      spec.categories.push_back((*cats)[i].get<std::string>());
    }
  }
  if (auto bins = j.find("bins"); bins != j.end() && !bins->is_null()) {
    if (!bins->is_number_integer() || bins->get<long long>() < 0 || bins->get<long long>() > 10000) {
      fail(error, "chart spec field 'bins' must be an integer from 0 to 10000");
      return std::nullopt;
    }
    spec.bins = bins->get<int>();
  }
  auto series = j.find("series");
  if (series == j.end() || !series->is_array()) {
    fail(error, "chart spec field 'series' is missing or not an array");
    return std::nullopt;
  }
  for (std::size_t i = 0; i < series->size(); ++i) {
    ChartSeries s;
    if (!read_series((*series)[i], i, s, error)) return std::nullopt;
    const std::string field = "series[" + std::to_string(i) + "]";
    // The pane indexes y by category (or by x); a length mismatch would make it read past the end.
    if (!spec.categories.empty() && s.y.size() != spec.categories.size()) {
      fail(error, "chart spec field '" + field + ".y' has " + std::to_string(s.y.size()) + " values for " +
                      std::to_string(spec.categories.size()) + " categories");
      return std::nullopt;
    }
    if (!s.x.empty() && !s.y.empty() && s.x.size() != s.y.size()) {
      fail(error, "chart spec field '" + field + ".x' has " + std::to_string(s.x.size()) + " values but '.y' has " +
                      std::to_string(s.y.size()));
      return std::nullopt;
    }
    spec.series.push_back(std::move(s));
  }
  return spec;
}

}  // namespace tally::app
