#pragma once
// Export of tables to files Excel opens: .xlsx (libxlsxwriter, constant-memory streaming: typed cells, real Excel
// dates, a bold frozen header row, widths from the content) and CSV (RFC 4180, CRLF; UTF-8 with a BOM so Excel shows
// Korean, or CP949 on request). Sources: a dataset (streamed from SQLite in rowid order, never all in memory, with
// an optional filter and sort), a read-only query, or an in-memory table (a tool result, a chart's series).
//
// Excel's sheet holds 1,048,576 rows. A longer table is SPLIT: the rows go on across further sheets ("name (2)",
// "name (3)"...), each with the header row again, and the outcome lists the sheets. CSV has no limit.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "tally/data/cell_value.h"
#include "tally/data/database.h"
#include "tally/data/result.h"

namespace tally::data {

enum class ExportFormat { Xlsx, Csv };
// By the file's extension (.xlsx, .csv; any case); nullopt for anything else.
std::optional<ExportFormat> export_format_for_path(std::string_view path);

inline constexpr std::int64_t kExcelMaxRows = 1'048'576;  // per sheet, header included
inline constexpr std::int64_t kExcelMaxColumns = 16'384;

struct ExportProgress {
  std::int64_t rows_done = 0;
  std::int64_t rows_total = -1;  // -1 when unknown (a query's result)
};

struct ExportOptions {
  std::optional<ExportFormat> format;  // nullopt: from the path's extension
  std::string sheet_name;              // "" uses the dataset's name, or "Result"
  // CSV only: "UTF-8" (the default, with a BOM unless csv_bom is false) or "CP949" (alias "EUC-KR"; no BOM).
  std::string csv_encoding = "UTF-8";
  bool csv_bom = true;
  std::function<void(const ExportProgress&)> on_progress;  // every few thousand rows, and at the end
  const std::atomic<bool>* cancel = nullptr;               // set to true (from any thread): the file is removed
  std::int64_t max_sheet_rows = kExcelMaxRows - 1;         // data rows per sheet (tests lower it to see the split)
};

struct ExportOutcome {
  std::int64_t rows = 0;                 // data rows written
  std::vector<std::string> sheet_names;  // .xlsx: the sheets written (more than one when split)
  std::int64_t cells_cut = 0;            // .xlsx: texts longer than Excel's 32,767 characters, shortened
  bool cancelled = false;
};

// How a column's cells are written. Stored cells keep their SQLite storage class; the type picks the format
// (percent, currency, dates). Text cells always stay text, "00123" included.
struct ExportColumn {
  std::string name;
  ColumnType type = ColumnType::Text;
  std::string unit;  // "%" or a currency code: KRW, USD, EUR, JPY, GBP
  // No declared type (a query's expression, a tool's value): numbers are numbers, texts are texts, no dates.
  bool by_value = false;
};

// An in-memory table: a tool result's rows or a chart's series. Cells are JSON scalars (null, bool, number, string);
// arrays and objects are written as their JSON text.
struct ExportTable {
  std::string name;  // the sheet name
  std::vector<ExportColumn> columns;
  std::vector<std::vector<nlohmann::json>> rows;
};

// The table a tool's result holds, as the document pane shows it: sql_query's {columns, rows}, or the first list of
// records in the result (each record's keys become columns). Accepts the envelope {"ok", "result", ...} or the
// bare result. Error when there is no table.
Result<ExportTable> table_from_tool_result(const nlohmann::json& result, std::string name = "Result");

// Which of a dataset's rows, in which order. `where` is a WHERE fragment over the dataset's table (the document
// pane's filter) with values bound to ?1, ?2...; it runs on the caller's connection, which should be read-only.
using ExportBind = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
struct DatasetSelection {
  std::string where;
  std::vector<ExportBind> binds;
  std::string order_by_column;  // a dataset column's sql_name; "" keeps the import order
  bool descending = false;
};

Result<ExportOutcome> export_dataset(const Database& db, std::int64_t dataset_id, const std::string& path,
                                     const ExportOptions& options = {}, const DatasetSelection& selection = {});
// One read-only statement (refused otherwise). Columns that come straight from a dataset's table keep its types.
Result<ExportOutcome> export_query(const Database& db, std::string_view sql, const std::string& path,
                                   const ExportOptions& options = {});
Result<ExportOutcome> export_table(const ExportTable& table, const std::string& path,
                                   const ExportOptions& options = {});

// Helpers shared with the UI and the tests.
// Excel's rules: at most 31 characters (counted in UTF-16 units), none of []:*?/\, not empty, no leading or
// trailing apostrophe, not "History". Invalid UTF-8 is replaced.
std::string sanitize_sheet_name(std::string_view name);
// Display width of text in Excel's character units: East Asian wide characters (Hangul, CJK) count two.
std::size_t display_width(std::string_view utf8);

}  // namespace tally::data
