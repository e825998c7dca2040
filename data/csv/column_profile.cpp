#include "tally/data/column_profile.h"

namespace tally::data {

void ColumnProfile::add(std::string_view raw) {
  const std::string_view cell = trim_spaces(raw);
  if (cell.empty()) return;
  ++non_empty_;
  if (is_missing_marker(cell)) {
    ++markers_;
    return;
  }
  // Numbers first: they are most cells, and a number never reads as any later type.
  if (auto n = parse_number(cell)) {
    leading_zero_ |= n->leading_zero;
    if (n->unit.empty()) {
      ++numbers_;
      ++plain_numbers_;
      if (n->integral) ++integers_;
    } else if (n->unit == "%") {
      ++percents_;
    } else {
      ++currencies_;
      if (currency_.empty()) {
        currency_ = n->unit;
      } else if (currency_ != n->unit) {
        mixed_currency_ = true;
      }
    }
    return;
  }
  if (parse_boolean(cell)) {
    ++booleans_;
    return;
  }
  if (auto d = parse_date(cell, false)) {
    if (d->year_first) {
      ++dates_;
    } else if (d->ambiguous) {
      ++dates_month_first_;
      ++dates_day_first_;
    } else if (d->read_day_first) {
      ++dates_day_first_;
    } else {
      ++dates_month_first_;
    }
    return;
  }
  if (parse_month(cell)) {
    ++months_;
    return;
  }
  if (parse_datetime(cell, false) || parse_datetime(cell, true)) ++datetimes_;
}

ColumnChoice ColumnProfile::choose() const {
  ColumnChoice c;
  const std::int64_t n = non_empty_ - markers_;
  if (n <= 0) return c;
  auto qualifies = [&](std::int64_t count) { return count > 0 && (n - count) * 20 <= n; };
  if (qualifies(booleans_)) {
    c.type = ColumnType::Boolean;
    return c;
  }
  if (!leading_zero_) {
    if (qualifies(integers_)) {
      c.type = ColumnType::Integer;
      return c;
    }
    if (qualifies(numbers_)) {
      c.type = ColumnType::Decimal;
      return c;
    }
    if (percents_ > 0 && percents_ >= plain_numbers_ && qualifies(percents_ + plain_numbers_)) {
      c.type = ColumnType::Percent;
      c.unit = std::string(1, '%');
      return c;
    }
    if (currencies_ > 0 && !mixed_currency_ && currencies_ >= plain_numbers_ &&
        qualifies(currencies_ + plain_numbers_)) {
      c.type = ColumnType::Currency;
      c.unit = currency_;
      return c;
    }
  }
  const std::int64_t month_first = dates_ + dates_month_first_;
  const std::int64_t day_first = dates_ + dates_day_first_;
  if (qualifies(std::max(month_first, day_first))) {
    c.type = ColumnType::Date;
    c.day_first = day_first > month_first;
    return c;
  }
  if (qualifies(months_)) {
    c.type = ColumnType::Month;
    return c;
  }
  if (datetimes_ > 0 && qualifies(datetimes_ + std::max(month_first, day_first))) {
    c.type = ColumnType::DateTime;
    c.day_first = day_first > month_first;
    return c;
  }
  return c;
}

bool ColumnProfile::fits(std::string_view raw, const ColumnChoice& choice) {
  const std::string_view cell = trim_spaces(raw);
  switch (choice.type) {
    case ColumnType::Text: return true;
    case ColumnType::Boolean: return parse_boolean(cell).has_value();
    case ColumnType::Integer: {
      auto n = parse_number(cell);
      return n && n->integral && n->unit.empty() && !n->leading_zero;
    }
    case ColumnType::Decimal: {
      auto n = parse_number(cell);
      return n && n->unit.empty() && !n->leading_zero;
    }
    case ColumnType::Percent:
    case ColumnType::Currency: {
      auto n = parse_number(cell);
      return n && (n->unit.empty() || n->unit == choice.unit) && !n->leading_zero;
    }
    case ColumnType::Date: return parse_date(cell, choice.day_first).has_value();
    case ColumnType::Month: return parse_month(cell).has_value();
    case ColumnType::DateTime:
      return parse_datetime(cell, choice.day_first).has_value() || parse_date(cell, choice.day_first).has_value();
  }
  return false;
}

}  // namespace tally::data
