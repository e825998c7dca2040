#pragma once
// Type inference for one column: every cell is offered to every parser, counts are kept, and choose() applies
// the rule below. Kept per column during the first pass over a file (no cells are stored).
//
// The rule: let N be the column's non-empty cells that are not missing markers ("N/A", "null", ...). A typed
// column needs at least one cell of its type and at most 5% of N that fail to parse (those become NULL and are
// listed in the import report; markers also become NULL and are listed). The first type that qualifies wins, in
// this order: boolean, integer, decimal, percent, currency (one currency only), date, month, datetime; else text.
// Any number written with a leading zero ("00123") makes the column text: it holds codes, not quantities.
// Percent and currency columns may hold plain numbers too, as long as at least half the numbers carry the unit.
// Ambiguous slash dates (07/01/2026) read month-first unless the column has more cells that only day-first reads.
#include <cstdint>
#include <string>
#include <string_view>

#include "tally/data/cell_value.h"

namespace tally::data {

struct ColumnChoice {
  ColumnType type = ColumnType::Text;
  std::string unit;        // "%", "KRW", "USD", ... for percent and currency columns
  bool day_first = false;  // how to read ambiguous D/M dates
};

class ColumnProfile {
 public:
  void add(std::string_view cell);
  // Does `cell` read as `choice`'s type (used to tell a header row from data)?
  static bool fits(std::string_view cell, const ColumnChoice& choice);
  ColumnChoice choose() const;

  std::int64_t non_empty() const { return non_empty_; }

 private:
  std::int64_t non_empty_ = 0, markers_ = 0;
  std::int64_t booleans_ = 0, integers_ = 0, numbers_ = 0, plain_numbers_ = 0, percents_ = 0, currencies_ = 0;
  std::int64_t dates_ = 0, dates_month_first_ = 0, dates_day_first_ = 0, months_ = 0, datetimes_ = 0;
  std::string currency_;
  bool mixed_currency_ = false;
  bool leading_zero_ = false;
};

}  // namespace tally::data
