#include "tally/data/csv_dialect.h"

#include <algorithm>
#include <map>
#include <set>

#include "tally/data/csv_parser.h"

namespace tally::data {

namespace {

struct Consistency {
  double share = 0;  // fraction of records with the most common field count
  std::size_t fields = 0;
};

Consistency measure(std::string_view sample, char delimiter, bool complete) {
  constexpr std::size_t kMaxRecords = 200;
  std::vector<std::size_t> counts;
  CsvParser parser(delimiter, std::size_t{16} << 20);
  auto sink = [&](const CsvRecord& r) {
    counts.push_back(r.size());
    return counts.size() < kMaxRecords + 1;
  };
  auto fed = parser.feed(sample, sink);
  if (fed && *fed && complete) (void)parser.finish(sink);
  if (!complete && counts.size() > 1 && counts.size() <= kMaxRecords) counts.pop_back();  // may be cut
  if (counts.empty()) return {};
  std::map<std::size_t, std::size_t> freq;
  for (auto c : counts) ++freq[c];
  auto best = std::max_element(freq.begin(), freq.end(), [](const auto& a, const auto& b) {
    return a.second < b.second || (a.second == b.second && a.first < b.first);
  });
  return {static_cast<double>(best->second) / static_cast<double>(counts.size()), best->first};
}

}  // namespace

char detect_delimiter(std::string_view sample, bool complete) {
  char chosen = ',';
  double best = 0;
  for (char d : {',', ';', '\t', '|'}) {
    const Consistency c = measure(sample, d, complete);
    if (c.fields < 2) continue;
    if (c.share > best + 1e-9) {
      best = c.share;
      chosen = d;
    }
  }
  return chosen;
}

bool looks_like_header(const std::vector<std::string>& first, const std::vector<ColumnChoice>& rest) {
  if (first.empty()) return false;
  bool any_typed = false;
  for (std::size_t i = 0; i < first.size() && i < rest.size(); ++i) {
    if (rest[i].type == ColumnType::Text) continue;
    any_typed = true;
    const std::string_view cell = trim_spaces(first[i]);
    if (!cell.empty() && !ColumnProfile::fits(cell, rest[i])) return true;
  }
  if (any_typed) return false;
  // All text (or no data rows): a header names every column, once.
  std::set<std::string_view> seen;
  for (const auto& cell : first) {
    if (trim_spaces(cell).empty() || !seen.insert(cell).second) return false;
  }
  return true;
}

std::string delimiter_name(char delimiter) {
  if (delimiter == '\t') return "tab";
  return std::string(1, delimiter);
}

}  // namespace tally::data
