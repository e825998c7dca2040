#include "sheet_row_writer.h"

#include <charconv>
#include <cmath>

#include "csv/row_writer.h"
#include "sheet_layout.h"

namespace {
// 0.07 * 100 is 7.000000000000001 in binary floating point; the sheet showed "7%", so keep the 15 significant
// digits a double holds reliably (the same digits Excel displays) and drop the multiplication's noise.
double percentage_points(double fraction) {
  char buf[32];
  const double scaled = fraction * 100;
  const auto r = std::to_chars(buf, buf + sizeof buf, scaled, std::chars_format::general, 15);
  double out = scaled;
  std::from_chars(buf, r.ptr, out);
  return out;
}
}  // namespace

namespace tally::data {

Result<SheetRowWriter> SheetRowWriter::create(const Database& db, const std::string& table,
                                              const std::vector<CsvColumn>& columns, std::int64_t first_col,
                                              ImportReport& report) {
  auto stmt = create_rows_table(db, table, columns);
  if (!stmt) return stmt.error();
  return SheetRowWriter(std::move(*stmt), columns, first_col, report);
}

void SheetRowWriter::note(const CsvColumn& column, std::string raw, std::int64_t row, std::int64_t col,
                          bool error_cell) {
  ++report_->unparsed_total;
  if (error_cell) ++report_->error_cells;
  if (report_->unparsed_cells.size() < ImportReport::kMaxListed) {
    report_->unparsed_cells.push_back(UnparsedCell{row + 1, column.name, std::move(raw), cell_reference(row, col)});
  }
}

// Text cells of a typed column read as CSV cells of that type would.
bool SheetRowWriter::bind_text_as(int index, const CsvColumn& column, std::string_view text) {
  const std::string_view t = trim_spaces(text);
  char* buffer = buffers_[static_cast<std::size_t>(index - 1)].data();
  switch (column.type) {
    case ColumnType::Text: insert_.bind_text_static(index, text); return true;
    case ColumnType::Integer: {
      auto n = parse_number(t);
      if (!n || !n->integral || !n->unit.empty() || n->leading_zero) return false;
      insert_.bind(index, n->integer);
      return true;
    }
    case ColumnType::Decimal:
    case ColumnType::Percent:
    case ColumnType::Currency: {
      auto n = parse_number(t);
      if (!n || n->leading_zero || !(n->unit.empty() || (column.type != ColumnType::Decimal && n->unit == column.unit))) {
        return false;
      }
      insert_.bind(index, n->value);
      return true;
    }
    case ColumnType::Boolean:
      if (auto b = parse_boolean(t)) {
        insert_.bind(index, std::int64_t{*b ? 1 : 0});
        return true;
      }
      return false;
    case ColumnType::Date:
      if (auto d = parse_date(t, column.day_first)) {
        insert_.bind_text_static(index, std::string_view(buffer, format_date(*d, buffer)));
        return true;
      }
      return false;
    case ColumnType::Month:
      if (auto d = parse_month(t)) {
        insert_.bind_text_static(index, std::string_view(buffer, format_month(*d, buffer)));
        return true;
      }
      return false;
    case ColumnType::DateTime:
      if (auto dt = parse_datetime(t, column.day_first)) {
        insert_.bind_text_static(index, std::string_view(buffer, format_datetime(*dt, buffer)));
        return true;
      }
      if (auto d = parse_date(t, column.day_first)) {
        insert_.bind_text_static(index, std::string_view(buffer, format_datetime(DateTimeParts{*d, 0, 0, 0}, buffer)));
        return true;
      }
      return false;
  }
  return false;
}

void SheetRowWriter::bind_cell(int index, const CsvColumn& column, const SheetCell& cell, std::int64_t row,
                               std::int64_t col) {
  char* buffer = buffers_[static_cast<std::size_t>(index - 1)].data();
  const ColumnType type = column.type;
  switch (cell.kind) {
    case SheetCellKind::Empty:
      insert_.bind(index, nullptr);
      if (cell.formula) note(column, "(formula without a cached value)", row, col, true);
      return;
    case SheetCellKind::Error:
      insert_.bind(index, nullptr);
      note(column, std::string(cell.text), row, col, true);
      return;
    case SheetCellKind::Text:
      if (type != ColumnType::Text && trim_spaces(cell.text).empty()) {
        insert_.bind(index, nullptr);
        return;
      }
      if (bind_text_as(index, column, cell.text)) return;
      break;
    case SheetCellKind::Number: {
      const double v = cell.number;
      if (type == ColumnType::Integer && v == std::floor(v) && std::abs(v) < 9.2e18 && cell.unit.empty()) {
        insert_.bind(index, static_cast<std::int64_t>(v));
        return;
      }
      if (type == ColumnType::Decimal || type == ColumnType::Currency || type == ColumnType::Integer) {
        if (type == ColumnType::Integer) break;  // a fraction or a percent in an integer column
        insert_.bind(index, cell.unit == "%" ? percentage_points(v) : v);
        return;
      }
      if (type == ColumnType::Percent) {
        // Percent columns hold percentage points, as "12.5%" in a CSV does.
        insert_.bind(index, cell.unit == "%" ? percentage_points(v) : v);
        return;
      }
      if (type == ColumnType::Text) {
        const std::string text = cell_display_text(cell);
        const std::size_t n = std::min(text.size(), buffers_[0].size());
        std::copy_n(text.data(), n, buffer);
        insert_.bind_text_static(index, std::string_view(buffer, n));
        return;
      }
      break;
    }
    case SheetCellKind::Boolean:
      if (type == ColumnType::Boolean || type == ColumnType::Integer) {
        insert_.bind(index, std::int64_t{cell.number != 0 ? 1 : 0});
        return;
      }
      if (type == ColumnType::Text) {
        insert_.bind_text_static(index, cell.number != 0 ? "TRUE" : "FALSE");
        return;
      }
      break;
    case SheetCellKind::Date:
    case SheetCellKind::DateTime:
      if (type == ColumnType::Date) {
        insert_.bind_text_static(index, std::string_view(buffer, format_date(cell.when.date, buffer)));
        return;
      }
      if (type == ColumnType::Month) {
        insert_.bind_text_static(index, std::string_view(buffer, format_month(cell.when.date, buffer)));
        return;
      }
      if (type == ColumnType::DateTime || (type == ColumnType::Text && cell.kind == SheetCellKind::DateTime)) {
        insert_.bind_text_static(index, std::string_view(buffer, format_datetime(cell.when, buffer)));
        return;
      }
      if (type == ColumnType::Text) {
        insert_.bind_text_static(index, std::string_view(buffer, format_date(cell.when.date, buffer)));
        return;
      }
      break;
    case SheetCellKind::Time:
      if (type == ColumnType::Text) {
        std::snprintf(buffer, 24, "%02d:%02d:%02d", cell.when.hour, cell.when.minute, cell.when.second);
        insert_.bind_text_static(index, std::string_view(buffer, 8));
        return;
      }
      break;
  }
  insert_.bind(index, nullptr);
  note(column, cell_display_text(cell), row, col, false);
}

Status SheetRowWriter::write(std::int64_t row, std::span<const SheetCell> cells) {
  const auto& columns = *columns_;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    const std::size_t col = static_cast<std::size_t>(first_col_) + i;
    if (col < cells.size()) {
      bind_cell(index, columns[i], cells[col], row, static_cast<std::int64_t>(col));
    } else {
      insert_.bind(index, nullptr);
    }
  }
  auto s = insert_.run();
  if (!s) return make_error("row " + std::to_string(row + 1) + ": " + s.error().message);
  ++report_->rows;
  return {};
}

}  // namespace tally::data
