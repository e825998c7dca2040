#pragma once
// CSV import into the store: detect the encoding, delimiter and header, infer each column's type (rule in
// column_profile.h), then write the rows into a new table in one transaction — all or nothing: an error or a
// cancel rolls everything back. Two streaming passes over the file (infer, then write), never the whole file in
// memory. Re-importing the same bytes (by SHA-256) is reported instead of duplicated unless forced.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tally/data/cell_value.h"
#include "tally/data/result.h"
#include "tally/data/store.h"

namespace tally::data {

enum class HeaderMode { Auto, Present, Absent };

struct ImportProgress {
  int pass = 1;                   // 1: reading and inferring types, 2: writing rows
  std::uint64_t bytes_done = 0;   // over both passes: pass 2 starts at file_bytes
  std::uint64_t bytes_total = 0;  // 2 x the file's size
};

struct CsvImportOptions {
  std::string encoding;       // "" detects; else e.g. "UTF-8", "CP949", "EUC-KR", "UTF-16LE"
  char delimiter = 0;         // 0 detects; else ',', ';', '\t', '|'
  HeaderMode header = HeaderMode::Auto;
  std::string dataset_name;   // "" uses the file name without its extension
  bool force = false;         // import again even when these exact bytes were imported before
  std::function<void(const ImportProgress&)> on_progress;
  const std::atomic<bool>* cancel = nullptr;  // set to true (from any thread) to cancel
  std::size_t chunk_bytes = std::size_t{1} << 20;
  // Per column, by position: a type the user chose instead of the inferred one (nullopt keeps the inference). Cells
  // that do not read as the chosen type are kept and listed in the report, as for inferred types.
  std::vector<std::optional<ColumnType>> column_types;
};

struct CsvColumn {
  std::string name;      // from the header, or column_N
  std::string sql_name;  // the column in the dataset's table
  ColumnType type = ColumnType::Text;
  std::string unit;      // % or a currency code
  bool day_first = false;
};

struct UnparsedCell {
  std::int64_t line = 0;  // physical line where the record starts (1-based); a workbook's sheet row
  std::string column;
  std::string raw;
  std::string cell = {};  // workbooks: the cell's A1 reference ("C7"); "" for CSV
};

struct RaggedRow {
  std::int64_t line = 0;
  std::size_t fields = 0;
  std::size_t expected = 0;
};

struct ImportReport {
  static constexpr std::size_t kMaxListed = 1000;  // entries kept per list; the totals count all
  std::int64_t rows = 0;
  std::vector<UnparsedCell> unparsed_cells;  // cells of typed columns that did not parse (stored as NULL)
  std::int64_t unparsed_total = 0;
  std::vector<RaggedRow> ragged_rows;  // too few fields (rest NULL) or too many (extra dropped)
  std::int64_t ragged_total = 0;
  std::int64_t error_cells = 0;  // workbooks: error cells (#N/A) and formulas without a value, also in unparsed_*
  std::string to_json() const;  // stored in datasets.import_report
};

enum class ImportStatus { Imported, AlreadyImported, Cancelled };

struct ImportOutcome {
  ImportStatus status = ImportStatus::Imported;
  std::int64_t dataset_id = 0;  // the new dataset, or the earlier one for AlreadyImported
  std::string dataset_name;
  std::string table_name;
  std::string encoding;
  char delimiter = ',';
  bool header = true;
  std::string sha256;
  std::vector<CsvColumn> columns;
  ImportReport report;
};

struct CsvPreview {
  std::string encoding;
  char delimiter = ',';
  bool header = true;
  std::vector<CsvColumn> columns;              // types inferred from the sample only
  std::vector<std::vector<std::string>> rows;  // the first data rows, as text
  bool whole_file = false;                     // the sample held the entire file
};

class CsvImporter {
 public:
  explicit CsvImporter(Store& store) : store_(store) {}

  Result<ImportOutcome> import_file(const std::string& path, const CsvImportOptions& options = {});

  // What the import dialog shows: the same detection on the first 64 KiB, and up to `max_rows` rows.
  static Result<CsvPreview> preview(const std::string& path, const CsvImportOptions& options = {},
                                    std::size_t max_rows = 100);

 private:
  Store& store_;
};

}  // namespace tally::data
