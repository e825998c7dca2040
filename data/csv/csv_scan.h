#pragma once
// The first import pass, shared by preview and import: choose encoding and delimiter from a sample, then read
// the file (or the sample) once, hashing its bytes and profiling each column, and settle the header and types.
#include <string>
#include <vector>

#include "decoded_file.h"
#include "tally/data/column_profile.h"
#include "tally/data/csv_parser.h"
#include "tally/data/csv_import.h"

namespace tally::data {

inline constexpr std::size_t kSampleBytes = std::size_t{64} << 10;
inline constexpr std::size_t kMaxColumns = 2000;  // SQLite's default column limit

struct ScanPlan {
  DetectedEncoding encoding;
  bool encoding_detected = false;  // not given by the user: a later invalid byte may switch UTF-8 to CP949
  char delimiter = ',';
};

// Decodes `sample` with the chosen (or detected) encoding and sniffs the delimiter unless given.
Result<ScanPlan> plan_scan(const std::string& path, const FileSample& sample, const CsvImportOptions& options);

// Accumulates records: the first one verbatim, the rest into per-column profiles.
class RecordProfiler {
 public:
  void add(const CsvRecord& record);
  std::int64_t records() const { return records_; }
  // Decides the header (unless `mode` says) and builds the column list; errors when there are no records.
  Result<std::vector<CsvColumn>> finish(const std::string& path, HeaderMode mode, bool& header);

 private:
  std::vector<std::string> first_;
  std::vector<ColumnProfile> profiles_;
  std::int64_t records_ = 0;
};

struct ScanResult {
  ScanPlan plan;
  std::string sha256;
  std::vector<CsvColumn> columns;
  bool header = true;
  std::int64_t records = 0;  // including the header record
  bool cancelled = false;
};

Result<ScanResult> scan_file(const std::string& path, const CsvImportOptions& options);

}  // namespace tally::data
