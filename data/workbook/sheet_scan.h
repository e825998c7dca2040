#pragma once
// The first pass over a chosen sheet, shared by preview and import: keep the first rows (to find titles, the
// header and where data starts), profile every later row's cells per column, and settle the table's layout and
// column types.
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "sheet_buffer.h"
#include "sheet_layout.h"
#include "tally/data/workbook_import.h"

namespace tally::data {

struct SheetScan {
  std::size_t sheet_index = 0;
  SheetLayout layout;
  std::vector<CsvColumn> columns;
  std::vector<CellRange> merged;
  std::vector<BufferedRow> first_rows;                // the buffered rows (titles, header, first data rows)
  std::vector<std::vector<std::string>> top_rows;     // dense, from top_first_row (0-based)
  std::int64_t top_first_row = 0;
  std::int64_t data_rows = 0;                          // non-blank rows at or below first_data_row (all read)
  bool cancelled = false;
};

// The sheet the options choose (index, name, or the first visible worksheet with cells).
Result<std::size_t> choose_sheet(const WorkbookReader& reader, const WorkbookImportOptions& options);

// Reads the whole sheet unless `max_data_rows` stops it early (preview). `keep`, when given, receives every row
// read inside the range, for the import's second pass.
Result<SheetScan> scan_sheet(WorkbookReader& reader, std::size_t index, const WorkbookImportOptions& options,
                             std::optional<std::size_t> max_data_rows, SheetBuffer* keep = nullptr);

// Does any of the table's cells in this row hold something (a value, or a formula that lost its value)?
bool row_has_cells(std::span<const SheetCell> cells, std::int64_t first_col, std::int64_t last_col);

}  // namespace tally::data
