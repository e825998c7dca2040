#pragma once
// Calendar periods for resampling. Dates arrive as stored (schema_v1): 'YYYY-MM-DD', 'YYYY-MM' or
// 'YYYY-MM-DD HH:MM:SS'. Bucketing happens in C++ on the raw text rather than in SQL: SQLite's GROUP BY over an
// expression sorts every row (over a second per million rows here), while one streaming scan into a hash map
// stays well under the 300 ms budget (see tests/bench/bench_data_tools.cpp).
#include <optional>
#include <string>
#include <string_view>

namespace tally::data::tools {

enum class Grain { Day, Week, Month, Quarter, Year };

// "day"|"week"|"month"|"quarter"|"year"; nullopt otherwise.
std::optional<Grain> parse_grain(std::string_view name);
const char* grain_name(Grain g);

// Consecutive periods have consecutive ordinals, so gaps, lags and forecasts are plain integer arithmetic.
// nullopt when the text is not a valid date of the needed precision (a 'YYYY-MM' value has no day or week).
std::optional<long> period_ordinal(Grain g, std::string_view date_text);
// The label of a period: day 'YYYY-MM-DD', week 'YYYY-MM-DD' (its Monday), month 'YYYY-MM', quarter 'YYYY-Qn',
// year 'YYYY'.
std::string period_label(Grain g, long ordinal);

// Periods per seasonal cycle (day: a week, week: 52, month: 12, quarter: 4); 0 for years.
int season_length(Grain g);
// How many periods back "a year ago" is (day: 365, week: 52, month: 12, quarter: 4, year: 1).
int year_lag(Grain g);

// Accepts 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (a from/to bound compared as a prefix of stored dates).
bool valid_date_bound(std::string_view text);

}  // namespace tally::data::tools
