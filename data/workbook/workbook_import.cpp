#include "tally/data/workbook_import.h"

#include <filesystem>
#include <fstream>
#include <future>

#include "csv/dataset_entry.h"
#include "csv/sha256.h"
#include "sheet_pipeline.h"
#include "sheet_row_writer.h"
#include "sheet_scan.h"

namespace tally::data {

namespace {

const Error kStop{"\x01stop"};

bool cancelled(const WorkbookImportOptions& o) { return o.cancel && o.cancel->load(std::memory_order_relaxed); }

// Re-import detection keys on the file's bytes and on what was taken from it: another sheet (or range, or header
// row) of the same workbook is another dataset.
Result<std::string> import_key(const std::string& path, const std::string& sheet, const WorkbookImportOptions& o) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot read the file");
  Sha256 file_hash;
  std::string chunk(std::size_t{1} << 20, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0));
    file_hash.update(std::string_view(chunk.data(), got));
  }
  Sha256 key;
  key.update(file_hash.hex_digest());
  key.update(std::string("\0sheet=", 7) + sheet);
  if (o.range) key.update("\0range=" + o.range->to_string());
  if (o.header_row) key.update("\0header=" + std::to_string(*o.header_row));
  return key.hex_digest();
}

std::string default_dataset_name(const std::string& path, const std::string& sheet) {
  std::string stem = std::filesystem::path(path).stem().string();
  if (stem.empty()) stem = "workbook";
  return stem + " - " + sheet;
}

}  // namespace

Result<ImportOutcome> WorkbookImporter::import_sheet(const std::string& path, const WorkbookImportOptions& options) {
  auto reader = open_workbook(path, options.limits);
  if (!reader) return reader.error();
  auto index = choose_sheet(**reader, options);
  if (!index) return index.error();
  const SheetInfo sheet = (*reader)->sheets()[*index];
  // The file's hash (for re-import detection) is computed beside the first pass, not after it.
  auto key_pending = std::async(std::launch::async, import_key, std::cref(path), std::cref(sheet.name), std::cref(options));
  SheetBuffer kept(options.limits.max_buffer_bytes);
  if (sheet.rows > 0 && sheet.cols > 0 && sheet.rows < (std::int64_t{1} << 24) && sheet.cols < (std::int64_t{1} << 16)) {
    kept.reserve(static_cast<std::size_t>(sheet.rows * sheet.cols), static_cast<std::size_t>(sheet.rows));
  }
  auto scan = scan_sheet(**reader, *index, options, std::nullopt, &kept);
  if (!scan) return scan.error();
  ImportOutcome out;
  out.encoding = "workbook";
  out.delimiter = 0;
  out.header = scan->layout.header_rows > 0;
  out.columns = scan->columns;
  if (scan->cancelled) {
    out.status = ImportStatus::Cancelled;
    return out;
  }
  auto key = key_pending.get();
  if (!key) return key.error();
  out.sha256 = *key;
  const Database& db = store_.db();
  if (!options.force) {
    auto earlier = take_earlier_import(store_, out);
    if (!earlier) return earlier.error();
    if (*earlier) return out;
  }
  // A workbook has no delimiter: the catalog records an empty one.
  auto entry = DatasetEntry::begin(db, out, options.dataset_name.empty() ? default_dataset_name(path, sheet.name)
                                                                        : options.dataset_name,
                                   path, "");
  if (!entry) return entry.error();
  auto writer = SheetRowWriter::create(db, out.table_name, out.columns, scan->layout.first_col, out.report);
  if (!writer) return writer.error();

  const SheetLayout& layout = scan->layout;
  const CellRange range = options.range.value_or(CellRange{0, 0, std::int64_t{1} << 40, std::int64_t{1} << 40});
  const auto total = static_cast<std::uint64_t>(std::max<std::int64_t>(sheet.rows, 1));
  bool stopped = false;
  std::int64_t since_check = 0;
  auto on_row = [&](std::int64_t row, std::span<const SheetCell> cells) -> Status {
    if (row < layout.first_data_row || row < range.first_row) return {};
    if (row > range.last_row) return kStop;
    if (!row_has_cells(cells, layout.first_col, layout.last_col)) return {};
    if (++since_check == 4096) {
      since_check = 0;
      if (cancelled(options)) {
        stopped = true;
        return kStop;
      }
      if (options.on_progress) {
        options.on_progress({2, total + static_cast<std::uint64_t>(row + 1), 2 * std::max(total, static_cast<std::uint64_t>(row + 1))});
      }
    }
    if (cells.size() > static_cast<std::size_t>(layout.last_col + 1)) cells = cells.first(static_cast<std::size_t>(layout.last_col + 1));
    return writer->write(row, cells);
  };
  // The second pass replays the rows the first one kept, or reads the sheet again when they did not fit.
  auto s = kept.complete() ? kept.replay(on_row) : read_sheet_pipelined(**reader, *index, on_row);
  if (!s && s.error().message != kStop.message) return make_error(s.error().message.rfind(path, 0) == 0 ? s.error().message
                                                                                   : path + ": " + s.error().message);
  if (stopped) {
    entry->cancel(out);
    return out;
  }
  if (auto c = entry->commit(out, path); !c) return c.error();
  return out;
}

Result<WorkbookPreview> WorkbookImporter::preview(const std::string& path, const WorkbookImportOptions& options,
                                                  std::size_t max_rows) {
  auto reader = open_workbook(path, options.limits);
  if (!reader) return reader.error();
  WorkbookPreview p;
  p.sheets = (*reader)->sheets();
  auto index = choose_sheet(**reader, options);
  if (!index) return index.error();
  p.sheet_index = *index;
  auto scan = scan_sheet(**reader, *index, options, max_rows);
  if (!scan) return scan.error();
  const SheetLayout& layout = scan->layout;
  p.header_rows = layout.header_rows;
  p.header_row = layout.header_rows > 0 ? layout.header_row + 1 : 0;
  p.first_data_row = layout.first_data_row + 1;
  p.columns = scan->columns;
  p.merged = scan->merged;
  p.top_rows = scan->top_rows;
  p.top_first_row = scan->top_first_row + 1;
  const SheetInfo& sheet = p.sheets[*index];
  p.used = CellRange{layout.first_data_row, layout.first_col,
                     options.range ? options.range->last_row : std::max(sheet.rows - 1, layout.first_data_row),
                     layout.last_col};
  if (layout.header_rows > 0) p.used.first_row = layout.header_row;
  for (const auto& r : scan->first_rows) {
    if (r.row < layout.first_data_row || p.rows.size() >= max_rows) continue;
    std::vector<std::string> texts;
    bool any = false;
    for (std::int64_t c = layout.first_col; c <= layout.last_col; ++c) {
      const auto i = static_cast<std::size_t>(c);
      texts.push_back(i < r.cells.size() ? cell_display_text(r.cells[i].view()) : std::string());
      any |= !texts.back().empty();
    }
    if (any) p.rows.push_back(std::move(texts));
  }
  // Rows past the buffered ones: read again, only as far as needed.
  if (p.rows.size() < max_rows && !scan->first_rows.empty()) {
    const std::int64_t after = scan->first_rows.back().row;
    auto s = (*reader)->read_sheet(*index, [&](std::int64_t row, std::span<const SheetCell> cells) -> Status {
      if (row <= after || row < layout.first_data_row) return {};
      if (options.range && row > options.range->last_row) return kStop;
      if (p.rows.size() >= max_rows) return kStop;
      if (!row_has_cells(cells, layout.first_col, layout.last_col)) return {};
      std::vector<std::string> texts;
      for (std::int64_t c = layout.first_col; c <= layout.last_col; ++c) {
        const auto i = static_cast<std::size_t>(c);
        texts.push_back(i < cells.size() ? cell_display_text(cells[i]) : std::string());
      }
      p.rows.push_back(std::move(texts));
      return {};
    });
    if (!s && s.error().message != kStop.message) return s.error();
  }
  return p;
}

}  // namespace tally::data
