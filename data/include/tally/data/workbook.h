#pragma once
// Reading spreadsheet workbooks (.xlsx/.xlsm, and legacy .xls through xls_reader.h): the sheet list and each
// sheet's cells, typed as the workbook stores them. Streamed: a sheet is read row by row through a callback,
// never held whole. Everything read from the file is bounded by WorkbookLimits, so a hostile archive (zip bomb,
// XML entity expansion, absurd dimensions) is refused with an error naming the file and the part.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tally/data/cell_value.h"
#include "tally/data/result.h"

namespace tally::data {

enum class SheetCellKind : std::uint8_t { Empty, Number, Text, Boolean, Error, Date, DateTime, Time };

struct SheetCell {
  SheetCellKind kind = SheetCellKind::Empty;
  // Number: the value. Boolean: 0 or 1. Date kinds: the raw serial (days since the workbook's epoch).
  double number = 0;
  // Text: the string (rich text runs joined). Error: the error code ("#N/A", "#DIV/0!"). Valid only during the
  // row callback.
  std::string_view text;
  // Date, DateTime, Time: already resolved (1900 leap-year quirk, 1904 date system). Time has a zero date.
  DateTimeParts when;
  // Number: "%" when the cell's number format shows a percent, a currency code ("KRW", "USD", ...) when it shows
  // a currency, else "". Static storage.
  std::string_view unit;
  // A formula cell. Its cached value is the cell; a formula without a cached value arrives as Empty with this set.
  bool formula = false;
};

struct SheetInfo {
  std::string name;
  bool hidden = false;       // hidden or veryHidden in the workbook
  bool very_hidden = false;  // only a macro can show it
  bool chart = false;        // a chart sheet (no cells)
  // The sheet's size as the workbook declares it (the used range), 0 x 0 for an empty sheet. Informational: the
  // reader never allocates from it.
  std::int64_t rows = 0, cols = 0;
};

// A rectangle of cells, 0-based and inclusive: "A3:H200" is rows 2..199, columns 0..7.
struct CellRange {
  std::int64_t first_row = 0, first_col = 0, last_row = 0, last_col = 0;

  // "A3:H200", "$A$3:$H$200", or one cell "B2". nullopt for anything else (or beyond Excel's 1048576 x 16384).
  static std::optional<CellRange> parse(std::string_view a1);
  bool contains(std::int64_t row, std::int64_t col) const {
    return row >= first_row && row <= last_row && col >= first_col && col <= last_col;
  }
  std::string to_string() const;  // "A3:H200"
  bool operator==(const CellRange&) const = default;
};

// "A1"-style reference of a 0-based cell: (0, 0) -> "A1", (6, 27) -> "AB7".
std::string cell_reference(std::int64_t row, std::int64_t col);

struct WorkbookLimits {
  std::uint64_t max_uncompressed_bytes = std::uint64_t{1} << 30;  // over all parts read, per read
  std::uint64_t max_part_bytes = std::uint64_t{768} << 20;        // one part (sheet XML, shared strings)
  std::uint32_t max_compression_ratio = 250;  // parts above 1 MiB inflating more than this are refused
  std::int64_t max_cells = 50'000'000;        // non-empty cells in one sheet
  std::int64_t max_rows = 1'048'576;          // Excel's own limits
  std::int64_t max_cols = 16'384;
  std::uint64_t max_shared_strings = 20'000'000;
  // Importing keeps the sheet's cells in memory between its two passes up to this much, and otherwise reads
  // (inflates and parses) the sheet a second time.
  std::size_t max_buffer_bytes = std::size_t{160} << 20;
};

class WorkbookReader {
 public:
  virtual ~WorkbookReader() = default;
  virtual const std::vector<SheetInfo>& sheets() const = 0;
  // Calls `on_row` for each row that has cells, in order. `row` is 0-based (Excel's row 1 is 0); cells[i] is
  // column i, with gaps filled as Empty and the span ending at the row's last cell. A non-ok Status from `on_row`
  // stops the read and is returned as is.
  virtual Status read_sheet(std::size_t index,
                            const std::function<Status(std::int64_t row, std::span<const SheetCell> cells)>& on_row) = 0;
  // The sheet's merged cell ranges (read with the sheet, or on their own when the sheet was not read yet).
  virtual Result<std::vector<CellRange>> merged(std::size_t index) = 0;
  // The file the reader was opened on, for messages.
  virtual const std::string& path() const = 0;
};

// Opens a workbook by its content, not its name: a zip archive reads as .xlsx/.xlsm; an OLE compound file is
// either an encrypted (password-protected) OOXML workbook, refused with that reason, or a legacy .xls.
Result<std::unique_ptr<WorkbookReader>> open_workbook(const std::string& path, const WorkbookLimits& limits = {});

// Does the file look like a workbook (by its first bytes: zip or OLE compound file)?
bool looks_like_workbook(const std::string& path);

}  // namespace tally::data
