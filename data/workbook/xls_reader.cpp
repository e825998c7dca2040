// Legacy .xls (BIFF2-8) through libfreexl. freexl parses the whole workbook on open (it allocates a rows x columns
// cell grid per sheet), so the sheets' declared sizes are checked against the limits first, with freexl's cheaper
// metadata-only open. freexl reports strings in UTF-8 whatever the file's code page, and tells dates, date-times
// and times apart by the cell's format, resolving the 1904 date system itself.
//
// What freexl 1.0 skips (sheet visibility, boolean and error cells, formulas' cached results) is read from the
// BIFF8 records by xls_biff_records.h and laid over freexl's Empty cells, with the number formats freexl does not
// report (percent, currency; dates for formula results), and the merged ranges the header detection uses.
#include "tally/data/xls_reader.h"

#include "workbook/xls_biff_records.h"
#include "workbook/xls_guard.h"

#include <freexl.h>

#include <cstdio>
#include <string>
#include <vector>

namespace tally::data {
namespace {

constexpr const char* kPasswordAdvice =
    "the workbook is password-protected; open it in Excel, remove the password (File > Info > Protect Workbook) "
    "and save it again";

std::string freexl_message(int rc) {
  switch (rc) {
    case FREEXL_FILE_NOT_FOUND: return "the file does not exist or cannot be read";
    case FREEXL_INSUFFICIENT_MEMORY: return "not enough memory to read it";
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
    case FREEXL_CFBF_INVALID_SECTOR_SIZE: return "not an Excel 97-2003 workbook (bad compound file header)";
    case FREEXL_CFBF_READ_ERROR:
    case FREEXL_CFBF_SEEK_ERROR:
    case FREEXL_CFBF_EMPTY_FAT_CHAIN:
    case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
    case FREEXL_INVALID_MINI_STREAM: return "the file is damaged (truncated or corrupt compound file)";
    case FREEXL_BIFF_INVALID_BOF:
    case FREEXL_BIFF_INVALID_SST:
    case FREEXL_BIFF_ILLEGAL_SST_INDEX:
    case FREEXL_ILLEGAL_RK_VALUE: return "the workbook stream is damaged";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND: return "the file holds no Excel workbook stream";
    case FREEXL_UNSUPPORTED_CHARSET:
    case FREEXL_INVALID_CHARACTER: return "its text uses a code page that cannot be converted";
    case FREEXL_CRAFTED_FILE: return "the file is corrupted or crafted (refused)";
    default: return "freexl error " + std::to_string(rc);
  }
}

// Days from 1970-01-01 of a proleptic Gregorian date (the usual era-based derivation).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = static_cast<int>(y - era * 400);
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int two(const char* p) { return (p[0] - '0') * 10 + (p[1] - '0'); }
bool all_digits(std::string_view s, std::initializer_list<int> at) {
  for (int i : at)
    if (static_cast<std::size_t>(i) >= s.size() || s[static_cast<std::size_t>(i)] < '0' || s[static_cast<std::size_t>(i)] > '9')
      return false;
  return true;
}

// freexl's 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' or 'HH:MM:SS' into the cell, with the serial Excel stored.
bool date_cell(std::string_view text, SheetCellKind kind, bool date1904, SheetCell& cell) {
  DateTimeParts when;
  std::size_t t = 0;
  if (kind != SheetCellKind::Time) {
    if (text.size() < 10 || !all_digits(text, {0, 1, 2, 3, 5, 6, 8, 9})) return false;
    when.date.year = two(text.data()) * 100 + two(text.data() + 2);
    when.date.month = two(text.data() + 5);
    when.date.day = two(text.data() + 8);
    t = 11;
  }
  if (kind != SheetCellKind::Date) {
    if (text.size() < t + 8 || !all_digits(text, {int(t), int(t) + 1, int(t) + 3, int(t) + 4, int(t) + 6, int(t) + 7}))
      return false;
    when.hour = two(text.data() + t);
    when.minute = two(text.data() + t + 3);
    when.second = two(text.data() + t + 6);
  }
  double serial = (when.hour * 3600 + when.minute * 60 + when.second) / 86400.0;
  if (kind != SheetCellKind::Time) {
    const std::int64_t days = days_from_civil(when.date.year, when.date.month, when.date.day);
    std::int64_t s = date1904 ? days - days_from_civil(1904, 1, 1) : days - days_from_civil(1899, 12, 30);
    if (!date1904 && s < 61) --s;  // before 1900-03-01 Excel's serials skip the fictitious 1900-02-29
    serial += static_cast<double>(s);
  }
  cell.kind = kind;
  cell.when = when;
  cell.number = serial;
  return true;
}

class XlsReader final : public WorkbookReader {
 public:
  XlsReader(std::string path, const void* handle, std::vector<SheetInfo> sheets, bool date1904,
            std::vector<xls::ExtraSheet> extra)
      : path_(std::move(path)), handle_(handle), sheets_(std::move(sheets)), date1904_(date1904),
        extra_(std::move(extra)) {}
  ~XlsReader() override { freexl_close(handle_); }
  XlsReader(const XlsReader&) = delete;
  XlsReader& operator=(const XlsReader&) = delete;

  const std::vector<SheetInfo>& sheets() const override { return sheets_; }
  const std::string& path() const override { return path_; }
  Result<std::vector<CellRange>> merged(std::size_t index) override {
    if (index >= sheets_.size()) return make_error(path_ + ": no sheet " + std::to_string(index + 1));
    return index < extra_.size() ? extra_[index].merged : std::vector<CellRange>{};  // freexl skips MERGEDCELLS
  }

  Status read_sheet(std::size_t index,
                    const std::function<Status(std::int64_t, std::span<const SheetCell>)>& on_row) override {
    if (index >= sheets_.size()) return make_error(path_ + ": no sheet " + std::to_string(index + 1));
    const std::string where = path_ + ", sheet '" + sheets_[index].name + "'";
    if (int rc = freexl_select_active_worksheet(handle_, static_cast<unsigned short>(index)); rc != FREEXL_OK)
      return make_error(where + ": " + freexl_message(rc));
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (int rc = freexl_worksheet_dimensions(handle_, &rows, &cols); rc != FREEXL_OK)
      return make_error(where + ": " + freexl_message(rc));
    std::vector<SheetCell> cells(cols);
    for (unsigned int r = 0; r < rows; ++r) {
      std::size_t used = 0;
      for (unsigned short c = 0; c < cols; ++c) {
        SheetCell& cell = cells[c];
        cell = SheetCell{};
        FreeXL_CellValue v;
        if (int rc = freexl_get_cell_value(handle_, r, c, &v); rc != FREEXL_OK)
          return make_error(where + ", cell " + cell_reference(r, c) + ": " + freexl_message(rc));
        switch (v.type) {
          case FREEXL_CELL_INT:
            cell.kind = SheetCellKind::Number;
            cell.number = v.value.int_value;
            break;
          case FREEXL_CELL_DOUBLE:
            cell.kind = SheetCellKind::Number;
            cell.number = v.value.double_value;
            break;

          case FREEXL_CELL_TEXT:
          case FREEXL_CELL_SST_TEXT:
            if (v.value.text_value && *v.value.text_value) {
              cell.kind = SheetCellKind::Text;
              cell.text = v.value.text_value;
            }
            break;
          case FREEXL_CELL_DATE:
          case FREEXL_CELL_DATETIME:
          case FREEXL_CELL_TIME: {
            const SheetCellKind kind = v.type == FREEXL_CELL_DATE       ? SheetCellKind::Date
                                       : v.type == FREEXL_CELL_DATETIME ? SheetCellKind::DateTime
                                                                        : SheetCellKind::Time;
            const std::string_view text = v.value.text_value ? v.value.text_value : "";
            if (!date_cell(text, kind, date1904_, cell)) {
              cell.kind = SheetCellKind::Text;  // keep what freexl wrote rather than lose the cell
              cell.text = text;
            }
            break;
          }
          default:
            break;
        }
        if (cell.kind == SheetCellKind::Empty && index < extra_.size()) {
          if (auto it = extra_[index].cells.find({r, c}); it != extra_[index].cells.end()) {
            cell.kind = it->second.kind;
            cell.number = it->second.number;
            cell.text = it->second.text;
            cell.formula = it->second.formula;
            cell.when = it->second.when;
          }
        }
        if (cell.kind == SheetCellKind::Number && index < extra_.size()) {
          if (auto it = extra_[index].units.find({r, c}); it != extra_[index].units.end()) cell.unit = it->second.unit;
        }
        if (cell.kind != SheetCellKind::Empty) used = c + 1u;
      }
      if (used == 0) continue;
      if (auto st = on_row(r, std::span<const SheetCell>(cells.data(), used)); !st) return st;
    }
    return {};
  }

 private:
  std::string path_;
  const void* handle_;
  std::vector<SheetInfo> sheets_;
  bool date1904_;
  std::vector<xls::ExtraSheet> extra_;  // by sheet index, or empty when the records could not be read
};

// The metadata-only pass: sheet names and sizes, the password flag (freexl already allocates each sheet's grid
// here; the guard has checked the declared sizes against the limits).
Result<std::vector<SheetInfo>> sheet_list(const std::string& path, const WorkbookLimits& limits) {
  const void* h = nullptr;
  const int rc = freexl_open_info(path.c_str(), &h);
  struct Closer {
    const void* h;
    ~Closer() { if (h) freexl_close(h); }
  } closer{h};
  if (rc != FREEXL_OK) return make_error(path + ": " + freexl_message(rc));
  unsigned int info = 0;
  if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info == FREEXL_BIFF_OBFUSCATED)
    return make_error(path + ": " + kPasswordAdvice);
  unsigned int count = 0;
  if (int e = freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count); e != FREEXL_OK)
    return make_error(path + ": " + freexl_message(e));
  std::vector<SheetInfo> sheets;
  for (unsigned int s = 0; s < count; ++s) {
    SheetInfo si;
    const char* name = nullptr;
    if (freexl_get_worksheet_name(h, static_cast<unsigned short>(s), &name) == FREEXL_OK && name) si.name = name;
    if (si.name.empty()) si.name = "Sheet" + std::to_string(s + 1);
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (freexl_select_active_worksheet(h, static_cast<unsigned short>(s)) == FREEXL_OK &&
        freexl_worksheet_dimensions(h, &rows, &cols) == FREEXL_OK) {
      si.rows = rows;
      si.cols = cols;
    }
    if (si.rows > limits.max_rows || si.cols > limits.max_cols || si.rows * si.cols > limits.max_cells)
      return make_error(path + ", sheet '" + si.name + "': " + std::to_string(si.rows) + " rows x " +
                        std::to_string(si.cols) + " columns is beyond the import limits");
    sheets.push_back(std::move(si));
  }
  return sheets;
}

}  // namespace

Result<std::unique_ptr<WorkbookReader>> open_xls(const std::string& path, const WorkbookLimits& limits) {
  std::string workbook_stream;
  if (const std::string why = xls::freexl_hazard(path, limits, workbook_stream); why == xls::kPasswordProtected)
    return make_error(path + ": " + kPasswordAdvice);
  else if (!why.empty())
    return make_error(path + ": the file is damaged or crafted: " + why);
  auto sheets = sheet_list(path, limits);
  if (!sheets) return sheets.error();
  const void* h = nullptr;
  if (int rc = freexl_open(path.c_str(), &h); rc != FREEXL_OK) {
    if (h) freexl_close(h);
    return make_error(path + ": " + freexl_message(rc));
  }
  unsigned int mode = 0;
  const bool date1904 = freexl_get_info(h, FREEXL_BIFF_DATEMODE, &mode) == FREEXL_OK && mode == FREEXL_BIFF_DATEMODE_1904;
  // freexl lists worksheets only; the records list every sheet. Use them only when the two agree.
  std::vector<xls::ExtraSheet> extra;
  for (auto& s : xls::read_extra_cells(workbook_stream, date1904))
    if (s.worksheet) extra.push_back(std::move(s));
  bool agree = extra.size() == sheets->size();
  for (std::size_t i = 0; agree && i < extra.size(); ++i) agree = extra[i].name == (*sheets)[i].name;
  if (!agree) extra.clear();
  for (std::size_t i = 0; i < extra.size(); ++i) {
    (*sheets)[i].hidden = extra[i].hidden;
    (*sheets)[i].very_hidden = extra[i].very_hidden;
  }
  return std::unique_ptr<WorkbookReader>(
      std::make_unique<XlsReader>(path, h, std::move(*sheets), date1904, std::move(extra)));
}

}  // namespace tally::data
