#include "tools/dataset_catalog.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>

#include "tally/data/read_only_query.h"

namespace tally::data::tools {

namespace {

ColumnType parse_type(const std::string& t) {
  static const std::map<std::string, ColumnType> kTypes = {
      {"integer", ColumnType::Integer}, {"decimal", ColumnType::Decimal}, {"percent", ColumnType::Percent},
      {"currency", ColumnType::Currency}, {"boolean", ColumnType::Boolean}, {"date", ColumnType::Date},
      {"month", ColumnType::Month}, {"datetime", ColumnType::Datetime}, {"text", ColumnType::Text}};
  const auto it = kTypes.find(t);
  return it == kTypes.end() ? ColumnType::Text : it->second;
}

bool same_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x >= 'A' && x <= 'Z' ? x + 32 : x) == (y >= 'A' && y <= 'Z' ? y + 32 : y);
         });
}

std::string text_at(sqlite3_stmt* st, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st, col))) : std::string();
}

}  // namespace

bool ColumnInfo::numeric() const {
  return type == ColumnType::Integer || type == ColumnType::Decimal || type == ColumnType::Percent ||
         type == ColumnType::Currency;
}

bool ColumnInfo::temporal() const {
  return type == ColumnType::Date || type == ColumnType::Month || type == ColumnType::Datetime;
}

const ColumnInfo* DatasetInfo::find(std::string_view column) const {
  for (const auto& c : columns)
    if (c.name == column || c.sql_name == column) return &c;
  for (const auto& c : columns)
    if (same_ci(c.name, column) || same_ci(c.sql_name, column)) return &c;
  return nullptr;
}

std::string DatasetInfo::column_list() const {
  std::string out;
  for (const auto& c : columns) {
    if (!out.empty()) out += ", ";
    out += c.name == c.sql_name ? c.name : c.name + " [" + c.sql_name + "]";
    out += " (" + c.type_name + ")";
  }
  return out;
}

DatasetCatalog DatasetCatalog::load(ReadOnlyQuery& db) {
  DatasetCatalog cat;
  db.scan(kDatasetsSql, nullptr,
          [&](sqlite3_stmt* st) {
            DatasetInfo d;
            d.id = sqlite3_column_int64(st, 0);
            d.name = text_at(st, 1);
            d.table_name = text_at(st, 2);
            d.row_count = sqlite3_column_int64(st, 3);
            d.source_path = text_at(st, 4);
            d.imported_at = text_at(st, 5);
            cat.datasets_.push_back(std::move(d));
          });
  db.scan(kColumnsSql, nullptr, [&](sqlite3_stmt* st) {
            const auto id = sqlite3_column_int64(st, 0);
            auto it = std::find_if(cat.datasets_.begin(), cat.datasets_.end(), [&](const auto& d) { return d.id == id; });
            if (it == cat.datasets_.end()) return;
            ColumnInfo c;
            c.ordinal = sqlite3_column_int(st, 1);
            c.name = text_at(st, 2);
            c.sql_name = text_at(st, 3);
            c.type_name = text_at(st, 4);
            c.type = parse_type(c.type_name);
            c.unit = text_at(st, 5);
            it->columns.push_back(std::move(c));
          });
  return cat;
}

const DatasetInfo& DatasetCatalog::dataset(std::string_view name, std::string_view argument) const {
  for (const auto& d : datasets_)
    if (d.name == name || d.table_name == name) return d;
  for (const auto& d : datasets_)
    if (same_ci(d.name, name) || same_ci(d.table_name, name)) return d;
  std::string names;
  for (const auto& d : datasets_) names += (names.empty() ? "" : ", ") + d.name;
  throw ToolFailure("argument '" + std::string(argument) + "': no dataset named '" + std::string(name) + "'" +
                    (names.empty() ? " (no datasets are imported yet)" : " (datasets: " + names + ")"));
}

const ColumnInfo& DatasetCatalog::column(const DatasetInfo& ds, std::string_view column, std::string_view argument) {
  if (const ColumnInfo* c = ds.find(column)) return *c;
  throw ToolFailure("argument '" + std::string(argument) + "': dataset '" + ds.name + "' has no column '" +
                    std::string(column) + "' (columns: " + ds.column_list() + ")");
}

const ColumnInfo& DatasetCatalog::numeric_column(const DatasetInfo& ds, std::string_view column,
                                                 std::string_view argument) {
  const ColumnInfo& c = DatasetCatalog::column(ds, column, argument);
  if (!c.numeric())
    throw ToolFailure("argument '" + std::string(argument) + "': column '" + c.name + "' is " + c.type_name +
                      ", not a number (numeric columns are integer, decimal, percent or currency)");
  return c;
}

const ColumnInfo& DatasetCatalog::temporal_column(const DatasetInfo& ds, std::string_view column,
                                                  std::string_view argument) {
  const ColumnInfo& c = DatasetCatalog::column(ds, column, argument);
  if (!c.temporal())
    throw ToolFailure("argument '" + std::string(argument) + "': column '" + c.name + "' is " + c.type_name +
                      ", not a date (date columns are date, month or datetime)");
  return c;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

}  // namespace tally::data::tools
