#include "sheet_layout.h"

#include <charconv>
#include <cmath>

namespace tally::data {

std::string cell_display_text(const SheetCell& cell) {
  char buf[32];
  switch (cell.kind) {
    case SheetCellKind::Empty: return {};
    case SheetCellKind::Text:
    case SheetCellKind::Error: return std::string(cell.text);
    case SheetCellKind::Boolean: return cell.number != 0 ? "TRUE" : "FALSE";
    case SheetCellKind::Number: {
      if (std::abs(cell.number) < 9e15 && cell.number == std::floor(cell.number)) {
        return std::to_string(static_cast<std::int64_t>(cell.number));
      }
      auto [p, ec] = std::to_chars(buf, buf + sizeof buf, cell.number);  // shortest round-trip form
      return ec == std::errc() ? std::string(buf, p) : std::string();
    }
    case SheetCellKind::Date: return std::string(buf, format_date(cell.when.date, buf));
    case SheetCellKind::DateTime: return std::string(buf, format_datetime(cell.when, buf));
    case SheetCellKind::Time: {
      std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", cell.when.hour, cell.when.minute, cell.when.second);
      return buf;
    }
  }
  return {};
}

bool cell_is_blank(const SheetCell& cell) {
  if (cell.kind == SheetCellKind::Empty) return true;
  return cell.kind == SheetCellKind::Text && trim_spaces(cell.text).empty();
}

namespace {

struct RowShape {
  int non_empty = 0, text = 0;
  std::int64_t first = -1, last = -1;
};

RowShape shape_of(const BufferedRow& r) {
  RowShape s;
  for (std::size_t c = 0; c < r.cells.size(); ++c) {
    const SheetCell cell = r.cells[c].view();
    if (cell_is_blank(cell)) continue;
    ++s.non_empty;
    // Text that reads as a number ("2025") is a label in a header row, but does not make the row look like one.
    if (cell.kind == SheetCellKind::Text && !parse_number(trim_spaces(cell.text))) ++s.text;
    if (s.first < 0) s.first = static_cast<std::int64_t>(c);
    s.last = static_cast<std::int64_t>(c);
  }
  return s;
}

const CellRange* merge_at(const std::vector<CellRange>& merged, std::int64_t row, std::int64_t col) {
  for (const auto& m : merged) {
    if (m.contains(row, col)) return &m;
  }
  return nullptr;
}

const OwnedCell* cell_at(const std::vector<BufferedRow>& rows, std::int64_t row, std::int64_t col) {
  for (const auto& r : rows) {
    if (r.row == row) return col < static_cast<std::int64_t>(r.cells.size()) ? &r.cells[static_cast<std::size_t>(col)] : nullptr;
  }
  return nullptr;
}

// The text a header cell shows, a merged cell's value spreading over its whole range.
std::string header_text(const std::vector<BufferedRow>& rows, const std::vector<CellRange>& merged,
                        std::int64_t row, std::int64_t col) {
  std::int64_t r = row, c = col;
  if (const CellRange* m = merge_at(merged, row, col)) {
    r = m->first_row;
    c = m->first_col;
  }
  const OwnedCell* cell = cell_at(rows, r, c);
  return cell ? std::string(trim_spaces(cell_display_text(cell->view()))) : std::string();
}

}  // namespace

SheetLayout find_layout(const std::vector<BufferedRow>& rows, const std::vector<CellRange>& merged,
                        std::optional<std::int64_t> header_row, std::int64_t data_min_col, std::int64_t data_max_col) {
  SheetLayout layout;
  std::vector<RowShape> shapes;
  for (const auto& r : rows) shapes.push_back(shape_of(r));
  const std::size_t none = rows.size();
  std::size_t header = none;
  bool header_given = header_row.has_value();
  if (header_given) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].row == *header_row) header = i;
    }
  } else {
    int widest = 0;
    for (const auto& s : shapes) widest = std::max(widest, s.non_empty);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const RowShape& s = shapes[i];
      if (s.non_empty == 0) continue;  // blank row
      // A title: one cell (often merged across the table) above rows that have several.
      if (s.non_empty == 1 && widest > 1) continue;
      // The header: mostly text, and a row follows it.
      if (s.text * 2 > s.non_empty && i + 1 < rows.size()) header = i;
      break;  // the first row with the table's shape decides: a header, or data without one
    }
  }
  std::size_t data_start = 0;
  if (header != none) {
    layout.header_row = rows[header].row;
    layout.header_rows = 1;
    data_start = header + 1;
    // A two-row header: the header row has a group cell merged across columns, and the row below names the
    // columns under it (mostly text).
    bool grouped = false;
    for (const auto& m : merged) grouped |= m.first_row == layout.header_row && m.last_col > m.first_col;
    if (grouped && header + 1 < rows.size() && rows[header + 1].row == layout.header_row + 1) {
      const RowShape& below = shapes[header + 1];
      if (below.non_empty > 0 && below.text * 2 > below.non_empty) {
        layout.header_rows = 2;
        data_start = header + 2;
      }
    }
  } else if (!header_given) {
    // No header: data starts at the first row with the table's shape (titles and blanks above are skipped).
    int widest = 0;
    for (const auto& s : shapes) widest = std::max(widest, s.non_empty);
    data_start = rows.size();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (shapes[i].non_empty == 0 || (shapes[i].non_empty == 1 && widest > 1)) continue;
      data_start = i;
      break;
    }
  }
  layout.first_data_row = data_start < rows.size() ? rows[data_start].row
                          : rows.empty()           ? 0
                                                   : rows.back().row + 1;
  if (header_given && header == none) layout.first_data_row = *header_row + 1;
  if (header_given && *header_row < 0) layout.first_data_row = rows.empty() ? 0 : rows.front().row;
  // The table's columns: those with cells in the header or any data row.
  std::int64_t lo = data_min_col, hi = data_max_col;
  auto widen = [&](std::int64_t a, std::int64_t b) {
    if (a < 0) return;
    lo = lo < 0 ? a : std::min(lo, a);
    hi = std::max(hi, b);
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const bool in_header = layout.header_rows > 0 && rows[i].row >= layout.header_row &&
                           rows[i].row < layout.header_row + layout.header_rows;
    if (in_header || rows[i].row >= layout.first_data_row) widen(shapes[i].first, shapes[i].last);
  }
  for (const auto& m : merged) {  // a group cell spans its columns even where the row below is empty
    if (layout.header_rows > 0 && m.first_row == layout.header_row) widen(m.first_col, m.last_col);
  }
  layout.first_col = lo < 0 ? 0 : lo;
  layout.last_col = hi;
  for (std::int64_t c = layout.first_col; c <= layout.last_col; ++c) {
    std::string name;
    if (layout.header_rows >= 1) name = header_text(rows, merged, layout.header_row, c);
    if (layout.header_rows == 2) {
      // The lower row's own text; a cell merged down from the upper row adds nothing.
      const CellRange* m = merge_at(merged, layout.header_row + 1, c);
      std::string lower = (m && m->first_row <= layout.header_row) ? std::string()
                                                                   : header_text(rows, merged, layout.header_row + 1, c);
      if (name.empty()) {
        name = lower;
      } else if (!lower.empty() && lower != name) {
        name += " " + lower;
      }
    }
    layout.names.push_back(std::move(name));
  }
  return layout;
}

}  // namespace tally::data
