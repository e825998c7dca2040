#pragma once
// What the analysis tools know about the user's datasets: the rows of `datasets` and `dataset_columns`
// (schema_v1.h). Every name the model passes goes through here, so a wrong one fails with the list of right ones.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tally::data::tools {

class ReadOnlyQuery;

enum class ColumnType { Integer, Decimal, Percent, Currency, Boolean, Date, Month, Datetime, Text };

struct ColumnInfo {
  int ordinal = 0;
  std::string name;       // as the user sees it (header of the file)
  std::string sql_name;   // the column in the dataset's table
  std::string type_name;  // as stored in dataset_columns.type
  ColumnType type = ColumnType::Text;
  std::string unit;

  bool numeric() const;   // integer, decimal, percent, currency
  bool temporal() const;  // date, month, datetime
};

struct DatasetInfo {
  std::int64_t id = 0;
  std::string name;
  std::string table_name;
  std::int64_t row_count = 0;
  std::string source_path;
  std::string imported_at;
  std::vector<ColumnInfo> columns;

  // By name or sql_name (exact first, then ASCII case-insensitive); nullptr when absent.
  const ColumnInfo* find(std::string_view column) const;
  std::string column_list() const;  // "name (type), ..." for error messages
};

class DatasetCatalog {
 public:
  static constexpr const char* kDatasetsSql =
      "SELECT id, name, table_name, row_count, source_path, imported_at FROM datasets ORDER BY name";
  static constexpr const char* kColumnsSql =
      "SELECT dataset_id, ordinal, name, sql_name, type, unit FROM dataset_columns ORDER BY dataset_id, ordinal";

  static DatasetCatalog load(ReadOnlyQuery& db);

  const std::vector<DatasetInfo>& datasets() const { return datasets_; }
  // Throws ToolFailure naming `argument` and listing the datasets when `name` matches none.
  const DatasetInfo& dataset(std::string_view name, std::string_view argument = "dataset") const;
  // Throws ToolFailure naming `argument`, the dataset and its columns when `column` matches none.
  static const ColumnInfo& column(const DatasetInfo& ds, std::string_view column, std::string_view argument);
  // As column(), and also requires a numeric / temporal column.
  static const ColumnInfo& numeric_column(const DatasetInfo& ds, std::string_view column, std::string_view argument);
  static const ColumnInfo& temporal_column(const DatasetInfo& ds, std::string_view column, std::string_view argument);

 private:
  std::vector<DatasetInfo> datasets_;
};

// "name" -> "\"name\"" with embedded quotes doubled: identifiers always come from the catalog, never from the model.
std::string quote_identifier(std::string_view name);

}  // namespace tally::data::tools
