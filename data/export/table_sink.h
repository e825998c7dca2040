#pragma once
// Where exported rows go: an .xlsx workbook or a CSV file. The sources (a dataset, a query, an in-memory table) hand
// rows of cells to a sink one at a time, so a sink never holds more than a row.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tally/data/export.h"

namespace tally::data::exporting {

// One cell as stored: SQLite's storage classes plus JSON's booleans.
struct SinkCell {
  enum class Kind : std::uint8_t { Null, Integer, Real, Text, Boolean };
  Kind kind = Kind::Null;
  std::int64_t integer = 0;  // Integer, and Boolean (0/1)
  double real = 0;
  std::string_view text;
};

class TableSink {
 public:
  virtual ~TableSink() = default;
  virtual Status begin(const std::vector<ExportColumn>& columns) = 0;
  virtual Status row(std::span<const SinkCell> cells) = 0;  // one cell per column
  // Completes the file; `outcome` is filled with what the sink knows (sheets, cells cut).
  virtual Status finish(ExportOutcome& outcome) = 0;
  // Stops and removes the partial file (on errors and cancel).
  virtual void abandon() = 0;
};

// `rows_hint`: the rows expected (-1 unknown), to choose ZIP64 only for tables that may need it.
std::unique_ptr<TableSink> make_xlsx_sink(const std::string& path, const ExportOptions& options,
                                          std::string sheet_name, std::int64_t rows_hint);
std::unique_ptr<TableSink> make_csv_sink(const std::string& path, const ExportOptions& options);

// Drives one export: opens the sink for the options' format, counts rows, reports progress, honours cancel.
class ExportRun {
 public:
  ExportRun(const std::string& path, const ExportOptions& options, std::int64_t rows_total);
  Status begin(const std::vector<ExportColumn>& columns, std::string sheet_name);
  // false: stop (cancelled); errors come back as Status.
  Result<bool> row(std::span<const SinkCell> cells);
  Result<ExportOutcome> finish();
  void fail() { if (sink_) sink_->abandon(); }

 private:
  const std::string& path_;
  const ExportOptions& options_;
  std::unique_ptr<TableSink> sink_;
  ExportProgress progress_;
  bool cancelled_ = false;
};

// Sinks write to partial_path(path) and rename it over `path` only when the file is complete, so a failed or
// cancelled export never destroys a file that was there before.
std::string partial_path(const std::string& path);
Status replace_with_partial(const std::string& partial, const std::string& path);

// The text of a number as CSV and the sheet's width estimate see it: integers in full, reals shortest round-trip.
std::string number_text(double value);
// Valid UTF-8 without the control characters XML cannot carry, cut to `max_units` UTF-16 units; true when cut.
bool clean_cell_text(std::string_view in, std::string& out, std::size_t max_units);
// The first code point of `s` as "U+20A9 '₩'", for error messages.
std::string describe_code_point(std::string_view s);

}  // namespace tally::data::exporting
