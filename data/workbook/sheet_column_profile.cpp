#include "sheet_column_profile.h"

#include <cmath>

namespace tally::data {

void SheetColumnProfile::add(const SheetCell& cell) {
  switch (cell.kind) {
    case SheetCellKind::Empty:
    case SheetCellKind::Error: return;
    case SheetCellKind::Text: {
      const std::string_view t = trim_spaces(cell.text);
      if (t.empty()) return;
      text_.add(t);
      ++text_cells_;
      if (is_missing_marker(t)) {
        ++text_markers_;
      } else if (auto n = parse_number(t)) {
        leading_zero_ |= n->leading_zero;
        if (n->unit.empty()) {
          ++text_numbers_;
          if (n->integral) ++text_integers_;
        }
      } else if (parse_boolean(t)) {
        ++text_booleans_;
      } else if (parse_date(t) || parse_datetime(t)) {
        ++text_dates_;
      }
      return;
    }
    case SheetCellKind::Number:
      ++typed_;
      if (cell.unit == "%") {
        ++percents_;
      } else if (!cell.unit.empty()) {
        ++currencies_;
        if (currency_.empty()) {
          currency_ = cell.unit;
        } else if (currency_ != cell.unit) {
          mixed_currency_ = true;
        }
      } else {
        ++numbers_;
        if (cell.number == std::floor(cell.number) && std::abs(cell.number) < 9.2e18) ++integers_;
      }
      return;
    case SheetCellKind::Boolean: ++typed_, ++booleans_; return;
    case SheetCellKind::Date: ++typed_, ++dates_; return;
    case SheetCellKind::DateTime: ++typed_, ++datetimes_; return;
    case SheetCellKind::Time: ++typed_, ++times_; return;
  }
}

ColumnChoice SheetColumnProfile::choose() const {
  if (typed_ == 0) return text_.choose();
  ColumnChoice c;
  const std::int64_t n = typed_ + text_cells_ - text_markers_;
  auto qualifies = [&](std::int64_t count) { return count > 0 && (n - count) * 20 <= n; };
  if (times_ > 0 && qualifies(times_)) return c;  // times of day stay text ("09:30:00")
  if (qualifies(booleans_ + text_booleans_) && booleans_ > 0) {
    c.type = ColumnType::Boolean;
    return c;
  }
  if (!leading_zero_) {
    const std::int64_t plain = numbers_ + text_numbers_;
    if (qualifies(integers_ + text_integers_) && percents_ == 0 && currencies_ == 0) {
      c.type = ColumnType::Integer;
      return c;
    }
    if (percents_ > 0 && percents_ >= plain && qualifies(percents_ + plain)) {
      c.type = ColumnType::Percent;
      c.unit = "%";
      return c;
    }
    if (currencies_ > 0 && !mixed_currency_ && currencies_ >= plain && qualifies(currencies_ + plain)) {
      c.type = ColumnType::Currency;
      c.unit = currency_;
      return c;
    }
    if (qualifies(plain + percents_ + currencies_)) {
      c.type = ColumnType::Decimal;
      return c;
    }
  }
  if (qualifies(dates_ + text_dates_) && dates_ + datetimes_ > 0 && datetimes_ == 0) {
    c.type = ColumnType::Date;
    return c;
  }
  if (qualifies(dates_ + datetimes_ + text_dates_) && dates_ + datetimes_ > 0) {
    c.type = datetimes_ > 0 ? ColumnType::DateTime : ColumnType::Date;
    return c;
  }
  return c;
}

}  // namespace tally::data
