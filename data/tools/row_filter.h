#pragma once
// The WHERE clause the analysis tools build from structured arguments: equality filters {"column": value} or
// {"column": [v1, v2]} and a from/to range on a date column. Column names come from the catalog and every value is
// a bound parameter, so the model never writes SQL text here.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tools/dataset_catalog.h"

namespace tally::data::tools {

class RowFilter {
 public:
  // `filter` is the argument's JSON ({} or null for none); errors name `argument` and the column.
  void add_equalities(const DatasetInfo& ds, const nlohmann::json& filter, std::string_view argument = "filter");
  // Inclusive bounds 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' compared as prefixes, so to='2024-03' keeps all of March.
  void add_date_range(const ColumnInfo& date, const std::string& from, const std::string& to,
                      std::string_view from_argument = "from", std::string_view to_argument = "to");
  void add_not_null(const ColumnInfo& column);

  std::string where() const;  // "" or " WHERE a AND b"
  const nlohmann::json& params() const { return params_; }

  // The same conditions for scans that do not go through SQL (column chunks): which columns must be non-NULL and
  // the date range, evaluated with SQLite's rules. Equality filters are only expressed in SQL.
  bool has_equalities() const { return has_equalities_; }
  bool requires_not_null(const ColumnInfo& c) const;
  const std::vector<int>& not_null_ordinals() const { return not_null_; }
  // SQLite's `col >= from AND substr(col, 1, len(to)) <= to` for a cell given as its text (a number cell as the
  // text SQLite would make of it, with is_number set: as a number it compares below any text).
  bool in_date_range(const ColumnInfo& c, std::string_view text, bool is_number) const;
  const ColumnInfo* range_column() const { return range_column_; }

 private:
  bool has_equalities_ = false;
  std::vector<int> not_null_;
  const ColumnInfo* range_column_ = nullptr;
  std::string from_, to_;
  std::vector<std::string> terms_;
  nlohmann::json params_ = nlohmann::json::array();
};

}  // namespace tally::data::tools
