// compare_groups: one metric across the values of a column (regions, products, channels): each group's value,
// share of the total, rank, distance from the mean and from the leader, concentration, and optionally the change
// against a baseline period.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "tools/period_aggregate.h"
#include "tools/series_stats.h"

namespace tally::data::tools {

namespace {

struct GroupCell {
  double sum = 0;
  std::int64_t count = 0;
};

struct GroupTotals {
  std::map<std::string, GroupCell> groups;
  GroupCell all;
};

struct CompareSpec {
  const DatasetInfo* ds = nullptr;
  const ColumnInfo* group = nullptr;
  const ColumnInfo* value = nullptr;
  const ColumnInfo* date = nullptr;
  Aggregate aggregate = Aggregate::Sum;
};

GroupTotals scan_groups(ToolCall& call, const CompareSpec& c, const nlohmann::json& filter, const std::string& from,
                        const std::string& to, std::string_view from_arg, std::string_view to_arg) {
  RowFilter f;
  f.add_equalities(*c.ds, filter);
  if (c.date) f.add_date_range(*c.date, from, to, from_arg, to_arg);
  const std::string gcol = quote_identifier(c.group->sql_name);
  std::string sql = "SELECT " + gcol;
  if (c.value) sql += ", " + quote_identifier(c.value->sql_name);
  sql += " FROM " + quote_identifier(c.ds->table_name);
  GroupTotals out;
  std::vector<std::unordered_map<std::string, GroupCell>> parts(call.workers());
  call.scan_split(sql, quote_identifier(c.ds->table_name), f.where(), f.params(), c.ds->row_count,
                  [&](std::size_t part, sqlite3_stmt* st) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    GroupCell& cell = parts[part][p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st, 0))) : "(empty)"];
    if (!c.value) {
      ++cell.count;
      return;
    }
    const int type = sqlite3_column_type(st, 1);
    if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
      cell.sum += sqlite3_column_double(st, 1);
      ++cell.count;
    }
  });
  auto& cells = parts[0];
  for (std::size_t p = 1; p < parts.size(); ++p)
    for (const auto& [k, v] : parts[p]) {
      cells[k].sum += v.sum;
      cells[k].count += v.count;
    }
  const std::string agg = c.aggregate == Aggregate::Count ? (c.value ? "COUNT(" + quote_identifier(c.value->sql_name) + ")" : "COUNT(*)")
                          : c.aggregate == Aggregate::Sum ? "SUM(" + quote_identifier(c.value->sql_name) + ")"
                                                          : "AVG(" + quote_identifier(c.value->sql_name) + ")";
  call.annotate({{"aggregated_in_app", std::string(aggregate_name(c.aggregate)) + " per " + c.group->name},
                 {"equivalent_sql", "SELECT " + gcol + ", " + agg + " AS value FROM " + quote_identifier(c.ds->table_name) +
                                        f.where() + " GROUP BY " + gcol + " ORDER BY value DESC"}});
  for (auto& [k, v] : cells) {
    out.all.sum += v.sum;
    out.all.count += v.count;
    out.groups.emplace(k, v);
  }
  return out;
}

double value_of(const GroupCell& c, Aggregate a) {
  switch (a) {
    case Aggregate::Sum: return c.sum;
    case Aggregate::Count: return static_cast<double>(c.count);
    case Aggregate::Mean: return c.count > 0 ? c.sum / static_cast<double>(c.count) : std::nan("");
  }
  return 0;
}

ToolOutput run(ToolCall& call, const Arguments& args) {
  CompareSpec c;
  c.ds = &call.catalog().dataset(args.string("dataset"));
  c.group = &DatasetCatalog::column(*c.ds, args.string("group_by"), "group_by");
  if (args.has("value_column")) c.value = &DatasetCatalog::numeric_column(*c.ds, args.string("value_column"), "value_column");
  c.aggregate = *parse_aggregate(args.string("aggregate", c.value ? "sum" : "count"));
  if (!c.value && c.aggregate != Aggregate::Count)
    throw ToolFailure("argument 'value_column' is required for aggregate '" + std::string(aggregate_name(c.aggregate)) + "'");
  const bool ranged = args.has("from") || args.has("to") || args.has("baseline_from") || args.has("baseline_to");
  if (args.has("date_column")) c.date = &DatasetCatalog::temporal_column(*c.ds, args.string("date_column"), "date_column");
  if (ranged && !c.date) throw ToolFailure("argument 'date_column' is required with from/to/baseline_from/baseline_to");
  const bool baseline = args.has("baseline_from") || args.has("baseline_to");

  const GroupTotals cur = scan_groups(call, c, args.raw("filter"), args.string("from"), args.string("to"), "from", "to");
  if (cur.groups.empty()) throw ToolFailure("no rows match the filters");
  GroupTotals base;
  if (baseline)
    base = scan_groups(call, c, args.raw("filter"), args.string("baseline_from"), args.string("baseline_to"),
                       "baseline_from", "baseline_to");

  struct Row {
    std::string group;
    double value;
    std::int64_t rows;
  };
  std::vector<Row> rows;
  for (const auto& [g, cell] : cur.groups) rows.push_back({g, value_of(cell, c.aggregate), cell.count});
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (std::isnan(a.value) != std::isnan(b.value)) return std::isnan(b.value);
    return a.value != b.value ? a.value > b.value : a.group < b.group;
  });
  std::map<std::string, std::size_t> base_rank;
  if (baseline) {
    std::vector<std::pair<double, std::string>> b;
    for (const auto& [g, cell] : base.groups) b.emplace_back(value_of(cell, c.aggregate), g);
    std::sort(b.begin(), b.end(), [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
    for (std::size_t i = 0; i < b.size(); ++i) base_rank[b[i].second] = i + 1;
  }

  const bool additive = c.aggregate != Aggregate::Mean;
  const double total = additive ? value_of(cur.all, c.aggregate) : value_of(cur.all, Aggregate::Mean);
  std::vector<double> values;
  for (const auto& r : rows) values.push_back(r.value);
  const double group_mean = stats::mean(values);
  const double leader = rows.front().value;
  const auto top = static_cast<std::size_t>(args.integer("top", 15));

  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  double hhi = 0, top3 = 0, others_value = 0;
  std::int64_t others_rows = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    const double share = additive && total != 0 ? r.value / total * 100 : std::nan("");
    if (!std::isnan(share)) {
      hhi += share * share;
      if (i < 3) top3 += share;
    }
    if (i >= top) {
      others_value += r.value;
      others_rows += r.rows;
      continue;
    }
    nlohmann::ordered_json g;
    g["group"] = r.group;
    g["value"] = number_or_null(r.value);
    g["rank"] = i + 1;
    g["rows"] = r.rows;
    if (additive) g["share_pct"] = number_or_null(share, 6);
    g["diff_from_mean"] = number_or_null(r.value - group_mean);
    g["diff_from_leader"] = number_or_null(r.value - leader);
    g["pct_of_leader"] = leader != 0 ? number_or_null(r.value / leader * 100, 6) : nlohmann::ordered_json(nullptr);
    if (baseline) {
      const auto it = base.groups.find(r.group);
      const double b = it == base.groups.end() ? (additive ? 0.0 : std::nan("")) : value_of(it->second, c.aggregate);
      g["baseline_value"] = number_or_null(b);
      g["change"] = number_or_null(r.value - b);
      g["change_pct"] = number_or_null(stats::growth_pct(r.value, b), 6);
      const auto br = base_rank.find(r.group);
      g["baseline_rank"] = br == base_rank.end() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(br->second);
    }
    list.push_back(std::move(g));
  }

  nlohmann::ordered_json result;
  result["dataset"] = c.ds->name;
  result["group_by"] = c.group->name;
  result["metric"] = std::string(aggregate_name(c.aggregate)) + (c.value ? " of " + c.value->name : " of rows");
  if (args.has("from") || args.has("to")) result["period"] = {{"from", args.string("from")}, {"to", args.string("to")}};
  if (baseline)
    result["baseline_period"] = {{"from", args.string("baseline_from")}, {"to", args.string("baseline_to")}};
  result[additive ? "total" : "overall_mean"] = number_or_null(total, 15);
  if (baseline) result["baseline_total"] = number_or_null(additive ? value_of(base.all, c.aggregate) : value_of(base.all, Aggregate::Mean), 15);
  result["groups_total"] = rows.size();
  result["mean_per_group"] = number_or_null(group_mean);
  result["groups"] = std::move(list);
  if (rows.size() > top) {
    result["others"] = {{"groups", rows.size() - top}, {"value", number_or_null(others_value)}, {"rows", others_rows}};
    if (additive && total != 0) result["others"]["share_pct"] = number_or_null(others_value / total * 100, 6);
  }
  if (additive) {
    result["concentration"] = {{"top3_share_pct", number_or_null(top3, 6)},
                               {"hhi", number_or_null(hhi, 6)},
                               {"note", "HHI = sum of squared shares in %, 10000 = one group holds everything"}};
  }
  result["leader"] = rows.front().group;
  result["laggard"] = rows.back().group;
  return {std::move(result), std::to_string(rows.size()) + " groups of " + c.group->name};
}

}  // namespace

ToolDefinition compare_groups_tool() {
  using J = nlohmann::ordered_json;
  ToolDefinition d;
  d.spec.name = "compare_groups";
  d.spec.description =
      "Compares a metric across the values of a column (e.g. regions, products, channels): each group's value, share "
      "of the total (%), rank, difference from the group mean and from the leader, concentration (top-3 share, HHI), "
      "optionally restricted to a period and compared with a baseline period (change, change %, rank then).";
  d.spec.parameters = {
      {"type", "object"},
      {"properties",
       {{"dataset", {{"type", "string"}}},
        {"group_by", {{"type", "string"}, {"description", "the column whose values are compared"}}},
        {"value_column", {{"type", "string"}, {"description", "numeric column (omit to count rows)"}}},
        {"aggregate", {{"type", "string"}, {"enum", {"sum", "mean", "count"}}, {"description", "default sum (count without value_column)"}}},
        {"filter", {{"type", "object"}, {"description", "equality filters: {\"column\": value} or {\"column\": [v1, v2]}"}}},
        {"date_column", {{"type", "string"}, {"description", "needed with from/to/baseline_from/baseline_to"}}},
        {"from", {{"type", "string"}, {"description", "YYYY, YYYY-MM or YYYY-MM-DD"}}},
        {"to", {{"type", "string"}, {"description", "inclusive: YYYY, YYYY-MM or YYYY-MM-DD"}}},
        {"baseline_from", {{"type", "string"}, {"description", "start of the period to compare against"}}},
        {"baseline_to", {{"type", "string"}, {"description", "end of the period to compare against (inclusive)"}}},
        {"top", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}, {"description", "groups listed (rest summed as others), default 15"}}}}},
      {"required", J::array({"dataset", "group_by"})},
      {"additionalProperties", false}};
  d.run = &run;
  return d;
}

}  // namespace tally::data::tools
