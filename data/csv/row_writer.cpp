#include "row_writer.h"

namespace tally::data {

const char* storage_type(ColumnType type) {
  switch (type) {
    case ColumnType::Integer:
    case ColumnType::Boolean: return "INTEGER";
    case ColumnType::Decimal:
    case ColumnType::Percent:
    case ColumnType::Currency: return "REAL";
    default: return "TEXT";
  }
}

Result<Statement> create_rows_table(const Database& db, const std::string& table, const std::vector<CsvColumn>& columns) {
  std::string create = "CREATE TABLE " + quote_identifier(table) + " (";
  std::string insert = "INSERT INTO " + quote_identifier(table) + " VALUES (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) {
      create += ", ";
      insert += ", ";
    }
    create += quote_identifier(columns[i].sql_name) + " " + storage_type(columns[i].type);
    insert += '?';
    insert += std::to_string(i + 1);
  }
  create += ")";
  insert += ")";
  if (auto s = db.exec(create); !s) return s.error();
  return db.prepare(insert);
}

Result<RowWriter> RowWriter::create(const Database& db, const std::string& table,
                                    const std::vector<CsvColumn>& columns, ImportReport& report) {
  auto stmt = create_rows_table(db, table, columns);
  if (!stmt) return stmt.error();
  return RowWriter(std::move(*stmt), columns, report);
}

void RowWriter::note_unparsed(const CsvColumn& column, std::string_view cell, std::int64_t line) {
  ++report_->unparsed_total;
  if (report_->unparsed_cells.size() < ImportReport::kMaxListed) {
    report_->unparsed_cells.push_back(UnparsedCell{line, column.name, std::string(cell)});
  }
}

void RowWriter::bind_cell(int index, const CsvColumn& column, std::string_view cell, std::int64_t line) {
  if (cell.empty()) {
    insert_.bind(index, nullptr);
    return;
  }
  if (column.type == ColumnType::Text) {
    insert_.bind_text_static(index, cell);  // exactly as in the file: spaces and line breaks included
    return;
  }
  const std::string_view trimmed = trim_spaces(cell);
  if (trimmed.empty()) {
    insert_.bind(index, nullptr);
    return;
  }
  char* buffer = buffers_[static_cast<std::size_t>(index - 1)].data();
  switch (column.type) {
    case ColumnType::Integer: {
      auto n = parse_number(trimmed);
      if (n && n->integral && n->unit.empty() && !n->leading_zero) {
        insert_.bind(index, n->integer);
        return;
      }
      break;
    }
    case ColumnType::Decimal:
    case ColumnType::Percent:
    case ColumnType::Currency: {
      auto n = parse_number(trimmed);
      const bool unit_ok = n && (n->unit.empty() || (column.type != ColumnType::Decimal && n->unit == column.unit));
      if (unit_ok && !n->leading_zero) {
        insert_.bind(index, n->value);
        return;
      }
      break;
    }
    case ColumnType::Boolean:
      if (auto b = parse_boolean(trimmed)) {
        insert_.bind(index, std::int64_t{*b ? 1 : 0});
        return;
      }
      break;
    case ColumnType::Date:
      if (auto d = parse_date(trimmed, column.day_first)) {
        insert_.bind_text_static(index, std::string_view(buffer, format_date(*d, buffer)));
        return;
      }
      break;
    case ColumnType::Month:
      if (auto d = parse_month(trimmed)) {
        insert_.bind_text_static(index, std::string_view(buffer, format_month(*d, buffer)));
        return;
      }
      break;
    case ColumnType::DateTime:
      if (auto t = parse_datetime(trimmed, column.day_first)) {
        insert_.bind_text_static(index, std::string_view(buffer, format_datetime(*t, buffer)));
        return;
      }
      if (auto d = parse_date(trimmed, column.day_first)) {  // a bare date in a datetime column is midnight
        insert_.bind_text_static(index, std::string_view(buffer, format_datetime(DateTimeParts{*d, 0, 0, 0}, buffer)));
        return;
      }
      break;
    case ColumnType::Text: break;
  }
  insert_.bind(index, nullptr);
  note_unparsed(column, cell, line);
}

Status RowWriter::write(const CsvRecord& record) {
  const auto& columns = *columns_;
  if (record.size() != columns.size()) {
    ++report_->ragged_total;
    if (report_->ragged_rows.size() < ImportReport::kMaxListed) {
      report_->ragged_rows.push_back(RaggedRow{record.line(), record.size(), columns.size()});
    }
  }
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    if (i < record.size()) {
      bind_cell(index, columns[i], record[i], record.line());
    } else {
      insert_.bind(index, nullptr);
    }
  }
  auto s = insert_.run();
  if (!s) return make_error("line " + std::to_string(record.line()) + ": " + s.error().message);
  ++report_->rows;
  return {};
}

}  // namespace tally::data
