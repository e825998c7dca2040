#include "ui/chart/chart_data_table.h"

#include <cmath>

namespace tally::ui {

namespace {

nlohmann::json value(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

std::string titled(const std::string& title, const std::string& unit, const char* fallback) {
  std::string t = title.empty() ? fallback : title;
  if (!unit.empty()) t += " (" + unit + ")";
  return t;
}

}  // namespace

tally::data::ExportTable chart_data_table(const tally::app::ChartSpec& spec) {
  using tally::data::ColumnType;
  tally::data::ExportTable t;
  t.name = spec.title.empty() ? "Chart" : spec.title;
  const std::string x = titled(spec.x_title, spec.x_unit, "x");
  const std::string y = titled(spec.y_title, spec.y_unit, "y");
  if (!spec.categories.empty()) {
    t.columns.push_back({x, ColumnType::Text, "", true});
    for (const auto& s : spec.series) t.columns.push_back({s.name.empty() ? y : s.name, ColumnType::Decimal, "", true});
    for (std::size_t i = 0; i < spec.categories.size(); ++i) {
      std::vector<nlohmann::json> row{spec.categories[i]};
      for (const auto& s : spec.series) row.push_back(i < s.y.size() ? value(s.y[i]) : nlohmann::json());
      t.rows.push_back(std::move(row));
    }
    return t;
  }
  const bool histogram = spec.type == tally::app::ChartType::Histogram;
  t.columns.push_back({"series", ColumnType::Text, "", true});
  t.columns.push_back({x, ColumnType::Decimal, "", true});
  if (!histogram) t.columns.push_back({y, ColumnType::Decimal, "", true});
  for (const auto& s : spec.series) {
    const std::size_t n = histogram ? s.x.size() : std::max(s.x.size(), s.y.size());
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<nlohmann::json> row{s.name};
      row.push_back(i < s.x.size() ? value(s.x[i]) : nlohmann::json(static_cast<std::int64_t>(i + 1)));
      if (!histogram) row.push_back(i < s.y.size() ? value(s.y[i]) : nlohmann::json());
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

}  // namespace tally::ui
