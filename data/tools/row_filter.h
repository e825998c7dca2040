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

 private:
  std::vector<std::string> terms_;
  nlohmann::json params_ = nlohmann::json::array();
};

}  // namespace tally::data::tools
