#include "tally/data/cell_value.h"

#include <array>
#include <charconv>
#include <cstring>

namespace tally::data {

const char* column_type_name(ColumnType type) {
  switch (type) {
    case ColumnType::Integer: return "integer";
    case ColumnType::Decimal: return "decimal";
    case ColumnType::Percent: return "percent";
    case ColumnType::Currency: return "currency";
    case ColumnType::Boolean: return "boolean";
    case ColumnType::Date: return "date";
    case ColumnType::Month: return "month";
    case ColumnType::DateTime: return "datetime";
    case ColumnType::Text: return "text";
  }
  return "text";
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool consume(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

bool consume_suffix(std::string_view& s, std::string_view suffix) {
  if (s.size() < suffix.size() || s.substr(s.size() - suffix.size()) != suffix) return false;
  s.remove_suffix(suffix.size());
  return true;
}

struct CurrencySymbol {
  std::string_view symbol;
  std::string_view code;
};
constexpr std::array<CurrencySymbol, 6> kCurrencyPrefixes{{
    {"\xE2\x82\xA9", "KRW"},   // ₩
    {"\xEF\xBF\xA6", "KRW"},   // ￦ (full width, common in Korean documents)
    {"$", "USD"},
    {"\xE2\x82\xAC", "EUR"},   // €
    {"\xC2\xA5", "JPY"},       // ¥
    {"\xC2\xA3", "GBP"},       // £
}};

std::string_view consume_currency(std::string_view& s) {
  for (const auto& c : kCurrencyPrefixes) {
    if (consume(s, c.symbol)) {
      s = trim_spaces(s);
      return c.code;
    }
  }
  return {};
}

// Reads up to `max` digits as a number; returns the count read.
int read_int(std::string_view& s, int max, int& value) {
  int n = 0;
  value = 0;
  while (n < max && !s.empty() && is_digit(s.front())) {
    value = value * 10 + (s.front() - '0');
    s.remove_prefix(1);
    ++n;
  }
  return n;
}

bool lower_equals(std::string_view s, std::string_view lower_word) {
  if (s.size() != lower_word.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_word[i]) return false;
  }
  return true;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool valid_date(int y, int m, int d) {
  return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

// Reads the date at the start of `s`, leaving the rest (for datetimes) in `s`.
std::optional<DateParts> read_date(std::string_view& s, bool day_first) {
  std::string_view t = s;
  int a = 0, b = 0, c = 0;
  const int na = read_int(t, 4, a);
  if (na == 4) {
    // Year first: 2026-07-01, 2026/07/01, 2026.07.01, "2026. 7. 1.", 2026년 7월 1일.
    if (consume(t, "\xEB\x85\x84")) {  // 년
      t = trim_spaces(t);
      if (!read_int(t, 2, b) || !consume(t, "\xEC\x9B\x94")) return std::nullopt;  // 월
      t = trim_spaces(t);
      if (!read_int(t, 2, c) || !consume(t, "\xEC\x9D\xBC")) return std::nullopt;  // 일
    } else {
      if (t.empty()) return std::nullopt;
      const char sep = t.front();
      if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
      t.remove_prefix(1);
      if (sep == '.') t = trim_spaces(t);
      if (!read_int(t, 2, b) || t.empty() || t.front() != sep) return std::nullopt;
      t.remove_prefix(1);
      if (sep == '.') t = trim_spaces(t);
      if (!read_int(t, 2, c)) return std::nullopt;
      if (sep == '.' && !t.empty() && t.front() == '.') t.remove_prefix(1);
    }
    if (!valid_date(a, b, c)) return std::nullopt;
    s = t;
    return DateParts{a, b, c, false, true, false};
  }
  // M/D/YYYY, D/M/YYYY, and D.M.YYYY (dots are day-first everywhere they are used).
  if (na < 1 || na > 2 || t.empty()) return std::nullopt;
  const char sep = t.front();
  if (sep != '/' && sep != '-' && sep != '.') return std::nullopt;
  t.remove_prefix(1);
  if (!read_int(t, 2, b) || t.empty() || t.front() != sep) return std::nullopt;
  t.remove_prefix(1);
  if (read_int(t, 4, c) != 4) return std::nullopt;
  DateParts d;
  d.year = c;
  const bool ambiguous = sep != '.' && a <= 12 && b <= 12;
  const bool dmy = sep == '.' || a > 12 || (ambiguous && day_first);
  d.day = dmy ? a : b;
  d.month = dmy ? b : a;
  d.ambiguous = ambiguous;
  d.year_first = false;
  d.read_day_first = dmy;
  if (!valid_date(d.year, d.month, d.day)) return std::nullopt;
  s = t;
  return d;
}

}  // namespace

std::optional<NumberCell> parse_number(std::string_view cell) {
  std::string_view s = trim_spaces(cell);
  if (s.empty()) return std::nullopt;
  NumberCell out;
  bool negative = false;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    negative = true;
    s = trim_spaces(s.substr(1, s.size() - 2));
  }
  auto take_sign = [&] {
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
      if (s.front() == '-') negative = !negative;
      s.remove_prefix(1);
      return true;
    }
    return false;
  };
  const bool signed_first = take_sign();
  out.unit = consume_currency(s);
  if (!out.unit.empty() && !signed_first) take_sign();  // "$-5" as well as "-$5"
  if (out.unit.empty()) {
    if (consume_suffix(s, "%")) {
      out.unit = "%";
    } else if (consume_suffix(s, "\xEC\x9B\x90")) {  // 원
      out.unit = "KRW";
    }
    s = trim_spaces(s);
  }
  // Digits with optional thousands separators, optional fraction, optional exponent.
  char buf[64];
  std::size_t n = 0;
  if (negative) buf[n++] = '-';
  int digits = 0, int_digits = 0;
  bool grouped = false, fraction = false, exponent = false;
  std::size_t group_len = 0;
  std::size_t i = 0;
  const bool starts_zero = !s.empty() && s.front() == '0';
  for (; i < s.size() && (is_digit(s[i]) || s[i] == ','); ++i) {
    if (s[i] == ',') {
      if (int_digits == 0 || (grouped && group_len != 3) || (!grouped && int_digits > 3)) return std::nullopt;
      grouped = true;
      group_len = 0;
      continue;
    }
    if (n + 1 >= sizeof buf) return std::nullopt;
    buf[n++] = s[i];
    ++digits;
    ++int_digits;
    ++group_len;
  }
  if (grouped && group_len != 3) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    fraction = true;
    buf[n++] = '.';
    ++i;
    const std::size_t before = i;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      if (n + 1 >= sizeof buf) return std::nullopt;
      buf[n++] = s[i];
      ++digits;
    }
    if (i == before && int_digits == 0) return std::nullopt;
  }
  if (digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E') && out.unit.empty()) {
    exponent = true;
    buf[n++] = 'e';
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) buf[n++] = s[i++];
    const std::size_t before = i;
    for (; i < s.size() && is_digit(s[i]) && n + 1 < sizeof buf; ++i) buf[n++] = s[i];
    if (i == before) return std::nullopt;
  }
  if (i != s.size() || digits > 18) return std::nullopt;
  out.leading_zero = starts_zero && int_digits > 1 && !grouped;
  auto [end, ec] = std::from_chars(buf, buf + n, out.value);
  if (ec != std::errc() || end != buf + n) return std::nullopt;
  if (!fraction && !exponent) {
    auto [iend, iec] = std::from_chars(buf, buf + n, out.integer);
    out.integral = iec == std::errc() && iend == buf + n;
  }
  if (out.value == 0) out.value = 0;  // no "-0" in the data
  return out;
}

std::optional<bool> parse_boolean(std::string_view cell) {
  const std::string_view s = trim_spaces(cell);
  if (lower_equals(s, "true") || lower_equals(s, "yes") || lower_equals(s, "y") || s == "\xEC\x98\x88") return true;
  if (lower_equals(s, "false") || lower_equals(s, "no") || lower_equals(s, "n") ||
      s == "\xEC\x95\x84\xEB\x8B\x88\xEC\x98\xA4" || s == "\xEC\x95\x84\xEB\x8B\x88\xEC\x9A\x94") {  // 아니오, 아니요
    return false;
  }
  return std::nullopt;
}

std::optional<DateParts> parse_date(std::string_view cell, bool day_first) {
  std::string_view s = trim_spaces(cell);
  auto d = read_date(s, day_first);
  if (!d || !s.empty()) return std::nullopt;
  return d;
}

std::optional<DateParts> parse_month(std::string_view cell) {
  std::string_view s = trim_spaces(cell);
  static constexpr std::array<std::string_view, 12> kShort{"jan", "feb", "mar", "apr", "may", "jun",
                                                           "jul", "aug", "sep", "oct", "nov", "dec"};
  static constexpr std::array<std::string_view, 12> kLong{"january", "february", "march",     "april",
                                                          "may",     "june",     "july",      "august",
                                                          "september", "october", "november", "december"};
  DateParts d;
  std::string_view t = s;
  if (read_int(t, 4, d.year) == 4) {
    if (consume(t, "\xEB\x85\x84")) {  // 2026년 7월
      t = trim_spaces(t);
      if (!read_int(t, 2, d.month) || !consume(t, "\xEC\x9B\x94") || !t.empty()) return std::nullopt;
    } else {
      if (t.empty() || (t.front() != '-' && t.front() != '/')) return std::nullopt;
      t.remove_prefix(1);
      if (read_int(t, 2, d.month) != 2 || !t.empty()) return std::nullopt;  // two digits: "2026-7" is too vague
    }
  } else {
    // "Jul 2026", "July 2026", "Jul-2026"
    std::size_t k = 0;
    while (k < s.size() && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z'))) ++k;
    const std::string_view word = s.substr(0, k);
    for (int m = 0; m < 12 && d.month == 0; ++m) {
      if (lower_equals(word, kShort[static_cast<std::size_t>(m)]) ||
          lower_equals(word, kLong[static_cast<std::size_t>(m)])) {
        d.month = m + 1;
      }
    }
    if (d.month == 0) return std::nullopt;
    t = s.substr(k);
    if (!t.empty() && (t.front() == '-' || t.front() == ' ')) t.remove_prefix(1);
    t = trim_spaces(t);
    if (read_int(t, 4, d.year) != 4 || !t.empty()) return std::nullopt;
  }
  if (d.year < 1000 || d.month < 1 || d.month > 12) return std::nullopt;
  d.day = 1;
  return d;
}

std::optional<DateTimeParts> parse_datetime(std::string_view cell, bool day_first) {
  std::string_view s = trim_spaces(cell);
  auto d = read_date(s, day_first);
  if (!d || s.empty() || (s.front() != 'T' && s.front() != ' ')) return std::nullopt;
  s = trim_spaces(s.substr(1));
  DateTimeParts t;
  t.date = *d;
  if (!read_int(s, 2, t.hour) || !consume(s, ":") || read_int(s, 2, t.minute) != 2) return std::nullopt;
  if (consume(s, ":")) {
    if (read_int(s, 2, t.second) != 2) return std::nullopt;
    if (consume(s, ".")) {
      int frac = 0;
      if (!read_int(s, 9, frac)) return std::nullopt;  // sub-second precision is dropped: columns store seconds
    }
  }
  consume(s, "Z");
  if (!s.empty() || t.hour > 23 || t.minute > 59 || t.second > 60) return std::nullopt;
  return t;
}

bool is_missing_marker(std::string_view cell) {
  const std::string_view s = trim_spaces(cell);
  for (std::string_view m : {"n/a", "na", "#n/a", "null", "none", "nan", "-", "--", "nil", "#value!", "#div/0!"}) {
    if (lower_equals(s, m)) return true;
  }
  return false;
}

namespace {
void put2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10 % 10);
  p[1] = static_cast<char>('0' + v % 10);
}
void put4(char* p, int v) {
  put2(p, v / 100);
  put2(p + 2, v % 100);
}
}  // namespace

std::size_t format_date(const DateParts& d, char out[11]) {
  put4(out, d.year);
  out[4] = '-';
  put2(out + 5, d.month);
  out[7] = '-';
  put2(out + 8, d.day);
  out[10] = '\0';
  return 10;
}

std::size_t format_month(const DateParts& d, char out[8]) {
  put4(out, d.year);
  out[4] = '-';
  put2(out + 5, d.month);
  out[7] = '\0';
  return 7;
}

std::size_t format_datetime(const DateTimeParts& t, char out[20]) {
  format_date(t.date, out);
  out[10] = ' ';
  put2(out + 11, t.hour);
  out[13] = ':';
  put2(out + 14, t.minute);
  out[16] = ':';
  put2(out + 17, t.second);
  out[19] = '\0';
  return 19;
}

}  // namespace tally::data
