#include "csv_scan.h"

#include "dataset_naming.h"
#include "tally/data/csv_dialect.h"
#include "tally/data/csv_parser.h"

namespace tally::data {

Result<ScanPlan> plan_scan(const std::string& path, const FileSample& sample, const CsvImportOptions& options) {
  ScanPlan plan;
  if (!options.encoding.empty()) {
    const std::string name = normalize_encoding_name(options.encoding);
    if (name.empty()) return make_error("unknown text encoding '" + options.encoding + "'");
    plan.encoding.name = name;
    // A BOM that matches the chosen encoding is still not data.
    if ((name == "UTF-8" && sample.bytes.rfind("\xEF\xBB\xBF", 0) == 0)) plan.encoding.bom_length = 3;
    if ((name == "UTF-16LE" && sample.bytes.rfind("\xFF\xFE", 0) == 0) ||
        (name == "UTF-16BE" && sample.bytes.rfind("\xFE\xFF", 0) == 0)) {
      plan.encoding.bom_length = 2;
    }
  } else {
    auto detected = detect_encoding(sample.bytes, sample.complete);
    if (!detected) return make_error(path + ": " + detected.error().message);
    plan.encoding = *detected;
    plan.encoding_detected = true;
  }
  if (options.delimiter != 0) {
    if (options.delimiter == '"' || options.delimiter == '\n' || options.delimiter == '\r') {
      std::string message = "this character cannot be a delimiter: ";
      message.push_back(options.delimiter);
      return make_error(std::move(message));
    }
    plan.delimiter = options.delimiter;
    return plan;
  }
  auto decoder = TextDecoder::create(plan.encoding.name);
  if (!decoder) return make_error(path + ": " + decoder.error().message);
  std::string text;
  std::string_view raw(sample.bytes);
  raw.remove_prefix(std::min(plan.encoding.bom_length, raw.size()));
  if (auto s = decoder->decode(raw, text, sample.complete); !s) {
    return make_error(path + ": " + s.error().message);
  }
  plan.delimiter = detect_delimiter(text, sample.complete);
  return plan;
}

void RecordProfiler::add(const CsvRecord& record) {
  ++records_;
  if (records_ == 1) {
    const std::size_t n = std::min(record.size(), kMaxColumns + 1);
    first_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) first_.emplace_back(record[i]);
    profiles_.resize(first_.size());
    return;
  }
  const std::size_t n = std::min(record.size(), profiles_.size());
  for (std::size_t i = 0; i < n; ++i) profiles_[i].add(record[i]);
}

Result<std::vector<CsvColumn>> RecordProfiler::finish(const std::string& path, HeaderMode mode, bool& header) {
  if (records_ == 0) return make_error(path + ": the file holds no rows");
  if (first_.size() > kMaxColumns) {
    return make_error(path + ": more than " + std::to_string(kMaxColumns) + " columns");
  }
  std::vector<ColumnChoice> rest;
  if (records_ > 1) {
    for (const auto& p : profiles_) rest.push_back(p.choose());
  }
  header = mode == HeaderMode::Present || (mode == HeaderMode::Auto && looks_like_header(first_, rest));
  if (!header) {
    for (std::size_t i = 0; i < first_.size(); ++i) profiles_[i].add(first_[i]);
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < first_.size(); ++i) {
    std::string name = header ? std::string(trim_spaces(first_[i])) : std::string();
    if (name.empty()) name = "column_" + std::to_string(i + 1);
    names.push_back(std::move(name));
  }
  const auto sql_names = column_sql_names(names);
  std::vector<CsvColumn> columns;
  for (std::size_t i = 0; i < first_.size(); ++i) {
    const ColumnChoice c = profiles_[i].choose();
    columns.push_back(CsvColumn{names[i], sql_names[i], c.type, c.unit, c.day_first});
  }
  return columns;
}

namespace {

// One reading of the whole file with a given plan. `invalid_text` is set when decoding failed (so the caller
// may retry with another encoding).
Result<ScanResult> scan_once(const std::string& path, const CsvImportOptions& options, const ScanPlan& plan,
                             std::uint64_t file_size, bool& invalid_text) {
  ScanResult result;
  result.plan = plan;
  Sha256 hash;
  auto file = DecodedFile::open(path, plan.encoding, options.chunk_bytes, &hash);
  if (!file) return file.error();
  CsvParser parser(plan.delimiter);
  RecordProfiler profiler;
  auto sink = [&](const CsvRecord& r) {
    profiler.add(r);
    return true;
  };
  std::string text;
  for (;;) {
    if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
      result.cancelled = true;
      return result;
    }
    auto more = file->next(text);
    if (!more) {
      invalid_text = true;
      return more.error();
    }
    if (!*more) break;
    auto fed = parser.feed(text, sink);
    if (!fed) return make_error(path + ": " + fed.error().message);
    if (options.on_progress) options.on_progress({1, file->bytes_read(), 2 * file_size});
  }
  if (auto s = parser.finish(sink); !s) return make_error(path + ": " + s.error().message);
  result.sha256 = hash.hex_digest();
  auto columns = profiler.finish(path, options.header, result.header);
  if (!columns) return columns.error();
  result.columns = std::move(*columns);
  result.records = profiler.records();
  return result;
}

}  // namespace

Result<ScanResult> scan_file(const std::string& path, const CsvImportOptions& options) {
  auto sample = read_file_sample(path, kSampleBytes);
  if (!sample) return sample.error();
  if (sample->bytes.empty()) return make_error(path + ": the file is empty");
  auto plan = plan_scan(path, *sample, options);
  if (!plan) return plan.error();
  bool invalid_text = false;
  auto result = scan_once(path, options, *plan, sample->file_size, invalid_text);
  if (!result && invalid_text && plan->encoding_detected && plan->encoding.name == "UTF-8" &&
      plan->encoding.bom_length == 0) {
    // Korean text past the sample in a file whose sample was plain ASCII: CP949 is the likely encoding.
    ScanPlan retry = *plan;
    retry.encoding = DetectedEncoding{"CP949", 0};
    bool invalid_again = false;
    auto second = scan_once(path, options, retry, sample->file_size, invalid_again);
    if (second) return second;
  }
  return result;
}

}  // namespace tally::data
