#pragma once
// One worksheet part, streamed: expat events in, rows of typed cells out (see WorkbookReader::read_sheet).
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "number_format.h"
#include "xlsx_package.h"

namespace tally::data {

using RowCallback = std::function<Status(std::int64_t row, std::span<const SheetCell> cells)>;

struct SheetContext {
  const SharedStrings* strings = nullptr;
  const std::vector<NumberFormat>* formats = nullptr;
  bool date1904 = false;
  WorkbookLimits limits;
};

// Streams `part` and calls `on_row` per row; fills `merged` with the sheet's merged ranges.
Status read_xlsx_sheet(ZipArchive& zip, const std::string& part, const SheetContext& context,
                       const RowCallback& on_row, std::vector<CellRange>& merged);

// The declared used range (from <dimension>), read from the start of the part only. rows = cols = 0 when the
// sheet has no rows; -1 when it declares nothing.
Status read_xlsx_sheet_size(ZipArchive& zip, const std::string& part, std::int64_t& rows, std::int64_t& cols);

}  // namespace tally::data
