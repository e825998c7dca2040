#pragma once
// Resampling rows into calendar periods (optionally one series per group) for timeseries and anomalies: one
// streaming scan of (date, group, value), bucketed and summed in a hash map (see period.h for why not GROUP BY).
// The provenance entry carries the scan and the equivalent GROUP BY query, so the user can re-run it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/period.h"
#include "tools/row_filter.h"
#include "tools/tool_call.h"

namespace tally::data::tools {

enum class Aggregate { Sum, Mean, Count };
std::optional<Aggregate> parse_aggregate(std::string_view name);
const char* aggregate_name(Aggregate a);

struct PeriodSeries {
  std::string group;               // "" when not grouped
  std::vector<double> values;      // one per period from PeriodTable::first; empty periods: 0 (sum/count), NaN (mean)
  std::vector<std::int64_t> rows;  // rows behind each value
  std::int64_t total_rows = 0;
  double weight = 0;                // how the groups are ranked: |sum| for sums, rows otherwise
};

struct PeriodTable {
  Grain grain = Grain::Month;
  long first = 0;                  // ordinal of values[0]
  std::size_t periods = 0;
  std::vector<PeriodSeries> series;
  std::int64_t skipped_dates = 0;  // rows whose date could not be read at this grain
  std::size_t groups_total = 0;    // before keeping the largest max_groups
};

struct PeriodQuery {
  const DatasetInfo* dataset = nullptr;
  const ColumnInfo* date = nullptr;
  const ColumnInfo* value = nullptr;  // null: count rows
  const ColumnInfo* group = nullptr;  // null: one series
  Grain grain = Grain::Month;
  Aggregate aggregate = Aggregate::Sum;
  RowFilter filter;
  std::size_t max_groups = 8;
  std::size_t max_periods = 1000;
};

// Throws ToolFailure when no row matches or the range spans more than max_periods periods.
PeriodTable aggregate_by_period(ToolCall& call, PeriodQuery q);

}  // namespace tally::data::tools
