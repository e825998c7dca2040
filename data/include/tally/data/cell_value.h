#pragma once
// How one CSV cell reads as each column type (the storage rules are in data/store/schema_v1.h). Parsers accept
// the forms analysts' spreadsheets export, in English and Korean; each returns nullopt for anything else, so a
// column's type is chosen only from forms that read back without loss.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tally::data {

enum class ColumnType : std::uint8_t { Integer, Decimal, Percent, Currency, Boolean, Date, Month, DateTime, Text };
const char* column_type_name(ColumnType type);  // the dataset_columns.type spelling

struct NumberCell {
  double value = 0;
  std::int64_t integer = 0;   // valid when integral
  bool integral = false;      // no fraction, no exponent, fits int64
  bool leading_zero = false;  // "00123": a code, not a number
  std::string_view unit;      // "", "%", or a currency code: KRW, USD, EUR, JPY, GBP
};

// "1234", "-1,234.5", "(1,234)" (accounting negative), "12.5%", "₩1,200", "$ 3.50", "1,200원", "1.5e3".
// Thousands separators must group by three. More than 18 digits (IDs, card numbers) are not numbers.
std::optional<NumberCell> parse_number(std::string_view cell);

// true/false, yes/no, y/n (any case), 예/아니오/아니요. Not 0/1: those stay integers.
std::optional<bool> parse_boolean(std::string_view cell);

// Dates written by common locales, normalised to 'YYYY-MM-DD': 2026-07-01, 2026/7/1, 2026.07.01, "2026. 7. 1.",
// 2026년 7월 1일, and M/D/YYYY or D/M/YYYY ("/" or "-") where `day_first` picks the reading of ambiguous ones
// (a first part above 12 is always a day). Returns false for invalid calendar dates.
struct DateParts {
  int year = 0, month = 0, day = 0;
  bool ambiguous = false;   // written D/M or M/D with both parts <= 12
  bool year_first = true;   // ISO-like or Korean form
  bool read_day_first = false;  // the D/M reading was used
};
std::optional<DateParts> parse_date(std::string_view cell, bool day_first = false);

// Months: 2026-07, 2026/07, 2026년 7월, Jul 2026, July 2026 -> 'YYYY-MM'.
std::optional<DateParts> parse_month(std::string_view cell);

// A date (any form above) then 'T' or spaces then H:MM[:SS[.fff]] with an optional trailing Z.
struct DateTimeParts {
  DateParts date;
  int hour = 0, minute = 0, second = 0;
};
std::optional<DateTimeParts> parse_datetime(std::string_view cell, bool day_first = false);

// "N/A", "NA", "#N/A", "null", "None", "NaN", "-" and friends (any case): placeholders for a missing value. In a
// typed column they become NULL (and are reported); in a text column they stay text.
bool is_missing_marker(std::string_view cell);

// Writes 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY-MM-DD HH:MM:SS' into `out` (no allocation); returns the length.
std::size_t format_date(const DateParts& d, char out[11]);
std::size_t format_month(const DateParts& d, char out[8]);
std::size_t format_datetime(const DateTimeParts& t, char out[20]);

std::string_view trim_spaces(std::string_view s);  // ASCII spaces and tabs at both ends

}  // namespace tally::data
