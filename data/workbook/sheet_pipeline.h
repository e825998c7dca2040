#pragma once
// Reading a sheet on two cores: a worker thread inflates and parses the sheet's XML (most of an import's time)
// while the calling thread handles the rows it has already produced (type profiling, buffering, SQLite writes).
// Rows travel in batches through a small bounded queue, so memory stays flat whatever the sheet's size. The
// caller sees exactly what WorkbookReader::read_sheet would give it, in the same order, on its own thread (so
// progress and cancel callbacks keep running where they did); an error from `on_row` stops the worker.
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "tally/data/workbook.h"

namespace tally::data {

// A batch is handed over once it holds this many cells or rows: large enough that the queue's locking is noise,
// small enough that the consumer starts early and a few batches in flight cost a few MB.
inline constexpr std::size_t kBatchCells = 16384;
inline constexpr std::size_t kBatchRows = 2048;

// Rows as the reader gave them (same cells, same widths). Their text and unit views point into the reader's
// per-row storage, so both are copied into the batch's arena and re-pointed once the batch stops growing.
struct RowBatch {
  struct Row {
    std::int64_t row;
    std::size_t end;  // one past the row's last cell in `cells`
  };
  struct TextRef {
    std::size_t cell, offset, length;
    bool unit;
  };
  std::vector<Row> rows;
  std::vector<SheetCell> cells;
  std::vector<TextRef> texts;
  std::string arena;

  bool full() const { return cells.size() >= kBatchCells || rows.size() >= kBatchRows; }

  void add(std::int64_t row, std::span<const SheetCell> in) {
    for (const SheetCell& c : in) {
      const std::size_t i = cells.size();
      cells.push_back(c);
      if (!c.text.empty()) {
        texts.push_back({i, arena.size(), c.text.size(), false});
        arena.append(c.text);
      }
      if (!c.unit.empty()) {
        texts.push_back({i, arena.size(), c.unit.size(), true});
        arena.append(c.unit);
      }
    }
    rows.push_back({row, cells.size()});
  }

  void seal() {
    const std::string_view all(arena);
    for (const TextRef& t : texts) (t.unit ? cells[t.cell].unit : cells[t.cell].text) = all.substr(t.offset, t.length);
  }

  void clear() {
    rows.clear();
    cells.clear();
    texts.clear();
    arena.clear();
  }
};

Status read_sheet_pipelined(WorkbookReader& reader, std::size_t index,
                            const std::function<Status(std::int64_t row, std::span<const SheetCell> cells)>& on_row);

}  // namespace tally::data
