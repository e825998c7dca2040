#pragma once
// What a cell's number format says about its number: a date, a time, both, a percent, a currency, or a plain
// number. Excel stores dates as serial day numbers; only the format tells them apart from quantities.
#include <cstdint>
#include <optional>
#include <string_view>

#include "tally/data/cell_value.h"

namespace tally::data {

enum class NumberFormatClass : std::uint8_t { Plain, Date, DateTime, Time, Percent, Currency };

struct NumberFormat {
  NumberFormatClass kind = NumberFormatClass::Plain;
  std::string_view unit;  // "%" or a currency code, static storage
};

// Built-in format ids (no format code in styles.xml): 14-22 and 45-47, their Korean-locale ids 27-36 and 50-58,
// percent 9-10.
NumberFormat builtin_number_format(int id);

// A format code such as `yyyy"년" m"월"`, `yyyy-mm-dd hh:mm`, `0.0%`, `[$₩-412]#,##0`. Only the first section
// counts; quoted text, escapes, fill and padding characters, colours and locale tags do not.
NumberFormat classify_number_format(std::string_view code);

// An Excel serial day number read in the workbook's date system. 1900 system: serial 1 is 1900-01-01 and the
// fictitious 1900-02-29 (serial 60, Lotus's leap-year bug kept by Excel) reads as 1900-02-28, as openpyxl does.
// 1904 system: serial 0 is 1904-01-01. Times are rounded to the second. nullopt for negative or absurd serials.
std::optional<DateTimeParts> excel_serial_to_datetime(double serial, bool date1904);

}  // namespace tally::data
