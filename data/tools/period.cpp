#include "tools/period.h"

#include <chrono>
#include <cstdio>

namespace tally::data::tools {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

long floor_div(long a, long b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

std::string two(int v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

std::string ymd_label(long days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace

std::optional<Grain> parse_grain(std::string_view name) {
  if (name == "day") return Grain::Day;
  if (name == "week") return Grain::Week;
  if (name == "month") return Grain::Month;
  if (name == "quarter") return Grain::Quarter;
  if (name == "year") return Grain::Year;
  return std::nullopt;
}

const char* grain_name(Grain g) {
  switch (g) {
    case Grain::Day: return "day";
    case Grain::Week: return "week";
    case Grain::Month: return "month";
    case Grain::Quarter: return "quarter";
    case Grain::Year: return "year";
  }
  return "?";
}

std::optional<long> period_ordinal(Grain g, std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (!digits(s, 0, 4, y)) return std::nullopt;
  if (g == Grain::Year) return y;
  if (s.size() < 7 || s[4] != '-' || !digits(s, 5, 2, m) || m < 1 || m > 12) return std::nullopt;
  if (g == Grain::Month) return static_cast<long>(y) * 12 + (m - 1);
  if (g == Grain::Quarter) return static_cast<long>(y) * 4 + (m - 1) / 3;
  if (s.size() < 10 || s[7] != '-' || !digits(s, 8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  const long days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  if (g == Grain::Day) return days;
  // 1970-01-01 was a Thursday: shifting by 3 days makes weeks start on Monday (ISO 8601).
  return floor_div(days + 3, 7);
}

std::string period_label(Grain g, long ordinal) {
  switch (g) {
    case Grain::Day: return ymd_label(ordinal);
    case Grain::Week: return ymd_label(ordinal * 7 - 3);
    case Grain::Month: return std::to_string(floor_div(ordinal, 12)) + "-" + two(static_cast<int>(ordinal - floor_div(ordinal, 12) * 12) + 1);
    case Grain::Quarter: return std::to_string(floor_div(ordinal, 4)) + "-Q" + std::to_string(ordinal - floor_div(ordinal, 4) * 4 + 1);
    case Grain::Year: return std::to_string(ordinal);
  }
  return {};
}

int season_length(Grain g) {
  switch (g) {
    case Grain::Day: return 7;
    case Grain::Week: return 52;
    case Grain::Month: return 12;
    case Grain::Quarter: return 4;
    case Grain::Year: return 0;
  }
  return 0;
}

int year_lag(Grain g) {
  switch (g) {
    case Grain::Day: return 365;
    case Grain::Week: return 52;
    case Grain::Month: return 12;
    case Grain::Quarter: return 4;
    case Grain::Year: return 1;
  }
  return 1;
}

bool valid_date_bound(std::string_view s) {
  int v = 0;
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
  if (!digits(s, 0, 4, v)) return false;
  if (s.size() >= 7 && (s[4] != '-' || !digits(s, 5, 2, v) || v < 1 || v > 12)) return false;
  if (s.size() == 10 && (s[7] != '-' || !digits(s, 8, 2, v) || v < 1 || v > 31)) return false;
  return true;
}

}  // namespace tally::data::tools
