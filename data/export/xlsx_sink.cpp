// The .xlsx sink over libxlsxwriter in constant-memory mode: each row goes to the sheet's temporary file as it is
// written, so a million-row export holds one row at a time. Columns' widths are known only at the end; the library
// writes the <cols> element when it assembles the sheet on close, so setting them after the rows is allowed.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <xlsxwriter.h>

#include "export/table_sink.h"

namespace tally::data::exporting {
namespace {

constexpr std::size_t kMaxCellUnits = 32'767;       // Excel's limit on a cell's text
constexpr std::int64_t kMaxExactInteger = std::int64_t{1} << 53;  // larger integers would change in a double
constexpr double kMinWidth = 6, kMaxWidth = 60;

const char* currency_format(const std::string& unit) {
  if (unit == "KRW") return "\"₩\"#,##0";
  if (unit == "USD") return "\"$\"#,##0.00";
  if (unit == "EUR") return "\"€\"#,##0.00";
  if (unit == "JPY") return "\"¥\"#,##0";
  if (unit == "GBP") return "\"£\"#,##0.00";
  return "#,##0.00";
}

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY-MM-DD HH:MM:SS' (the store's forms) as Excel's date; Excel's calendar starts at
// 1900, so earlier dates stay text.
bool stored_date(std::string_view s, ColumnType type, lxw_datetime& dt) {
  dt = lxw_datetime{};
  const std::size_t want = type == ColumnType::Month ? 7 : type == ColumnType::Date ? 10 : 19;
  if (s.size() != want || !digits(s, 0, 4, dt.year) || s[4] != '-' || !digits(s, 5, 2, dt.month)) return false;
  dt.day = 1;
  if (type != ColumnType::Month && (s[7] != '-' || !digits(s, 8, 2, dt.day))) return false;
  if (type == ColumnType::DateTime) {
    int sec = 0;
    if ((s[10] != ' ' && s[10] != 'T') || !digits(s, 11, 2, dt.hour) || s[13] != ':' ||
        !digits(s, 14, 2, dt.min) || s[16] != ':' || !digits(s, 17, 2, sec))
      return false;
    dt.sec = sec;
  }
  return dt.year >= 1900 && dt.year <= 9999 && dt.month >= 1 && dt.month <= 12 && dt.day >= 1 && dt.day <= 31 &&
         dt.hour <= 23 && dt.min <= 59 && dt.sec < 60;
}

class XlsxSink final : public TableSink {
 public:
  XlsxSink(const std::string& path, const ExportOptions& options, std::string sheet_name, std::int64_t rows_hint)
      : path_(path),
        partial_(partial_path(path)),
        options_(options),
        base_name_(sanitize_sheet_name(sheet_name)),
        rows_hint_(rows_hint) {}
  ~XlsxSink() override {
    if (book_) abandon();
  }

  Status begin(const std::vector<ExportColumn>& columns) override {
    if (columns.empty()) return make_error(path_ + ": nothing to export (the table has no columns)");
    if (static_cast<std::int64_t>(columns.size()) > kExcelMaxColumns)
      return make_error(path_ + ": " + std::to_string(columns.size()) + " columns; an Excel sheet holds at most " +
                        std::to_string(kExcelMaxColumns));
    // libxlsxwriter writes the file only on close: find an unwritable path now, before streaming every row.
    if (std::FILE* probe = std::fopen(partial_.c_str(), "wb")) {
      std::fclose(probe);
    } else {
      return make_error(path_ + ": cannot create the file");
    }
    columns_ = columns;
    lxw_workbook_options wo{};
    wo.constant_memory = LXW_TRUE;
    // ZIP64 only where a sheet's XML may pass 4 GB (about 40 bytes a cell): some readers (libzip's consistency
    // check among them) reject the ZIP64 extra fields libxlsxwriter then writes even into small files.
    wo.use_zip64 = rows_hint_ > 0 && static_cast<double>(rows_hint_) * static_cast<double>(columns.size()) * 40 >
                                         static_cast<double>(std::uint64_t{1} << 31)
                       ? LXW_TRUE
                       : LXW_FALSE;
    book_ = workbook_new_opt(partial_.c_str(), &wo);
    if (!book_) return make_error(path_ + ": cannot start the workbook");
    header_ = workbook_add_format(book_);
    format_set_bold(header_);
    formats_.assign(columns.size(), nullptr);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto& col = columns[c];
      if (col.by_value) continue;
      const char* num = nullptr;
      switch (col.type) {
        case ColumnType::Date: num = "yyyy-mm-dd"; break;
        case ColumnType::Month: num = "yyyy-mm"; break;
        case ColumnType::DateTime: num = "yyyy-mm-dd hh:mm:ss"; break;
        case ColumnType::Percent: num = "0.00%"; break;
        case ColumnType::Currency: num = currency_format(col.unit); break;
        default: break;
      }
      if (num) {
        formats_[c] = workbook_add_format(book_);
        format_set_num_format(formats_[c], num);
      }
    }
    return start_sheet();
  }

  Status row(std::span<const SinkCell> cells) override {
    if (row_ > options_.max_sheet_rows) {
      end_sheet();
      if (auto st = start_sheet(); !st) return st;
    }
    for (std::size_t c = 0; c < cells.size() && c < columns_.size(); ++c)
      if (auto st = write_cell(static_cast<lxw_col_t>(c), cells[c]); !st) return st;
    ++row_;
    return {};
  }

  Status finish(ExportOutcome& outcome) override {
    end_sheet();
    const lxw_error err = workbook_close(book_);
    book_ = nullptr;
    if (err != LXW_NO_ERROR) {
      std::remove(partial_.c_str());
      return make_error(path_ + ": writing the workbook failed: " + lxw_strerror(err));
    }
    if (auto st = replace_with_partial(partial_, path_); !st) return st;
    outcome.sheet_names = sheet_names_;
    outcome.cells_cut = cells_cut_;
    return {};
  }

  void abandon() override {
    if (book_) {
      workbook_close(book_);
      book_ = nullptr;
    }
    std::remove(partial_.c_str());
  }

 private:
  Status start_sheet() {
    std::string name = base_name_;
    if (!sheet_names_.empty()) {
      const std::string suffix = " (" + std::to_string(sheet_names_.size() + 1) + ")";
      std::string head;
      clean_cell_text(base_name_, head, 31 - suffix.size());
      name = sanitize_sheet_name(head + suffix);
    }
    sheet_ = workbook_add_worksheet(book_, name.c_str());
    if (!sheet_) return make_error(path_ + ": cannot add the sheet '" + name + "'");
    sheet_names_.push_back(name);
    widths_.assign(columns_.size(), 0);
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const bool cut = clean_cell_text(columns_[c].name, text_, kMaxCellUnits);
      (void)cut;
      worksheet_write_string(sheet_, 0, static_cast<lxw_col_t>(c), text_.c_str(), header_);
      widths_[c] = display_width(text_) + 2;  // bold is wider
    }
    worksheet_freeze_panes(sheet_, 1, 0);
    row_ = 1;
    return {};
  }

  void end_sheet() {
    for (std::size_t c = 0; c < widths_.size(); ++c) {
      const double w = std::clamp(static_cast<double>(widths_[c]) + 1, kMinWidth, kMaxWidth);
      worksheet_set_column(sheet_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w, nullptr);
    }
    widths_.clear();
  }

  void widen(std::size_t c, std::size_t w) { widths_[c] = std::max(widths_[c], w); }

  Status check(lxw_error err, lxw_col_t c) {
    if (err == LXW_NO_ERROR) return {};
    return make_error(path_ + ": row " + std::to_string(written_rows()) + ", column '" + columns_[c].name +
                      "': " + lxw_strerror(err));
  }
  std::int64_t written_rows() const {
    return static_cast<std::int64_t>(sheet_names_.size() - 1) * options_.max_sheet_rows + row_;
  }

  Status write_text(lxw_col_t c, std::string_view text, lxw_format* format = nullptr) {
    if (clean_cell_text(text, text_, kMaxCellUnits)) ++cells_cut_;
    widen(c, display_width(text_));
    return check(worksheet_write_string(sheet_, row(), c, text_.c_str(), format), c);
  }
  lxw_row_t row() const { return static_cast<lxw_row_t>(row_); }

  Status write_number(lxw_col_t c, double v) {
    const ExportColumn& col = columns_[c];
    if (!std::isfinite(v)) return write_text(c, std::isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    double shown = v;
    if (!col.by_value && col.type == ColumnType::Percent) shown = v / 100;  // stored 12.5 means 12.5%
    widen(c, number_text(v).size() + (formats_[c] ? 3 : 0));
    return check(worksheet_write_number(sheet_, row(), c, shown, col.by_value ? nullptr : formats_[c]), c);
  }

  Status write_cell(lxw_col_t c, const SinkCell& cell) {
    const ExportColumn& col = columns_[c];
    switch (cell.kind) {
      case SinkCell::Kind::Null:
        return {};  // an absent cell is Excel's empty cell
      case SinkCell::Kind::Boolean:
        widen(c, 5);
        return check(worksheet_write_boolean(sheet_, row(), c, cell.integer != 0, nullptr), c);
      case SinkCell::Kind::Integer:
        if (!col.by_value && col.type == ColumnType::Boolean && (cell.integer == 0 || cell.integer == 1)) {
          widen(c, 5);
          return check(worksheet_write_boolean(sheet_, row(), c, cell.integer != 0, nullptr), c);
        }
        // Excel keeps 15 significant digits; an ID beyond 2^53 is written as text so it survives.
        if (cell.integer > kMaxExactInteger || cell.integer < -kMaxExactInteger)
          return write_text(c, std::to_string(cell.integer));
        return write_number(c, static_cast<double>(cell.integer));
      case SinkCell::Kind::Real:
        return write_number(c, cell.real);
      case SinkCell::Kind::Text:
        if (!col.by_value &&
            (col.type == ColumnType::Date || col.type == ColumnType::Month || col.type == ColumnType::DateTime)) {
          lxw_datetime dt;
          if (stored_date(cell.text, col.type, dt)) {
            widen(c, cell.text.size());
            return check(worksheet_write_datetime(sheet_, row(), c, &dt, formats_[c]), c);
          }
        }
        return write_text(c, cell.text);
    }
    return {};
  }

  const std::string path_;
  const std::string partial_;  // written first, renamed over path_ only once complete
  const ExportOptions& options_;
  const std::string base_name_;
  const std::int64_t rows_hint_;
  std::vector<ExportColumn> columns_;
  lxw_workbook* book_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* header_ = nullptr;
  std::vector<lxw_format*> formats_;
  std::vector<std::size_t> widths_;
  std::vector<std::string> sheet_names_;
  std::int64_t row_ = 1;  // the next row of the current sheet (0 is the header)
  std::int64_t cells_cut_ = 0;
  std::string text_;  // the current cell's cleaned, NUL-terminated text
};

}  // namespace

std::unique_ptr<TableSink> make_xlsx_sink(const std::string& path, const ExportOptions& options,
                                          std::string sheet_name, std::int64_t rows_hint) {
  return std::make_unique<XlsxSink>(path, options, std::move(sheet_name), rows_hint);
}

}  // namespace tally::data::exporting
