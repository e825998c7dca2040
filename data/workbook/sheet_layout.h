#pragma once
// Where the table sits in a sheet: which rows are titles, which are the header (one row, or two under merged
// group cells), where data starts, and which columns it spans. Decided from the sheet's first rows (buffered by
// the first pass) and its merged ranges; the rule is in workbook_import.h.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tally/data/workbook.h"

namespace tally::data {

// A cell copied out of the reader's row callback (whose views die with the callback).
struct OwnedCell {
  SheetCellKind kind = SheetCellKind::Empty;
  double number = 0;
  std::string text;
  DateTimeParts when;
  std::string_view unit;
  bool formula = false;
  SheetCell view() const {
    return SheetCell{kind, number, text, when, unit, formula};
  }
};

struct BufferedRow {
  std::int64_t row = 0;  // 0-based sheet row
  std::vector<OwnedCell> cells;  // by 0-based sheet column
};

struct SheetLayout {
  std::int64_t header_row = -1;     // 0-based sheet row of the first header row; -1 = no header
  std::int64_t header_rows = 0;     // 0, 1 or 2
  std::int64_t first_data_row = 0; // 0-based sheet row
  std::int64_t first_col = 0, last_col = -1;  // 0-based sheet columns of the table
  std::vector<std::string> names;   // per column, from the header ("" when none)
};

// The text a cell shows for a column name or a preview: numbers without a trailing ".0", dates in ISO form.
std::string cell_display_text(const SheetCell& cell);
bool cell_is_blank(const SheetCell& cell);  // Empty, or text of spaces only

// `rows`: the sheet's first rows inside the chosen range, in order. `data_cols` = [min, max] columns with cells in
// the data rows not buffered (-1 when none). `header_row`: the user's choice (0-based, -1 = no header), if any.
SheetLayout find_layout(const std::vector<BufferedRow>& rows, const std::vector<CellRange>& merged,
                        std::optional<std::int64_t> header_row, std::int64_t data_min_col, std::int64_t data_max_col);

}  // namespace tally::data
