#pragma once
// The sheet's rows kept in memory by the first import pass, compactly (about 32 bytes a cell plus its text), so
// the second pass replays them instead of inflating and parsing the XML again: parsing is most of an import's
// time. Bounded: past `budget_bytes` the buffer gives up (and the importer reads the sheet a second time), so a
// huge sheet costs time, never unbounded memory.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "tally/data/workbook.h"

namespace tally::data {

class SheetBuffer {
 public:
  explicit SheetBuffer(std::size_t budget_bytes) : budget_(budget_bytes) {}

  // Keeps one row (its non-empty cells); false once over budget (everything kept so far is dropped).
  bool add(std::int64_t row, std::span<const SheetCell> cells);
  bool complete() const { return !overflowed_; }
  // Room for a sheet of about this many cells and rows, up front: growing by doubling would, for a moment, hold
  // the old and the new copy (half again the buffer's size at the peak). Capped well inside the budget.
  void reserve(std::size_t cells, std::size_t rows);
  std::size_t cell_count() const { return cells_.size(); }
  std::size_t row_count() const { return rows_.size(); }
  Status replay(const std::function<Status(std::int64_t row, std::span<const SheetCell> cells)>& on_row) const;

 private:
  struct PackedCell {
    double number;
    std::uint64_t aux;  // Text/Error: offset into text_; date kinds: the packed date and time
    std::uint32_t col;
    std::uint32_t length;
    SheetCellKind kind;
    std::uint8_t unit;
    bool formula;
  };
  struct PackedRow {
    std::int64_t row;
    std::size_t first_cell;
    std::size_t width;  // the row's span as read, trailing empty cells included
  };
  std::size_t budget_;
  bool overflowed_ = false;
  std::vector<PackedRow> rows_;
  std::vector<PackedCell> cells_;
  std::string text_;
};

}  // namespace tally::data
