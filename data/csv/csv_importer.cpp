#include <nlohmann/json.hpp>

#include <filesystem>

#include "csv_scan.h"
#include "dataset_entry.h"
#include "row_writer.h"
#include "tally/data/csv_dialect.h"
#include "tally/data/csv_import.h"
#include "tally/data/csv_parser.h"

namespace tally::data {

std::string ImportReport::to_json() const {
  nlohmann::ordered_json j;
  j["rows"] = rows;
  j["unparsed_total"] = unparsed_total;
  auto& cells = j["unparsed_cells"] = nlohmann::ordered_json::array();
  for (const auto& c : unparsed_cells) {
    cells.push_back({{"line", c.line}, {"column", c.column}, {"raw", c.raw}});
    if (!c.cell.empty()) cells.back()["cell"] = c.cell;
  }
  if (error_cells > 0) j["error_cells"] = error_cells;
  j["ragged_total"] = ragged_total;
  auto& ragged = j["ragged_rows"] = nlohmann::ordered_json::array();
  for (const auto& r : ragged_rows) ragged.push_back({{"line", r.line}, {"fields", r.fields}, {"expected", r.expected}});
  // Replace invalid UTF-8 (a raw cell cut oddly) instead of throwing: the report must always be writable.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

namespace {

std::string default_dataset_name(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  return stem.empty() ? "dataset" : stem;
}

bool cancelled(const CsvImportOptions& o) { return o.cancel && o.cancel->load(std::memory_order_relaxed); }

// Larger page cache while importing (fewer spills into the WAL mid-transaction); restored afterwards.
class ImportCache {
 public:
  explicit ImportCache(const Database& db) : db_(db) {
    auto old = db.query_int64("PRAGMA cache_size");
    old_ = old ? *old : -2000;
    (void)db.exec("PRAGMA cache_size = -65536");
  }
  ~ImportCache() { (void)db_.exec("PRAGMA cache_size = " + std::to_string(old_)); }
  ImportCache(const ImportCache&) = delete;
  ImportCache& operator=(const ImportCache&) = delete;

 private:
  const Database& db_;
  std::int64_t old_ = -2000;
};

}  // namespace

Result<ImportOutcome> CsvImporter::import_file(const std::string& path, const CsvImportOptions& options) {
  auto scan = scan_file(path, options);
  if (!scan) return scan.error();
  ImportOutcome out;
  out.encoding = scan->plan.encoding.name;
  out.delimiter = scan->plan.delimiter;
  out.header = scan->header;
  out.sha256 = scan->sha256;
  out.columns = scan->columns;
  for (std::size_t i = 0; i < options.column_types.size() && i < out.columns.size(); ++i) {
    const auto& chosen = options.column_types[i];
    if (!chosen || *chosen == out.columns[i].type) continue;
    out.columns[i].type = *chosen;
    if (*chosen == ColumnType::Percent) out.columns[i].unit = "%";
    else if (*chosen != ColumnType::Currency) out.columns[i].unit.clear();  // a currency keeps a detected code
  }
  if (scan->cancelled) {
    out.status = ImportStatus::Cancelled;
    return out;
  }
  const Database& db = store_.db();
  if (!options.force) {
    auto earlier = take_earlier_import(store_, out);
    if (!earlier) return earlier.error();
    if (*earlier) return out;
  }
  ImportCache cache(db);
  auto entry = DatasetEntry::begin(db, out, options.dataset_name.empty() ? default_dataset_name(path) : options.dataset_name,
                                   path, delimiter_name(out.delimiter));
  if (!entry) return entry.error();
  auto writer = RowWriter::create(db, out.table_name, out.columns, out.report);
  if (!writer) return writer.error();

  auto file = DecodedFile::open(path, scan->plan.encoding, options.chunk_bytes);
  if (!file) return file.error();
  const std::uint64_t file_size = std::filesystem::file_size(path);
  CsvParser parser(scan->plan.delimiter);
  bool skip_header = scan->header;
  Error write_error;
  bool failed = false, stop = false;
  std::int64_t since_check = 0;
  auto sink = [&](const CsvRecord& r) {
    if (skip_header) {
      skip_header = false;
      return true;
    }
    if (++since_check == 4096) {  // cancel is checked per chunk and every few thousand rows
      since_check = 0;
      if (cancelled(options)) {
        stop = true;
        return false;
      }
    }
    if (auto s = writer->write(r); !s) {
      write_error = s.error();
      failed = true;
      return false;
    }
    return true;
  };
  std::string text;
  while (!stop && !failed) {
    if (cancelled(options)) {
      stop = true;
      break;
    }
    auto more = file->next(text);
    if (!more) return more.error();
    if (!*more) break;
    auto fed = parser.feed(text, sink);
    if (!fed) return make_error(path + ": " + fed.error().message);
    if (options.on_progress) options.on_progress({2, file_size + file->bytes_read(), 2 * file_size});
  }
  if (failed) return make_error(path + ": " + write_error.message);
  if (stop) {
    entry->cancel(out);
    return out;
  }
  if (auto s = parser.finish(sink); !s) return make_error(path + ": " + s.error().message);
  if (failed) return make_error(path + ": " + write_error.message);

  if (auto s = entry->commit(out, path); !s) return s.error();
  return out;
}

Result<CsvPreview> CsvImporter::preview(const std::string& path, const CsvImportOptions& options,
                                        std::size_t max_rows) {
  auto sample = read_file_sample(path, kSampleBytes);
  if (!sample) return sample.error();
  if (sample->bytes.empty()) return make_error(path + ": the file is empty");
  auto plan = plan_scan(path, *sample, options);
  if (!plan) return plan.error();
  auto decoder = TextDecoder::create(plan->encoding.name);
  if (!decoder) return decoder.error();
  std::string text;
  std::string_view raw(sample->bytes);
  raw.remove_prefix(std::min(plan->encoding.bom_length, raw.size()));
  if (auto s = decoder->decode(raw, text, sample->complete); !s) return make_error(path + ": " + s.error().message);

  CsvParser parser(plan->delimiter);
  RecordProfiler profiler;
  std::vector<std::vector<std::string>> rows;
  auto sink = [&](const CsvRecord& r) {
    profiler.add(r);
    if (rows.size() < max_rows + 1) {
      std::vector<std::string> row;
      for (std::size_t i = 0; i < r.size(); ++i) row.emplace_back(r[i]);
      rows.push_back(std::move(row));
    }
    return true;
  };
  auto fed = parser.feed(text, sink);
  if (!fed) return make_error(path + ": " + fed.error().message);
  // A cut sample ends mid-record: only a complete file can have an unterminated quote.
  if (sample->complete) {
    if (auto s = parser.finish(sink); !s) return make_error(path + ": " + s.error().message);
  }
  CsvPreview p;
  auto columns = profiler.finish(path, options.header, p.header);
  if (!columns) return columns.error();
  p.encoding = plan->encoding.name;
  p.delimiter = plan->delimiter;
  p.columns = std::move(*columns);
  p.whole_file = sample->complete;
  if (p.header && !rows.empty()) rows.erase(rows.begin());
  if (rows.size() > max_rows) rows.resize(max_rows);
  p.rows = std::move(rows);
  return p;
}

}  // namespace tally::data
