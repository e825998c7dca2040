#include "sheet_buffer.h"

namespace tally::data {

namespace {

// The units a cell's number format can carry (number_format.cpp): stored as an index.
constexpr std::string_view kUnits[] = {"", "%", "KRW", "USD", "EUR", "GBP", "JPY"};

std::uint8_t unit_index(std::string_view unit) {
  for (std::uint8_t i = 0; i < std::size(kUnits); ++i) {
    if (kUnits[i] == unit) return i;
  }
  return 0;
}

std::uint64_t pack(const DateTimeParts& t) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(t.date.year) & 0xFFFF) << 32) |
         (static_cast<std::uint64_t>(t.date.month & 0xF) << 28) | (static_cast<std::uint64_t>(t.date.day & 0x1F) << 23) |
         (static_cast<std::uint64_t>(t.hour & 0x1F) << 18) | (static_cast<std::uint64_t>(t.minute & 0x3F) << 12) |
         (static_cast<std::uint64_t>(t.second & 0x3F) << 6);
}

DateTimeParts unpack(std::uint64_t v) {
  DateTimeParts t;
  t.date.year = static_cast<int>((v >> 32) & 0xFFFF);
  t.date.month = static_cast<int>((v >> 28) & 0xF);
  t.date.day = static_cast<int>((v >> 23) & 0x1F);
  t.hour = static_cast<int>((v >> 18) & 0x1F);
  t.minute = static_cast<int>((v >> 12) & 0x3F);
  t.second = static_cast<int>((v >> 6) & 0x3F);
  return t;
}

}  // namespace

bool SheetBuffer::add(std::int64_t row, std::span<const SheetCell> cells) {
  if (overflowed_) return false;
  rows_.push_back(PackedRow{row, cells_.size(), cells.size()});
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const SheetCell& cell = cells[c];
    if (cell.kind == SheetCellKind::Empty && !cell.formula) continue;
    PackedCell p{cell.number, 0, static_cast<std::uint32_t>(c), 0, cell.kind, unit_index(cell.unit), cell.formula};
    if (cell.kind == SheetCellKind::Text || cell.kind == SheetCellKind::Error) {
      p.aux = text_.size();
      p.length = static_cast<std::uint32_t>(cell.text.size());
      text_.append(cell.text);
    } else if (cell.kind == SheetCellKind::Date || cell.kind == SheetCellKind::DateTime ||
               cell.kind == SheetCellKind::Time) {
      p.aux = pack(cell.when);
    }
    cells_.push_back(p);
  }
  if (cells_.capacity() * sizeof(PackedCell) + rows_.capacity() * sizeof(PackedRow) + text_.capacity() > budget_) {
    overflowed_ = true;
    rows_ = {};
    cells_ = {};
    text_ = {};
    return false;
  }
  return true;
}

void SheetBuffer::reserve(std::size_t cells, std::size_t rows) {
  const std::size_t most = budget_ / 2;
  if (rows > most / sizeof(PackedRow)) rows = most / sizeof(PackedRow);
  if (cells > (most - rows * sizeof(PackedRow)) / sizeof(PackedCell)) cells = (most - rows * sizeof(PackedRow)) / sizeof(PackedCell);
  rows_.reserve(rows);
  cells_.reserve(cells);
}

Status SheetBuffer::replay(const std::function<Status(std::int64_t row, std::span<const SheetCell> cells)>& on_row) const {
  std::vector<SheetCell> dense;
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    const std::size_t begin = rows_[r].first_cell;
    const std::size_t end = r + 1 < rows_.size() ? rows_[r + 1].first_cell : cells_.size();
    dense.clear();
    dense.resize(rows_[r].width);
    for (std::size_t i = begin; i < end; ++i) {
      const PackedCell& p = cells_[i];
      if (p.col >= dense.size()) dense.resize(p.col + 1);  // cells out of column order in a damaged sheet
      SheetCell& cell = dense[p.col];
      cell.kind = p.kind;
      cell.number = p.number;
      cell.unit = kUnits[p.unit];
      cell.formula = p.formula;
      if (p.kind == SheetCellKind::Text || p.kind == SheetCellKind::Error) {
        cell.text = std::string_view(text_).substr(p.aux, p.length);
      } else if (p.kind == SheetCellKind::Date || p.kind == SheetCellKind::DateTime || p.kind == SheetCellKind::Time) {
        cell.when = unpack(p.aux);
      }
    }
    if (auto s = on_row(rows_[r].row, dense); !s) return s;
  }
  return {};
}

}  // namespace tally::data
