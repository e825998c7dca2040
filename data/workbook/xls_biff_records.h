#pragma once
// What libfreexl 1.0 skips in a BIFF8 workbook, read from the workbook stream's records: each sheet's visibility
// (BOUNDSHEET), merged ranges (MERGEDCELLS), boolean and error cells (BOOLERR) and formulas' cached results
// (FORMULA, with the STRING record that follows a text result). Anything malformed just yields less (the guard in
// xls_guard.h has already refused what freexl could not read safely).
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tally/data/workbook.h"

namespace tally::data::xls {

struct ExtraCell {
  SheetCellKind kind = SheetCellKind::Empty;  // Number, Text, Boolean, Error, or a date kind (formula results)
  double number = 0;
  std::string text;
  DateTimeParts when;
  bool formula = false;
};

// A Number cell's format says percent or currency (freexl only tells dates apart).
struct NumberUnit {
  std::string_view unit;  // "%" or a currency code, static storage
};

struct ExtraSheet {
  std::string name;
  bool hidden = false;
  bool very_hidden = false;
  bool worksheet = true;  // false for chart and macro sheets
  std::map<std::pair<std::int64_t, std::int64_t>, ExtraCell> cells;  // (row, col), 0-based
  std::map<std::pair<std::int64_t, std::int64_t>, NumberUnit> units;  // number cells shown as % or currency
  std::vector<CellRange> merged;  // MERGEDCELLS
};

// From the workbook stream's bytes (xls_guard.h hands them over); empty when they are not a BIFF8 workbook.
// `date1904` reads formulas' date results.
std::vector<ExtraSheet> read_extra_cells(const std::string& wb, bool date1904);

}  // namespace tally::data::xls
