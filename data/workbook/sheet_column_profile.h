#pragma once
// Type inference for one workbook column. Cells arrive typed: Number cells count as numbers (percent or currency
// when their format says so), date cells as dates, Boolean cells as booleans; Text cells are read like CSV text.
// A column of Text cells only is decided by ColumnProfile itself (the CSV rule, column_profile.h); otherwise the
// same rule runs over the typed counts: at most 5% of the non-empty, non-marker cells may fail the chosen type.
// Error cells (#N/A) and formulas without a value count as missing. Times of day have no column type: text.
#include <cstdint>
#include <string>

#include "tally/data/column_profile.h"
#include "tally/data/workbook.h"

namespace tally::data {

class SheetColumnProfile {
 public:
  void add(const SheetCell& cell);
  ColumnChoice choose() const;

 private:
  ColumnProfile text_;  // the Text cells, as CSV would read them
  std::int64_t typed_ = 0, text_cells_ = 0, text_markers_ = 0;
  std::int64_t numbers_ = 0, integers_ = 0, percents_ = 0, currencies_ = 0, booleans_ = 0;
  std::int64_t dates_ = 0, datetimes_ = 0, times_ = 0;
  std::int64_t text_numbers_ = 0, text_integers_ = 0, text_booleans_ = 0, text_dates_ = 0;
  std::string currency_;
  bool mixed_currency_ = false, leading_zero_ = false;
};

}  // namespace tally::data
