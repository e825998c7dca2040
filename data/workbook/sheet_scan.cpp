#include "sheet_scan.h"

#include "csv/dataset_naming.h"
#include "sheet_column_profile.h"

namespace tally::data {

namespace {

constexpr std::size_t kBufferedRows = 32;  // titles and header are looked for in these
constexpr std::size_t kTopRows = 30;       // shown by the preview for picking the header by hand
constexpr std::size_t kMaxColumns = 2000;  // SQLite's default column limit, as for CSV

const Error kStop{"\x01stop"};

bool is_stop(const Status& s) { return !s && s.error().message == kStop.message; }

}  // namespace

bool row_has_cells(std::span<const SheetCell> cells, std::int64_t first_col, std::int64_t last_col) {
  const auto end = std::min<std::int64_t>(static_cast<std::int64_t>(cells.size()) - 1, last_col);
  for (std::int64_t c = first_col; c <= end; ++c) {
    const SheetCell& cell = cells[static_cast<std::size_t>(c)];
    if (!cell_is_blank(cell) || cell.formula) return true;
  }
  return false;
}

Result<std::size_t> choose_sheet(const WorkbookReader& reader, const WorkbookImportOptions& options) {
  const auto& sheets = reader.sheets();
  if (options.sheet_index) {
    if (*options.sheet_index >= sheets.size()) {
      return make_error(reader.path() + ": there is no sheet " + std::to_string(*options.sheet_index + 1) +
                        " (the workbook has " + std::to_string(sheets.size()) + ")");
    }
    return *options.sheet_index;
  }
  if (!options.sheet_name.empty()) {
    for (std::size_t i = 0; i < sheets.size(); ++i) {
      if (sheets[i].name == options.sheet_name) return i;
    }
    std::string names;
    for (const auto& s : sheets) names += (names.empty() ? "" : ", ") + s.name;
    return make_error(reader.path() + ": there is no sheet named '" + options.sheet_name + "' (sheets: " + names + ")");
  }
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    if (!sheets[i].hidden && !sheets[i].chart && sheets[i].rows != 0) return i;
  }
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    if (!sheets[i].chart) return i;
  }
  return std::size_t{0};
}

Result<SheetScan> scan_sheet(WorkbookReader& reader, std::size_t index, const WorkbookImportOptions& options,
                             std::optional<std::size_t> max_data_rows, SheetBuffer* keep) {
  SheetScan scan;
  scan.sheet_index = index;
  const std::string& sheet_name = reader.sheets()[index].name;
  const CellRange range = options.range.value_or(CellRange{0, 0, (std::int64_t{1} << 40), (std::int64_t{1} << 40)});
  std::optional<std::int64_t> header;  // 0-based; -1 = none
  if (options.header_row) header = *options.header_row - 1;
  // With a header row given, what lies above it is never read into the buffer.
  const std::int64_t buffer_from = header && *header >= 0 ? std::max(*header, range.first_row) : range.first_row;
  scan.top_first_row = range.first_row;

  std::vector<SheetColumnProfile> profiles;
  std::int64_t data_min = -1, data_max = -1, since_check = 0;
  std::size_t tail_rows = 0;
  auto on_row = [&](std::int64_t row, std::span<const SheetCell> cells) -> Status {
    if (row < range.first_row) return {};
    if (row > range.last_row) return kStop;
    if (keep) keep->add(row, cells);
    const std::int64_t last = std::min<std::int64_t>(static_cast<std::int64_t>(cells.size()) - 1, range.last_col);
    if (row - scan.top_first_row < static_cast<std::int64_t>(kTopRows)) {
      scan.top_rows.resize(static_cast<std::size_t>(row - scan.top_first_row + 1));
      auto& texts = scan.top_rows.back();
      for (std::int64_t c = range.first_col; c <= last; ++c) texts.push_back(cell_display_text(cells[static_cast<std::size_t>(c)]));
    }
    if (row < buffer_from) return {};
    if (scan.first_rows.size() < kBufferedRows) {
      BufferedRow buffered{row, {}};
      buffered.cells.resize(static_cast<std::size_t>(std::max<std::int64_t>(last + 1, 0)));
      for (std::int64_t c = range.first_col; c <= last; ++c) {
        const SheetCell& cell = cells[static_cast<std::size_t>(c)];
        buffered.cells[static_cast<std::size_t>(c)] =
            OwnedCell{cell.kind, cell.number, std::string(cell.text), cell.when, cell.unit, cell.formula};
      }
      scan.first_rows.push_back(std::move(buffered));
      return {};
    }
    if (!row_has_cells(cells, range.first_col, last)) return {};
    if (++since_check == 4096) {
      since_check = 0;
      if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
        scan.cancelled = true;
        return kStop;
      }
      if (options.on_progress) {
        const auto declared = static_cast<std::uint64_t>(std::max<std::int64_t>(reader.sheets()[index].rows, row + 1));
        options.on_progress({1, static_cast<std::uint64_t>(row + 1), 2 * declared});
      }
    }
    if (static_cast<std::size_t>(last + 1) > profiles.size()) profiles.resize(static_cast<std::size_t>(last + 1));
    for (std::int64_t c = range.first_col; c <= last; ++c) {
      const SheetCell& cell = cells[static_cast<std::size_t>(c)];
      if (cell_is_blank(cell)) continue;
      profiles[static_cast<std::size_t>(c)].add(cell);
      data_min = data_min < 0 ? c : std::min(data_min, c);
      data_max = std::max(data_max, c);
    }
    ++scan.data_rows;
    if (max_data_rows && ++tail_rows >= *max_data_rows) return kStop;
    return {};
  };
  auto read = reader.read_sheet(index, on_row);
  if (!read && !is_stop(read)) return read.error();
  if (scan.cancelled) return scan;
  auto merged = reader.merged(index);
  if (!merged) return merged.error();
  for (const auto& m : *merged) {
    if (m.first_row > range.last_row || m.last_row < range.first_row) continue;
    if (m.first_col > range.last_col || m.last_col < range.first_col) continue;
    CellRange clipped = m;
    clipped.first_col = std::max(m.first_col, range.first_col);
    clipped.last_col = std::min(m.last_col, range.last_col);
    scan.merged.push_back(clipped);
  }
  scan.layout = find_layout(scan.first_rows, scan.merged, header, data_min, data_max);
  SheetLayout& layout = scan.layout;
  layout.first_col = std::max(layout.first_col, range.first_col);
  layout.last_col = std::min(layout.last_col, range.last_col);
  if (layout.last_col < layout.first_col) {
    return make_error(reader.path() + ": sheet '" + sheet_name + "' has no cells" +
                      (options.range ? " in " + options.range->to_string() : std::string()));
  }
  if (layout.last_col - layout.first_col + 1 > static_cast<std::int64_t>(kMaxColumns)) {
    return make_error(reader.path() + ": sheet '" + sheet_name + "' has more than " + std::to_string(kMaxColumns) +
                      " columns");
  }
  const auto width = static_cast<std::size_t>(layout.last_col + 1);
  if (profiles.size() < width) profiles.resize(width);
  for (const auto& r : scan.first_rows) {
    if (r.row < layout.first_data_row) continue;
    bool any = false;
    for (std::size_t c = static_cast<std::size_t>(layout.first_col); c < r.cells.size() && c < width; ++c) {
      const SheetCell cell = r.cells[c].view();
      any |= !cell_is_blank(cell) || cell.formula;
      profiles[c].add(cell);
    }
    if (any) ++scan.data_rows;
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < layout.names.size(); ++i) {
    names.push_back(layout.names[i].empty() ? "column_" + std::to_string(i + 1) : layout.names[i]);
  }
  names.resize(static_cast<std::size_t>(layout.last_col - layout.first_col + 1));
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) names[i] = "column_" + std::to_string(i + 1);
  }
  const auto sql_names = column_sql_names(names);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const ColumnChoice c = profiles[static_cast<std::size_t>(layout.first_col) + i].choose();
    CsvColumn column{names[i], sql_names[i], c.type, c.unit, c.day_first};
    if (i < options.column_types.size() && options.column_types[i] && *options.column_types[i] != column.type) {
      column.type = *options.column_types[i];
      if (column.type == ColumnType::Percent) column.unit = "%";
      else if (column.type != ColumnType::Currency) column.unit.clear();
    }
    scan.columns.push_back(std::move(column));
  }
  return scan;
}

}  // namespace tally::data
