#include "tools/row_filter.h"

#include <algorithm>

#include "tally/data/read_only_query.h"
#include "tools/period.h"

namespace tally::data::tools {

namespace {

constexpr std::size_t kMaxInValues = 200;

nlohmann::json bind_value(const ColumnInfo& c, const nlohmann::json& v, const std::string& where) {
  if (v.is_null()) return v;
  if (c.numeric()) {
    if (v.is_number()) return v;
    if (v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      char* end = nullptr;
      const double d = std::strtod(s.c_str(), &end);
      if (!s.empty() && end && *end == '\0') return d;
    }
    throw ToolFailure(where + ": column '" + c.name + "' is " + c.type_name + ", so the value must be a number");
  }
  if (c.type == ColumnType::Boolean) {
    if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
    if (v.is_number_integer() && (v.get<long long>() == 0 || v.get<long long>() == 1)) return v;
    throw ToolFailure(where + ": column '" + c.name + "' is boolean, so the value must be true or false");
  }
  if (v.is_string()) return v;
  if (v.is_number()) return v.dump();  // a code such as 2024 typed as a number for a text column
  throw ToolFailure(where + ": the value for column '" + c.name + "' must be a string");
}

}  // namespace

void RowFilter::add_equalities(const DatasetInfo& ds, const nlohmann::json& filter, std::string_view argument) {
  if (filter.is_null()) return;
  if (!filter.is_object())
    throw ToolFailure("argument '" + std::string(argument) + "' must be an object such as {\"region\": \"서울\"}");
  for (const auto& [key, value] : filter.items()) {
    has_equalities_ = true;
    const std::string where = "argument '" + std::string(argument) + "." + key + "'";
    const ColumnInfo& c = DatasetCatalog::column(ds, key, std::string(argument));
    const std::string col = quote_identifier(c.sql_name);
    if (value.is_array()) {
      if (value.empty()) throw ToolFailure(where + ": the list of values is empty");
      if (value.size() > kMaxInValues)
        throw ToolFailure(where + ": at most " + std::to_string(kMaxInValues) + " values");
      std::string term = col + " IN (";
      for (std::size_t i = 0; i < value.size(); ++i) {
        term += i ? ", ?" : "?";
        params_.push_back(bind_value(c, value[i], where));
      }
      terms_.push_back(term + ")");
    } else if (value.is_null()) {
      terms_.push_back(col + " IS NULL");
    } else if (value.is_object()) {
      throw ToolFailure(where + ": use a value or a list of values");
    } else {
      terms_.push_back(col + " = ?");
      params_.push_back(bind_value(c, value, where));
    }
  }
}

void RowFilter::add_date_range(const ColumnInfo& date, const std::string& from, const std::string& to,
                               std::string_view from_argument, std::string_view to_argument) {
  const std::string col = quote_identifier(date.sql_name);
  if (!from.empty()) {
    if (!valid_date_bound(from))
      throw ToolFailure("argument '" + std::string(from_argument) + "' must be 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (got '" +
                        from + "')");
    terms_.push_back(col + " >= ?");
    params_.push_back(from);
  }
  if (!to.empty()) {
    if (!valid_date_bound(to))
      throw ToolFailure("argument '" + std::string(to_argument) + "' must be 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (got '" +
                        to + "')");
    terms_.push_back("substr(" + col + ", 1, " + std::to_string(to.size()) + ") <= ?");
    params_.push_back(to);
  }
  if (!from.empty() || !to.empty()) {
    if (range_column_ != nullptr) has_equalities_ = true;  // a second range: leave it to SQL
    range_column_ = &date;
    from_ = from;
    to_ = to;
  }
  if (!from.empty() && !to.empty() && to < from.substr(0, to.size()))
    throw ToolFailure("argument '" + std::string(to_argument) + "' (" + to + ") is before '" +
                      std::string(from_argument) + "' (" + from + ")");
}

void RowFilter::add_not_null(const ColumnInfo& column) {
  terms_.push_back(quote_identifier(column.sql_name) + " IS NOT NULL");
  not_null_.push_back(column.ordinal);
}

bool RowFilter::requires_not_null(const ColumnInfo& c) const {
  return std::find(not_null_.begin(), not_null_.end(), c.ordinal) != not_null_.end();
}

bool RowFilter::in_date_range(const ColumnInfo& c, std::string_view text, bool is_number) const {
  if (range_column_ == nullptr || range_column_->ordinal != c.ordinal) return true;
  if (!from_.empty() && (is_number || text < std::string_view(from_))) return false;  // numbers sort below text
  // substr() counts characters; the bound is an ASCII date, so cutting by bytes compares the same way.
  if (!to_.empty() && text.substr(0, to_.size()) > std::string_view(to_)) return false;
  return true;
}

std::string RowFilter::where() const {
  std::string out;
  for (std::size_t i = 0; i < terms_.size(); ++i) out += (i ? " AND " : " WHERE ") + terms_[i];
  return out;
}

}  // namespace tally::data::tools
