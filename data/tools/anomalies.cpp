// anomalies: values far from the bulk, by robust z-score (median/MAD) and Tukey's IQR fences — on rows, or on a
// series resampled by period (per group). Both statistics ignore the outliers they look for, unlike mean/stddev.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>

#include "tools/period_aggregate.h"
#include "tools/series_stats.h"

namespace tally::data::tools {

namespace {

struct Method {
  bool robust = true, iqr = true;
  double threshold = 3.5, k = 1.5;
};

struct Flag {
  std::size_t index;
  double value, z;
  const char* fence;  // "above", "below" or nullptr
  double severity;    // for ordering: |z|, or distance beyond the fence in IQRs
};

struct Detection {
  stats::RobustScores scores;
  stats::IqrFences fences;
  std::vector<Flag> flags;
};

Detection detect(const std::vector<double>& v, const Method& m) {
  Detection d;
  d.scores = stats::robust_z(v);
  d.fences = stats::iqr_fences(v, m.k);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double z = d.scores.z[i];
    const bool by_z = m.robust && !std::isnan(z) && std::fabs(z) > m.threshold;
    const char* fence = v[i] > d.fences.upper ? "above" : v[i] < d.fences.lower ? "below" : nullptr;
    const bool by_iqr = m.iqr && fence != nullptr;
    if (!by_z && !by_iqr) continue;
    double sev = std::isnan(z) ? 0 : std::fabs(z);
    if (!m.robust && d.fences.iqr > 0)
      sev = (fence[0] == 'a' ? v[i] - d.fences.upper : d.fences.lower - v[i]) / d.fences.iqr;
    d.flags.push_back({i, v[i], z, fence, sev});
  }
  std::sort(d.flags.begin(), d.flags.end(), [](const Flag& a, const Flag& b) { return a.severity > b.severity; });
  return d;
}

nlohmann::ordered_json stats_json(const Detection& d, std::size_t n, const Method& m) {
  nlohmann::ordered_json j;
  j["n"] = n;
  j["median"] = number_or_null(d.scores.median);
  j["mad"] = number_or_null(d.scores.mad);
  j["robust_scale"] = number_or_null(d.scores.scale);
  j["robust_scale_from"] = d.scores.scale_kind;
  j["q1"] = number_or_null(d.fences.q1);
  j["q3"] = number_or_null(d.fences.q3);
  j["iqr"] = number_or_null(d.fences.iqr);
  j["lower_fence"] = number_or_null(d.fences.lower);
  j["upper_fence"] = number_or_null(d.fences.upper);
  j["rule"] = std::string(m.robust ? "|robust z| > " + number_or_null(m.threshold, 4).dump() : "") +
              (m.robust && m.iqr ? " or " : "") + (m.iqr ? "outside Q1 - k IQR .. Q3 + k IQR, k = " + number_or_null(m.k, 4).dump() : "");
  j["flagged"] = d.flags.size();
  return j;
}

nlohmann::ordered_json flag_json(const Flag& f) {
  nlohmann::ordered_json j;
  j["value"] = number_or_null(f.value);
  j["robust_z"] = number_or_null(f.z, 6);
  j["iqr_fence"] = f.fence ? nlohmann::ordered_json(f.fence) : nlohmann::ordered_json(nullptr);
  return j;
}

ToolOutput rows_mode(ToolCall& call, const Arguments& args, const DatasetInfo& ds, const ColumnInfo& value,
                     const ColumnInfo* date, const Method& m) {
  RowFilter f;
  f.add_equalities(ds, args.raw("filter"));
  if (date) f.add_date_range(*date, args.string("from"), args.string("to"));
  f.add_not_null(value);
  const std::string table = quote_identifier(ds.table_name);
  struct Part {
    std::vector<std::int64_t> rowids;
    std::vector<double> values;
  };
  std::vector<Part> parts(call.workers());
  call.scan_split("SELECT rowid, " + quote_identifier(value.sql_name) + " FROM " + table, table, f.where(), f.params(),
                  ds.row_count, [&](std::size_t part, sqlite3_stmt* st) {
                    const int t = sqlite3_column_type(st, 1);
                    if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) return;
                    parts[part].rowids.push_back(sqlite3_column_int64(st, 0));
                    parts[part].values.push_back(sqlite3_column_double(st, 1));
                  });
  std::vector<std::int64_t>& rowids = parts[0].rowids;
  std::vector<double>& values = parts[0].values;
  for (std::size_t p = 1; p < parts.size(); ++p) {
    rowids.insert(rowids.end(), parts[p].rowids.begin(), parts[p].rowids.end());
    values.insert(values.end(), parts[p].values.begin(), parts[p].values.end());
  }
  if (values.empty()) throw ToolFailure("no numeric values of '" + value.name + "' match the filters");
  const Detection d = detect(values, m);
  const auto max_results = static_cast<std::size_t>(args.integer("max_results", 20));
  const std::size_t shown = std::min(max_results, d.flags.size());

  std::vector<const ColumnInfo*> context;
  if (args.has("context_columns")) {
    for (const auto& name : args.strings("context_columns")) context.push_back(&DatasetCatalog::column(ds, name, "context_columns"));
  } else {
    for (const auto& c : ds.columns)
      if (&c != &value && context.size() < 4 && (c.temporal() || c.type == ColumnType::Text)) context.push_back(&c);
  }
  std::vector<nlohmann::ordered_json> ctx(shown, nlohmann::ordered_json::object());
  if (shown > 0 && !context.empty()) {
    std::string sql = "SELECT rowid";
    for (const auto* c : context) sql += ", " + quote_identifier(c->sql_name);
    sql += " FROM " + table + " WHERE rowid IN (";
    nlohmann::json params = nlohmann::json::array();
    for (std::size_t i = 0; i < shown; ++i) {
      sql += i ? ", ?" : "?";
      params.push_back(rowids[d.flags[i].index]);
    }
    sql += ")";
    call.scan(sql, params, [&](sqlite3_stmt* st) {
      const auto id = sqlite3_column_int64(st, 0);
      for (std::size_t i = 0; i < shown; ++i) {
        if (rowids[d.flags[i].index] != id) continue;
        for (std::size_t k = 0; k < context.size(); ++k) {
          const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, static_cast<int>(k + 1)));
          ctx[i][context[k]->name] = p ? nlohmann::ordered_json(std::string(p)) : nlohmann::ordered_json(nullptr);
        }
      }
    });
  }
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < shown; ++i) {
    nlohmann::ordered_json j;
    j["rowid"] = rowids[d.flags[i].index];
    const nlohmann::ordered_json flag = flag_json(d.flags[i]);
    for (const auto& [k, v] : flag.items()) j[k] = v;
    if (!ctx[i].empty()) j["context"] = std::move(ctx[i]);
    list.push_back(std::move(j));
  }
  nlohmann::ordered_json result;
  result["dataset"] = ds.name;
  result["value_column"] = value.name;
  result["level"] = "rows";
  result["stats"] = stats_json(d, values.size(), m);
  result["anomalies"] = std::move(list);
  if (d.flags.size() > shown) result["not_listed"] = d.flags.size() - shown;
  return {std::move(result), std::to_string(d.flags.size()) + " of " + std::to_string(values.size()) + " rows flagged"};
}

ToolOutput periods_mode(ToolCall& call, const Arguments& args, const DatasetInfo& ds, const ColumnInfo& value,
                        const ColumnInfo& date, const Method& m) {
  PeriodQuery q;
  q.dataset = &ds;
  q.date = &date;
  q.value = &value;
  if (args.has("group_by")) q.group = &DatasetCatalog::column(ds, args.string("group_by"), "group_by");
  q.grain = *parse_grain(args.string("grain"));
  q.aggregate = *parse_aggregate(args.string("aggregate", "sum"));
  q.max_groups = static_cast<std::size_t>(args.integer("max_groups", 30));
  q.filter.add_equalities(ds, args.raw("filter"));
  q.filter.add_date_range(date, args.string("from"), args.string("to"));
  q.filter.add_not_null(value);
  const PeriodTable t = aggregate_by_period(call, std::move(q));
  const auto max_results = static_cast<std::size_t>(args.integer("max_results", 20));

  struct Found {
    const PeriodSeries* s;
    long ordinal;
    Flag flag;
  };
  std::vector<Found> all;
  nlohmann::ordered_json per_series = nlohmann::ordered_json::array();
  std::size_t points = 0;
  for (const auto& s : t.series) {
    std::vector<double> v;
    std::vector<long> ord;
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      if (std::isnan(s.values[i])) continue;
      v.push_back(s.values[i]);
      ord.push_back(t.first + static_cast<long>(i));
    }
    if (v.empty()) continue;
    points += v.size();
    const Detection d = detect(v, m);
    nlohmann::ordered_json sj;
    if (!s.group.empty()) sj["group"] = s.group;
    const nlohmann::ordered_json st = stats_json(d, v.size(), m);
    for (const auto& [k, val] : st.items()) sj[k] = val;
    per_series.push_back(std::move(sj));
    for (const auto& f : d.flags) all.push_back({&s, ord[f.index], f});
  }
  std::stable_sort(all.begin(), all.end(), [](const Found& a, const Found& b) { return a.flag.severity > b.flag.severity; });
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < all.size() && i < max_results; ++i) {
    nlohmann::ordered_json j;
    j["period"] = period_label(t.grain, all[i].ordinal);
    if (!all[i].s->group.empty()) j["group"] = all[i].s->group;
    const nlohmann::ordered_json flag = flag_json(all[i].flag);
    for (const auto& [k, v] : flag.items()) j[k] = v;
    list.push_back(std::move(j));
  }
  nlohmann::ordered_json result;
  result["dataset"] = ds.name;
  result["value_column"] = value.name;
  result["level"] = args.string("aggregate", "sum") + " per " + grain_name(t.grain) + (args.has("group_by") ? " and " + args.string("group_by") : "");
  result["series_stats"] = std::move(per_series);
  result["anomalies"] = std::move(list);
  if (all.size() > max_results) result["not_listed"] = all.size() - max_results;
  return {std::move(result), std::to_string(all.size()) + " of " + std::to_string(points) + " periods flagged"};
}

ToolOutput run(ToolCall& call, const Arguments& args) {
  const DatasetInfo& ds = call.catalog().dataset(args.string("dataset"));
  const ColumnInfo& value = DatasetCatalog::numeric_column(ds, args.string("value_column"), "value_column");
  const ColumnInfo* date = args.has("date_column") ? &DatasetCatalog::temporal_column(ds, args.string("date_column"), "date_column") : nullptr;
  Method m;
  const std::string method = args.string("method", "both");
  m.robust = method != "iqr";
  m.iqr = method != "robust_z";
  m.threshold = args.number("threshold", 3.5);
  m.k = args.number("iqr_k", 1.5);
  if ((args.has("from") || args.has("to")) && !date) throw ToolFailure("argument 'date_column' is required with from/to");
  if (args.has("grain")) {
    if (!date) throw ToolFailure("argument 'date_column' is required with grain");
    return periods_mode(call, args, ds, value, *date, m);
  }
  if (args.has("group_by")) throw ToolFailure("argument 'group_by' needs 'grain' (anomalies per group are found in each group's series)");
  return rows_mode(call, args, ds, value, date, m);
}

}  // namespace

ToolDefinition anomalies_tool() {
  using J = nlohmann::ordered_json;
  ToolDefinition d;
  d.spec.name = "anomalies";
  d.spec.description =
      "Finds unusual values of a numeric column by robust z-score (0.6745 (x - median) / MAD) and IQR fences "
      "(outside Q1 - k IQR .. Q3 + k IQR). On rows by default (with context columns), or with 'grain' on the metric "
      "resampled by period (one series per group with group_by). Lists the flagged values, most extreme first.";
  d.spec.parameters = {
      {"type", "object"},
      {"properties",
       {{"dataset", {{"type", "string"}}},
        {"value_column", {{"type", "string"}, {"description", "numeric column"}}},
        {"method", {{"type", "string"}, {"enum", {"robust_z", "iqr", "both"}}, {"description", "default both (flag if either rule fires)"}}},
        {"threshold", {{"type", "number"}, {"minimum", 0.5}, {"maximum", 50}, {"description", "robust z cut-off, default 3.5"}}},
        {"iqr_k", {{"type", "number"}, {"minimum", 0.1}, {"maximum", 10}, {"description", "fence multiplier, default 1.5 (3 = far out)"}}},
        {"date_column", {{"type", "string"}, {"description", "needed with grain or from/to"}}},
        {"grain", {{"type", "string"}, {"enum", {"day", "week", "month", "quarter", "year"}}, {"description", "resample first, then look for unusual periods"}}},
        {"aggregate", {{"type", "string"}, {"enum", {"sum", "mean", "count"}}, {"description", "with grain; default sum"}}},
        {"group_by", {{"type", "string"}, {"description", "with grain: one series per value of this column"}}},
        {"max_groups", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50}, {"description", "with group_by; default 30"}}},
        {"filter", {{"type", "object"}, {"description", "equality filters: {\"column\": value} or {\"column\": [v1, v2]}"}}},
        {"from", {{"type", "string"}, {"description", "YYYY, YYYY-MM or YYYY-MM-DD"}}},
        {"to", {{"type", "string"}, {"description", "inclusive: YYYY, YYYY-MM or YYYY-MM-DD"}}},
        {"context_columns", {{"type", "array"}, {"items", {{"type", "string"}}}, {"maxItems", 8}, {"description", "row mode: columns shown with each flagged row"}}},
        {"max_results", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}, {"description", "default 20"}}}}},
      {"required", J::array({"dataset", "value_column"})},
      {"additionalProperties", false}};
  d.run = &run;
  return d;
}

}  // namespace tally::data::tools
