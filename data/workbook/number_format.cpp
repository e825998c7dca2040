#include "number_format.h"

#include <cmath>
#include <string>

namespace tally::data {

NumberFormat builtin_number_format(int id) {
  using K = NumberFormatClass;
  if (id == 9 || id == 10) return {K::Percent, "%"};
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) || (id >= 50 && id <= 54) ||
      id == 57 || id == 58) {
    return {K::Date, ""};
  }
  if ((id >= 18 && id <= 21) || id == 32 || id == 33 || id == 45 || id == 46 || id == 47 || id == 55 || id == 56) {
    return {K::Time, ""};
  }
  if (id == 22) return {K::DateTime, ""};
  return {};
}

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view currency_code(std::string_view symbol) {
  if (symbol.empty()) return "";
  if (symbol.rfind("₩", 0) == 0 || symbol.rfind("￦", 0) == 0 || symbol == "원" || symbol == "KRW") return "KRW";
  if (symbol.rfind("$", 0) == 0 || symbol == "USD" || symbol == "US$") return "USD";
  if (symbol.rfind("€", 0) == 0 || symbol == "EUR") return "EUR";
  if (symbol.rfind("£", 0) == 0 || symbol == "GBP") return "GBP";
  if (symbol.rfind("¥", 0) == 0 || symbol.rfind("￥", 0) == 0 || symbol == "JPY") return "JPY";
  return "";
}

}  // namespace

NumberFormat classify_number_format(std::string_view code) {
  using K = NumberFormatClass;
  bool date = false, time = false, month_or_minute = false, percent = false;
  std::string_view currency;
  int last_time_token = 0;  // 'h' or 's' seen last, to read 'm' as minutes
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == ';') break;  // the first section decides
    if (c == '"') {
      const auto close = code.find('"', i + 1);
      const std::string_view quoted = code.substr(i + 1, close == std::string_view::npos ? code.npos : close - i - 1);
      if (currency.empty()) currency = currency_code(quoted);
      if (close == std::string_view::npos) break;
      i = close;
      continue;
    }
    if (c == '\\' || c == '_' || c == '*') {  // escaped, padding and fill characters (one UTF-8 character)
      ++i;
      while (i + 1 < code.size() && (static_cast<unsigned char>(code[i + 1]) & 0xC0) == 0x80) ++i;
      if (c == '\\' && i < code.size() && currency.empty()) currency = currency_code(code.substr(i, 3));
      continue;
    }
    if (c == '[') {
      const auto close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      std::string_view tag = code.substr(i + 1, close - i - 1);
      if (!tag.empty() && tag.front() == '$') {  // [$₩-412], [$USD], [$-412] (a locale only)
        std::string_view symbol = tag.substr(1, tag.find('-') == std::string_view::npos ? tag.npos : tag.find('-') - 1);
        if (currency.empty()) currency = currency_code(symbol);
      } else if (!tag.empty()) {
        const char t = lower(tag.front());
        if (t == 'h' || t == 's') time = true;  // elapsed time: [h]:mm:ss
        if (t == 'm' && (tag.size() == 1 || lower(tag[1]) == 'm')) time = true;
      }
      i = close;
      continue;
    }
    if (c == '%') {
      percent = true;
      continue;
    }
    const char l = lower(c);
    if (l == 'a' && (code.substr(i, 5) == "AM/PM" || code.substr(i, 5) == "am/pm")) {
      time = true;
      i += 4;
      continue;
    }
    if (l == 'a' && (code.substr(i, 3) == "A/P" || code.substr(i, 3) == "a/p")) {
      time = true;
      i += 2;
      continue;
    }
    if (l == 'e' && i + 1 < code.size() && (code[i + 1] == '+' || code[i + 1] == '-')) continue;  // 0.00E+00
    if (l == 'g' && code.size() - i >= 7) {
      std::string word;
      for (std::size_t k = i; k < i + 7; ++k) word.push_back(lower(code[k]));
      if (word == "general") {
        i += 6;
        continue;
      }
    }
    if (l == 'y' || l == 'd' || l == 'e') {
      date = true;
      last_time_token = 0;
    } else if (l == 'h' || l == 's') {
      time = true;
      last_time_token = l;
    } else if (l == 'm') {
      // mm after hours or before seconds is minutes; otherwise a month.
      std::size_t k = i;
      while (k < code.size() && lower(code[k]) == 'm') ++k;
      std::size_t next = k;
      while (next < code.size() && (code[next] == ':' || code[next] == ' ' || code[next] == '.')) ++next;
      if (last_time_token == 'h' || (next < code.size() && lower(code[next]) == 's')) {
        time = true;
      } else {
        month_or_minute = true;
      }
      i = k - 1;
    } else if (static_cast<unsigned char>(c) >= 0x80 && currency.empty()) {
      currency = currency_code(code.substr(i, 3));  // a bare ₩, €, £, ¥ (3 or 2 bytes)
      if (currency.empty()) currency = currency_code(code.substr(i, 2));
    } else if (c == '$' && currency.empty()) {
      currency = "USD";
    }
  }
  if (month_or_minute) date = true;
  if (date && time) return {K::DateTime, ""};
  if (date) return {K::Date, ""};
  if (time) return {K::Time, ""};
  if (percent) return {K::Percent, "%"};
  if (!currency.empty()) return {K::Currency, currency};
  return {};
}

namespace {

// Days since 1970-01-01 -> civil date (proleptic Gregorian), after Howard Hinnant's well-known derivation.
DateParts civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  DateParts p;
  p.year = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  p.month = static_cast<int>(m);
  p.day = static_cast<int>(d);
  return p;
}

}  // namespace

std::optional<DateTimeParts> excel_serial_to_datetime(double serial, bool date1904) {
  if (!std::isfinite(serial) || serial < 0 || serial > 2958466) return std::nullopt;  // Excel ends at 9999-12-31
  std::int64_t days = static_cast<std::int64_t>(std::floor(serial));
  std::int64_t seconds = std::llround((serial - static_cast<double>(days)) * 86400.0);
  if (seconds >= 86400) {
    ++days;
    seconds -= 86400;
  }
  DateTimeParts t;
  std::int64_t epoch_days;  // the serial's day 0, in days since 1970-01-01
  if (date1904) {
    epoch_days = -24107;   // 1904-01-01
  } else if (days < 60) {
    epoch_days = -25568;   // 1899-12-31: serial 1 is 1900-01-01
  } else {
    epoch_days = -25569;   // 1899-12-30: past the fictitious 1900-02-29 (60 reads as 02-28)
  }
  t.date = civil_from_days(epoch_days + days);
  t.hour = static_cast<int>(seconds / 3600);
  t.minute = static_cast<int>(seconds / 60 % 60);
  t.second = static_cast<int>(seconds % 60);
  return t;
}

}  // namespace tally::data
