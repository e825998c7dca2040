// timeseries: a metric resampled by calendar period, with period-over-period and year-over-year growth, a moving
// average, a linear trend, seasonality strength and a Holt-Winters forecast with intervals.
#include <cmath>

#include "tools/holt_winters.h"
#include "tools/period_aggregate.h"
#include "tools/series_stats.h"

namespace tally::data::tools {

namespace {

std::string season_position(Grain g, long ordinal) {
  static const char* kWeekdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01 was a Thursday
  switch (g) {
    case Grain::Day: return kWeekdays[((ordinal % 7) + 7) % 7];
    case Grain::Month: return period_label(g, ordinal).substr(5, 2);
    case Grain::Quarter: return period_label(g, ordinal).substr(5, 2);
    default: return period_label(g, ordinal);
  }
}

nlohmann::ordered_json describe_series(const PeriodTable& t, const PeriodSeries& s, const Arguments& args) {
  const auto& y = s.values;
  const std::size_t n = y.size();
  const auto window = static_cast<std::size_t>(args.integer("moving_average", 3));
  const int lag = year_lag(t.grain);
  const auto ma = stats::moving_average(y, window);

  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  double total = 0;
  std::size_t imin = n, imax = n;
  for (std::size_t i = 0; i < n; ++i) {
    nlohmann::ordered_json p;
    p["period"] = period_label(t.grain, t.first + static_cast<long>(i));
    p["value"] = number_or_null(y[i]);
    p["rows"] = s.rows[i];
    p["change_pct"] = i >= 1 ? number_or_null(stats::growth_pct(y[i], y[i - 1]), 6) : nullptr;
    p["yoy_pct"] = i >= static_cast<std::size_t>(lag) ? number_or_null(stats::growth_pct(y[i], y[i - static_cast<std::size_t>(lag)]), 6) : nullptr;
    p["moving_avg"] = number_or_null(ma[i]);
    points.push_back(std::move(p));
    if (std::isnan(y[i])) continue;
    total += y[i];
    if (imin == n || y[i] < y[imin]) imin = i;
    if (imax == n || y[i] > y[imax]) imax = i;
  }

  nlohmann::ordered_json out;
  if (!s.group.empty()) out["group"] = s.group;
  out["points"] = std::move(points);
  nlohmann::ordered_json summary;
  summary["total"] = number_or_null(total, 15);
  summary["rows"] = s.total_rows;
  if (imin < n) {
    summary["min"] = {{"period", period_label(t.grain, t.first + static_cast<long>(imin))}, {"value", number_or_null(y[imin])}};
    summary["max"] = {{"period", period_label(t.grain, t.first + static_cast<long>(imax))}, {"value", number_or_null(y[imax])}};
  }
  out["summary"] = std::move(summary);

  if (auto fit = stats::linear_trend(y)) {
    out["trend"] = {{"slope_per_period", number_or_null(fit->slope)},
                    {"intercept", number_or_null(fit->intercept)},
                    {"r2", number_or_null(fit->r2, 6)},
                    {"direction", fit->slope > 0 ? "up" : fit->slope < 0 ? "down" : "flat"},
                    {"note", "least squares on period index 0, 1, 2, ... (intercept = fitted value of the first period)"}};
  }

  const int m = args.has("season_length") ? static_cast<int>(args.integer("season_length", 0)) : season_length(t.grain);
  if (auto seas = stats::seasonality(y, m)) {
    nlohmann::ordered_json sj;
    sj["season_length"] = m;
    sj["strength"] = number_or_null(seas->strength, 6);
    if (m <= 12) {
      nlohmann::ordered_json index = nlohmann::ordered_json::array();
      std::size_t peak = 0;
      for (std::size_t k = 0; k < seas->index.size(); ++k) {
        index.push_back({{"position", season_position(t.grain, t.first + static_cast<long>(k))},
                         {"effect", number_or_null(seas->index[k])}});
        if (seas->index[k] > seas->index[peak]) peak = k;
      }
      sj["index"] = std::move(index);
      sj["peak"] = season_position(t.grain, t.first + static_cast<long>(peak));
    }
    out["seasonality"] = std::move(sj);
  } else if (m >= 2) {
    out["seasonality"] = {{"season_length", m}, {"strength", nullptr},
                          {"note", "needs at least two full seasons without gaps"}};
  }

  const int horizon = static_cast<int>(args.integer("forecast_periods", 0));
  if (horizon > 0) {
    std::optional<HoltWintersFit> fit;
    const bool fixed = args.has("alpha") || args.has("beta") || args.has("gamma");
    if (fixed) {
      fit = holt_winters_fit(y, m, {args.number("alpha", 0.3), args.number("beta", 0.1), args.number("gamma", 0.1)});
    } else {
      fit = holt_winters_auto(y, m);
    }
    if (!fit) {
      out["forecast"] = {{"error", "a forecast needs at least 3 periods without gaps (mean of empty periods is unknown)"}};
    } else {
      nlohmann::ordered_json fj;
      fj["method"] = fit->m >= 2 ? "Holt-Winters additive" : "Holt linear (not enough data for seasonality)";
      fj["alpha"] = number_or_null(fit->params.alpha, 6);
      fj["beta"] = number_or_null(fit->params.beta, 6);
      if (fit->m >= 2) fj["gamma"] = number_or_null(fit->params.gamma, 6);
      fj["parameters"] = fixed ? "given" : "fitted (least squared one-step error)";
      fj["residual_sigma"] = number_or_null(fit->sigma);
      fj["interval"] = "95% (normal one-step residuals)";
      nlohmann::ordered_json fps = nlohmann::ordered_json::array();
      const auto pts = holt_winters_forecast(*fit, horizon);
      for (std::size_t h = 0; h < pts.size(); ++h) {
        fps.push_back({{"period", period_label(t.grain, t.first + static_cast<long>(n + h))},
                       {"value", number_or_null(pts[h].value)},
                       {"lower", number_or_null(pts[h].lower)},
                       {"upper", number_or_null(pts[h].upper)}});
      }
      fj["points"] = std::move(fps);
      out["forecast"] = std::move(fj);
    }
  }
  return out;
}

ToolOutput run(ToolCall& call, const Arguments& args) {
  const DatasetInfo& ds = call.catalog().dataset(args.string("dataset"));
  PeriodQuery q;
  q.dataset = &ds;
  q.date = &DatasetCatalog::temporal_column(ds, args.string("date_column"), "date_column");
  if (args.has("value_column")) q.value = &DatasetCatalog::numeric_column(ds, args.string("value_column"), "value_column");
  if (args.has("group_by")) q.group = &DatasetCatalog::column(ds, args.string("group_by"), "group_by");
  q.grain = *parse_grain(args.string("grain", "month"));
  q.aggregate = *parse_aggregate(args.string("aggregate", q.value ? "sum" : "count"));
  if (!q.value && q.aggregate != Aggregate::Count)
    throw ToolFailure("argument 'value_column' is required for aggregate '" + std::string(aggregate_name(q.aggregate)) + "'");
  q.max_groups = static_cast<std::size_t>(args.integer("max_groups", 8));
  q.filter.add_equalities(ds, args.raw("filter"));
  q.filter.add_date_range(*q.date, args.string("from"), args.string("to"));
  if (q.value) q.filter.add_not_null(*q.value);
  const PeriodTable t = aggregate_by_period(call, std::move(q));

  nlohmann::ordered_json result;
  result["dataset"] = ds.name;
  result["date_column"] = args.string("date_column");
  if (args.has("value_column")) result["value_column"] = args.string("value_column");
  result["aggregate"] = args.string("aggregate", args.has("value_column") ? "sum" : "count");
  result["grain"] = grain_name(t.grain);
  result["periods"] = t.periods;
  result["first_period"] = period_label(t.grain, t.first);
  result["last_period"] = period_label(t.grain, t.first + static_cast<long>(t.periods) - 1);
  if (t.skipped_dates > 0) result["rows_with_unreadable_dates"] = t.skipped_dates;
  if (args.has("group_by")) {
    result["group_by"] = args.string("group_by");
    result["groups_total"] = t.groups_total;
    if (t.groups_total > t.series.size())
      result["groups_note"] = "showing the " + std::to_string(t.series.size()) + " largest of " +
                              std::to_string(t.groups_total) + " groups (raise max_groups or filter)";
  }
  result["growth_note"] = "change_pct: vs the previous period; yoy_pct: vs " + std::to_string(year_lag(t.grain)) +
                          " periods earlier; empty periods count as 0 for sum/count";
  nlohmann::ordered_json series = nlohmann::ordered_json::array();
  for (const auto& s : t.series) series.push_back(describe_series(t, s, args));
  result["series"] = std::move(series);
  return {std::move(result), std::to_string(t.periods) + " " + grain_name(t.grain) + " periods x " +
                                 std::to_string(t.series.size()) + " series"};
}

}  // namespace

ToolDefinition timeseries_tool() {
  using J = nlohmann::ordered_json;
  ToolDefinition d;
  d.spec.name = "timeseries";
  d.spec.description =
      "Resamples a metric by day/week/month/quarter/year (sum, mean or count), optionally one series per group, and "
      "returns per period the value, change vs the previous period (%), year-over-year change (%), a moving average; "
      "per series a linear trend (slope per period, R²), seasonality strength (0..1) with the seasonal pattern, and "
      "optionally a Holt-Winters forecast with 95% intervals.";
  d.spec.parameters = {
      {"type", "object"},
      {"properties",
       {{"dataset", {{"type", "string"}}},
        {"date_column", {{"type", "string"}, {"description", "a date, month or datetime column"}}},
        {"value_column", {{"type", "string"}, {"description", "numeric column (omit to count rows)"}}},
        {"aggregate", {{"type", "string"}, {"enum", {"sum", "mean", "count"}}, {"description", "default sum (count without value_column)"}}},
        {"grain", {{"type", "string"}, {"enum", {"day", "week", "month", "quarter", "year"}}, {"description", "default month"}}},
        {"filter", {{"type", "object"}, {"description", "equality filters: {\"column\": value} or {\"column\": [v1, v2]}"}}},
        {"from", {{"type", "string"}, {"description", "first date kept: YYYY, YYYY-MM or YYYY-MM-DD"}}},
        {"to", {{"type", "string"}, {"description", "last date kept (inclusive): YYYY, YYYY-MM or YYYY-MM-DD"}}},
        {"group_by", {{"type", "string"}, {"description", "one series per value of this column (largest first)"}}},
        {"max_groups", {{"type", "integer"}, {"minimum", 1}, {"maximum", 30}, {"description", "default 8"}}},
        {"moving_average", {{"type", "integer"}, {"minimum", 2}, {"maximum", 24}, {"description", "window in periods, default 3"}}},
        {"season_length", {{"type", "integer"}, {"minimum", 2}, {"maximum", 366}, {"description", "periods per season (default: 12 months, 4 quarters, 52 weeks, 7 days)"}}},
        {"forecast_periods", {{"type", "integer"}, {"minimum", 0}, {"maximum", 36}, {"description", "periods to forecast, default 0"}}},
        {"alpha", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}, {"description", "level smoothing (default: fitted)"}}},
        {"beta", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}, {"description", "trend smoothing (default: fitted)"}}},
        {"gamma", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}, {"description", "season smoothing (default: fitted)"}}}}},
      {"required", J::array({"dataset", "date_column"})},
      {"additionalProperties", false}};
  d.run = &run;
  return d;
}

}  // namespace tally::data::tools
