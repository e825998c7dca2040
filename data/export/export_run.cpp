#include "export/table_sink.h"

#include <filesystem>

namespace tally::data::exporting {

std::string partial_path(const std::string& path) { return path + ".partial"; }

Status replace_with_partial(const std::string& partial, const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);  // replaces an existing file (POSIX rename, MoveFileEx on Windows)
  if (ec) {
    std::filesystem::remove(partial, ec);
    return make_error(path + ": cannot replace the file: " + ec.message());
  }
  return {};
}

namespace {
constexpr std::int64_t kProgressEvery = 4096;
}

ExportRun::ExportRun(const std::string& path, const ExportOptions& options, std::int64_t rows_total)
    : path_(path), options_(options) {
  progress_.rows_total = rows_total;
}

Status ExportRun::begin(const std::vector<ExportColumn>& columns, std::string sheet_name) {
  auto format = options_.format ? options_.format : export_format_for_path(path_);
  if (!format) return make_error(path_ + ": export writes .xlsx or .csv files (say which with the extension)");
  if (options_.max_sheet_rows < 1) return make_error("max_sheet_rows must be at least 1");
  sink_ = *format == ExportFormat::Xlsx ? make_xlsx_sink(path_, options_, std::move(sheet_name), progress_.rows_total)
                                        : make_csv_sink(path_, options_);
  auto st = sink_->begin(columns);
  if (!st) sink_->abandon();
  return st;
}

Result<bool> ExportRun::row(std::span<const SinkCell> cells) {
  if (options_.cancel && options_.cancel->load(std::memory_order_relaxed)) {
    cancelled_ = true;
    sink_->abandon();
    return false;
  }
  if (auto st = sink_->row(cells); !st) {
    sink_->abandon();
    return st.error();
  }
  if (++progress_.rows_done % kProgressEvery == 0 && options_.on_progress) options_.on_progress(progress_);
  return true;
}

Result<ExportOutcome> ExportRun::finish() {
  ExportOutcome outcome;
  outcome.rows = progress_.rows_done;
  if (cancelled_) {
    outcome.cancelled = true;
    return outcome;
  }
  if (auto st = sink_->finish(outcome); !st) return st.error();
  if (options_.on_progress) options_.on_progress(progress_);
  return outcome;
}

}  // namespace tally::data::exporting
