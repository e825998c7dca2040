#include "tools/period_aggregate.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
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

// A cell's text as SQLite's sqlite3_column_text would give it, so both scan paths group the same values.
std::string cell_text(const ColumnChunk& c, std::size_t i) {
  switch (c.tags[i]) {
    case CellTag::Text: return c.dict[c.codes[i]];
    case CellTag::Integer: return std::to_string(c.integers[i]);
    case CellTag::Real: {
      char* p = sqlite3_mprintf("%!.15g", c.reals[i]);
      std::string out(p ? p : "");
      sqlite3_free(p);
      return out;
    }
    case CellTag::Null: break;
  }
  return {};
}

// The column-chunk path: dates and groups are resolved once per distinct value of each chunk, not once per row.
// The row filter's conditions (not-NULL columns, the date range) are applied here as SQL would apply them.
void accumulate_chunk(const PeriodQuery& q, std::span<const ColumnChunk> ch, Accumulator& acc) {
  const ColumnChunk& date = ch[0];
  const ColumnChunk* group = q.group ? &ch[1] : nullptr;
  const ColumnChunk* value = q.value ? &ch[q.group ? 2 : 1] : nullptr;
  const bool value_required = q.value && q.filter.requires_not_null(*q.value);
  const bool group_required = q.group && q.filter.requires_not_null(*q.group);
  // Per distinct date text: outside the range (nullopt + excluded) or its period.
  std::vector<std::optional<long>> date_of_code(date.dict.size());
  std::vector<char> date_in_range(date.dict.size());
  for (std::size_t k = 0; k < date.dict.size(); ++k) {
    date_in_range[k] = q.filter.in_date_range(*q.date, date.dict[k], false);
    date_of_code[k] = period_ordinal(q.grain, date.dict[k]);
  }
  std::vector<std::unordered_map<long, Cell>*> group_of_code;
  if (group) {
    group_of_code.resize(group->dict.size(), nullptr);
    for (std::size_t k = 0; k < group->dict.size(); ++k) group_of_code[k] = &acc.groups[group->dict[k]];
  }
  const bool counting = !q.value || q.aggregate == Aggregate::Count;
  for (std::size_t i = 0; i < date.rows; ++i) {
    if ((value_required && value->tags[i] == CellTag::Null) || (group_required && group->tags[i] == CellTag::Null))
      continue;
    std::optional<long> ord;
    switch (date.tags[i]) {
      case CellTag::Null: continue;  // IS NOT NULL on the date column
      case CellTag::Text:
        if (!date_in_range[date.codes[i]]) continue;
        ord = date_of_code[date.codes[i]];
        break;
      default: {
        const std::string text = cell_text(date, i);
        if (!q.filter.in_date_range(*q.date, text, true)) continue;
        ord = period_ordinal(q.grain, text);
      }
    }
    if (!ord) {
      ++acc.skipped;
      continue;
    }
    std::unordered_map<long, Cell>* cells;
    if (!group) cells = &acc.groups[""];
    else if (group->tags[i] == CellTag::Text) cells = group_of_code[group->codes[i]];
    else if (group->tags[i] == CellTag::Null) cells = &acc.groups["(empty)"];
    else cells = &acc.groups[cell_text(*group, i)];
    Cell& cell = (*cells)[*ord];
    if (counting) {
      if (!value || value->tags[i] != CellTag::Null) ++cell.count;
      continue;
    }
    const CellTag t = value->tags[i];
    if (t == CellTag::Integer || t == CellTag::Real) {
      cell.sum += value->number(i);
      ++cell.count;
    }
  }
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
  std::string agg_sql = q.aggregate == Aggregate::Count ? (q.value ? "COUNT(" + value_col + ")" : "COUNT(*)")
                        : q.aggregate == Aggregate::Sum ? "SUM(" + value_col + ")"
                                                        : "AVG(" + value_col + ")";
  std::string equivalent = "SELECT " + bucket_sql(q.grain, date_col) + " AS period" +
                           (q.group ? ", " + group_col : "") + ", " + agg_sql + " AS value FROM " +
                           quote_identifier(q.dataset->table_name) + q.filter.where() + " GROUP BY period" +
                           (q.group ? ", " + group_col : "") + " ORDER BY period";
  std::vector<int> ordinals{q.date->ordinal};
  if (q.group) ordinals.push_back(q.group->ordinal);
  if (q.value) ordinals.push_back(q.value->ordinal);
  bool chunk_filter = !q.filter.range_column() || q.filter.range_column()->ordinal == q.date->ordinal;
  for (int o : q.filter.not_null_ordinals())
    chunk_filter = chunk_filter && std::find(ordinals.begin(), ordinals.end(), o) != ordinals.end();
  const bool from_chunks = !q.filter.has_equalities() && chunk_filter &&
      call.scan_chunks(*q.dataset, ordinals, equivalent, [&](std::size_t part, std::span<const ColumnChunk> ch) {
        accumulate_chunk(q, ch, parts[part]);
      });
  if (!from_chunks) call.scan_split(sql, quote_identifier(q.dataset->table_name), q.filter.where(), q.filter.params(),
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
