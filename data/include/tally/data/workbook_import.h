#pragma once
// Importing one sheet of a workbook as a dataset: the same tables, catalog rows, column chunks and import report
// as a CSV import (csv_import.h), in one transaction, all or nothing. Two streaming passes over the sheet (find
// the header and infer types, then write), never the whole sheet in memory.
//
// Header: unless given, the first row whose non-empty cells are mostly text and that is followed by a data row,
// after skipping title rows (one non-empty cell, or one merged cell) and blank rows. A merged header cell names
// every column it spans; when the row below it also has names (a two-row header), each column is named
// "<upper> <lower>" ("2025 매출" over "수량" and "금액" -> "2025 매출 수량", "2025 매출 금액") and data starts
// below the second row.
// Types: Number cells make integer/decimal columns (percent or currency when their number format says so), date
// cells date/datetime columns, Text cells go through ColumnProfile like CSV text. Error cells (#N/A, #DIV/0!) and
// formulas without a cached value become NULL and are listed in the report with their cell reference.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tally/data/csv_import.h"
#include "tally/data/workbook.h"

namespace tally::data {

struct WorkbookImportOptions {
  // Which sheet: `sheet_index` (0-based) when set, else `sheet_name` when not empty, else the first visible
  // worksheet with cells.
  std::optional<std::size_t> sheet_index;
  std::string sheet_name;
  std::optional<CellRange> range;         // only these cells (the header is searched inside the range)
  // 1-based sheet row of the header; 0 = no header row. A merged group header there still takes the row below
  // as its second header row, as detection does (so passing back WorkbookPreview::header_row changes nothing).
  std::optional<std::int64_t> header_row;
  std::string dataset_name;               // "" -> "<file stem> - <sheet>"
  bool force = false;                     // import again even when these exact bytes were imported before
  std::function<void(const ImportProgress&)> on_progress;  // bytes are sheet rows here
  const std::atomic<bool>* cancel = nullptr;
  std::vector<std::optional<ColumnType>> column_types;     // per column, overriding the inference
  WorkbookLimits limits;
};

struct WorkbookPreview {
  std::vector<SheetInfo> sheets;
  std::size_t sheet_index = 0;           // the sheet shown
  std::int64_t header_row = 0;           // 1-based sheet row of the (first) header row; 0 = no header
  std::int64_t header_rows = 0;          // 1, or 2 for a merged two-row header
  std::int64_t first_data_row = 1;       // 1-based sheet row where data starts
  CellRange used;                        // the cells the import would read (the range, or the used area)
  std::vector<CellRange> merged;
  std::vector<CsvColumn> columns;        // types inferred from the first `max_rows` data rows only
  std::vector<std::vector<std::string>> rows;  // the first data rows, as text
  // The sheet's first rows as text, header and title rows included, for picking the header row by hand:
  // top_rows[i] is sheet row top_first_row + i (1-based).
  std::vector<std::vector<std::string>> top_rows;
  std::int64_t top_first_row = 1;
};

class WorkbookImporter {
 public:
  explicit WorkbookImporter(Store& store) : store_(store) {}

  Result<ImportOutcome> import_sheet(const std::string& path, const WorkbookImportOptions& options = {});

  static Result<WorkbookPreview> preview(const std::string& path, const WorkbookImportOptions& options = {},
                                         std::size_t max_rows = 100);

 private:
  Store& store_;
};

}  // namespace tally::data
