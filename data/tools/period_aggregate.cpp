#include "tools/period_aggregate.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace tally::data::tools {

namespace {

struct Cell {
  double sum = 0;
  std::int64_t count = 0;  // rows with a value (all rows when counting)
};

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One worker's share of the scan: cells per group and period.
struct Accumulator {
  std::unordered_map<std::string, std::unordered_map<long, Cell>, TransparentHash, std::equal_to<>> groups;
  std::int64_t skipped = 0;
  std::unordered_map<long, Cell>* last = nullptr;
  std::string last_group;

  Cell& cell(std::string_view group, long ordinal) {
    // Rows often arrive in runs of one group; skip the hash lookup then.
    if (!last || group != last_group) {
      auto it = groups.find(group);
      if (it == groups.end()) it = groups.emplace(std::string(group), std::unordered_map<long, Cell>{}).first;
      last = &it->second;
      last_group.assign(group);
    }
    return (*last)[ordinal];
  }
};

std::string bucket_sql(Grain g, const std::string& col) {
  switch (g) {
    case Grain::Day: return "substr(" + col + ", 1, 10)";
    case Grain::Week:
      return "date(substr(" + col + ", 1, 10), '-' || ((CAST(strftime('%w', substr(" + col +
             ", 1, 10)) AS INTEGER) + 6) % 7) || ' days')";
    case Grain::Month: return "substr(" + col + ", 1, 7)";
    case Grain::Quarter:
      return "substr(" + col + ", 1, 4) || '-Q' || ((CAST(substr(" + col + ", 6, 2) AS INTEGER) + 2) / 3)";
    case Grain::Year: return "substr(" + col + ", 1, 4)";
  }
  return col;
}

}  // namespace

std::optional<Aggregate> parse_aggregate(std::string_view name) {
  if (name == "sum") return Aggregate::Sum;
  if (name == "mean") return Aggregate::Mean;
  if (name == "count") return Aggregate::Count;
  return std::nullopt;
}

const char* aggregate_name(Aggregate a) {
  switch (a) {
    case Aggregate::Sum: return "sum";
    case Aggregate::Mean: return "mean";
    case Aggregate::Count: return "count";
  }
  return "?";
}

PeriodTable aggregate_by_period(ToolCall& call, PeriodQuery q) {
  if (q.date->type == ColumnType::Month && (q.grain == Grain::Day || q.grain == Grain::Week))
    throw ToolFailure("argument 'grain': column '" + q.date->name + "' holds months ('YYYY-MM'), so grain must be "
                      "month, quarter or year");
  const std::string date_col = quote_identifier(q.date->sql_name);
  std::string sql = "SELECT " + date_col;
  std::string group_col, value_col;
  if (q.group) sql += ", " + (group_col = quote_identifier(q.group->sql_name));
  if (q.value) sql += ", " + (value_col = quote_identifier(q.value->sql_name));
  q.filter.add_not_null(*q.date);
  sql += " FROM " + quote_identifier(q.dataset->table_name);

  PeriodTable table;
  table.grain = q.grain;
  const int value_index = q.group ? 2 : 1;
  std::vector<Accumulator> parts(call.workers());
  call.scan_split(sql, quote_identifier(q.dataset->table_name), q.filter.where(), q.filter.params(),
                  q.dataset->row_count, [&](std::size_t part, sqlite3_stmt* st) {
    Accumulator& acc = parts[part];
    const auto* d = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    const auto ord = period_ordinal(q.grain, std::string_view(d ? d : "", static_cast<std::size_t>(sqlite3_column_bytes(st, 0))));
    if (!ord) {
      ++acc.skipped;
      return;
    }
    std::string_view g;
    if (q.group) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
      g = p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st, 1))) : std::string_view("(empty)");
    }
    Cell& cell = acc.cell(g, *ord);
    if (!q.value || q.aggregate == Aggregate::Count) {
      if (!q.value || sqlite3_column_type(st, value_index) != SQLITE_NULL) ++cell.count;
      return;
    }
    const int type = sqlite3_column_type(st, value_index);
    if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
      cell.sum += sqlite3_column_double(st, value_index);
      ++cell.count;
    }
  });
  auto& groups = parts[0].groups;
  table.skipped_dates = parts[0].skipped;
  for (std::size_t p = 1; p < parts.size(); ++p) {
    table.skipped_dates += parts[p].skipped;
    for (auto& [name, cells] : parts[p].groups) {
      auto& into = groups[name];
      for (const auto& [ord, cell] : cells) {
        into[ord].sum += cell.sum;
        into[ord].count += cell.count;
      }
    }
  }

  std::string agg_sql = q.aggregate == Aggregate::Count ? (q.value ? "COUNT(" + value_col + ")" : "COUNT(*)")
                        : q.aggregate == Aggregate::Sum ? "SUM(" + value_col + ")"
                                                        : "AVG(" + value_col + ")";
  std::string equivalent = "SELECT " + bucket_sql(q.grain, date_col) + " AS period" +
                           (q.group ? ", " + group_col : "") + ", " + agg_sql + " AS value FROM " +
                           quote_identifier(q.dataset->table_name) + q.filter.where() + " GROUP BY period" +
                           (q.group ? ", " + group_col : "") + " ORDER BY period";
  call.annotate({{"aggregated_in_app", std::string(aggregate_name(q.aggregate)) + " per " + grain_name(q.grain) +
                                           (q.group ? " and " + q.group->name : "") + " over the scanned rows"},
                 {"equivalent_sql", equivalent}});

  long lo = std::numeric_limits<long>::max(), hi = std::numeric_limits<long>::min();
  for (const auto& [name, cells] : groups)
    for (const auto& [ord, cell] : cells) {
      lo = std::min(lo, ord);
      hi = std::max(hi, ord);
    }
  if (groups.empty() || lo > hi)
    throw ToolFailure("no rows with a readable " + std::string(q.date->name) + " match the filters" +
                      (table.skipped_dates ? " (" + std::to_string(table.skipped_dates) + " rows had unreadable dates)" : ""));
  const auto span = static_cast<std::size_t>(hi - lo + 1);
  if (span > q.max_periods)
    throw ToolFailure("the data spans " + std::to_string(span) + " " + grain_name(q.grain) + " periods (at most " +
                      std::to_string(q.max_periods) + "); use a coarser grain or a from/to range");
  table.first = lo;
  table.periods = span;
  table.groups_total = groups.size();
  for (auto& [name, cells] : groups) {
    PeriodSeries s;
    s.group = q.group ? name : "";
    s.values.assign(span, q.aggregate == Aggregate::Mean ? std::numeric_limits<double>::quiet_NaN() : 0.0);
    s.rows.assign(span, 0);
    for (const auto& [ord, cell] : cells) {
      const auto i = static_cast<std::size_t>(ord - lo);
      s.rows[i] = cell.count;
      s.total_rows += cell.count;
      switch (q.aggregate) {
        case Aggregate::Sum: s.values[i] = cell.sum; s.weight += std::fabs(cell.sum); break;
        case Aggregate::Count: s.values[i] = static_cast<double>(cell.count); break;
        case Aggregate::Mean:
          if (cell.count > 0) s.values[i] = cell.sum / static_cast<double>(cell.count);
          break;
      }
    }
    if (q.aggregate != Aggregate::Sum) s.weight = static_cast<double>(s.total_rows);
    table.series.push_back(std::move(s));
  }
  std::sort(table.series.begin(), table.series.end(), [](const PeriodSeries& a, const PeriodSeries& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.group < b.group;
  });
  if (table.series.size() > q.max_groups) table.series.resize(q.max_groups);
  return table;
}

}  // namespace tally::data::tools
