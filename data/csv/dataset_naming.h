#pragma once
// Names for what an import creates: the dataset's display name (unique in datasets.name), its rows table (a safe
// SQL identifier, unique among the file's tables) and each column's sql_name (unique within the table).
// Safe identifiers use lowercase ASCII letters, digits, '_' and Hangul syllables (SQLite accepts those unquoted,
// and the model writes queries against them); they never start with a digit, never name an SQL keyword, and never
// collide with the store's own tables or SQLite's.
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tally/data/database.h"

namespace tally::data {

// "Sales Monthly 2026.csv" stem -> "sales_monthly_2026"; "" when nothing usable is left.
std::string safe_identifier(std::string_view text);

// A table name not yet used in `db` (case-insensitively), derived from `dataset_name`.
Result<std::string> unique_table_name(const Database& db, std::string_view dataset_name);

// A dataset name not yet used: `wanted`, else "wanted (2)", "wanted (3)", ...
Result<std::string> unique_dataset_name(const Database& db, const std::string& wanted);

// sql_names for a table's columns from their header names: column_N where nothing usable is left, and _2, _3...
// suffixes to keep them distinct.
std::vector<std::string> column_sql_names(const std::vector<std::string>& names);

}  // namespace tally::data
