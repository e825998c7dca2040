#include <charconv>

#include "tally/data/workbook.h"

namespace tally::data {

namespace {

constexpr std::int64_t kExcelRows = 1'048'576;
constexpr std::int64_t kExcelCols = 16'384;

// "$AB$12" -> (11, 27); consumes the reference from the front of `s`.
bool parse_cell(std::string_view& s, std::int64_t& row, std::int64_t& col) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '$') ++i;
  std::int64_t c = 0;
  std::size_t letters = 0;
  for (; i < s.size() && letters < 4; ++i, ++letters) {
    char ch = s[i];
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    if (ch < 'A' || ch > 'Z') break;
    c = c * 26 + (ch - 'A' + 1);
  }
  if (letters == 0 || c > kExcelCols) return false;
  if (i < s.size() && s[i] == '$') ++i;
  std::int64_t r = 0;
  std::size_t digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 8; ++i, ++digits) r = r * 10 + (s[i] - '0');
  if (digits == 0 || r < 1 || r > kExcelRows) return false;
  row = r - 1;
  col = c - 1;
  s.remove_prefix(i);
  return true;
}

}  // namespace

std::optional<CellRange> CellRange::parse(std::string_view a1) {
  CellRange range;
  if (!parse_cell(a1, range.first_row, range.first_col)) return std::nullopt;
  if (a1.empty()) {
    range.last_row = range.first_row;
    range.last_col = range.first_col;
    return range;
  }
  if (a1.front() != ':') return std::nullopt;
  a1.remove_prefix(1);
  if (!parse_cell(a1, range.last_row, range.last_col) || !a1.empty()) return std::nullopt;
  if (range.last_row < range.first_row) std::swap(range.last_row, range.first_row);
  if (range.last_col < range.first_col) std::swap(range.last_col, range.first_col);
  return range;
}

std::string cell_reference(std::int64_t row, std::int64_t col) {
  std::string letters;
  for (std::int64_t c = col + 1; c > 0; c = (c - 1) / 26) letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  return letters + std::to_string(row + 1);
}

std::string CellRange::to_string() const {
  return cell_reference(first_row, first_col) + ":" + cell_reference(last_row, last_col);
}

}  // namespace tally::data
