// The three sources of an export: a dataset's table (streamed by one SELECT), a read-only query, an in-memory
// table. Each turns its rows into SinkCells and hands them to an ExportRun.
#include <sqlite3.h>

#include <map>
#include <string>
#include <vector>

#include "export/table_sink.h"

namespace tally::data {
namespace {

using exporting::ExportRun;
using exporting::SinkCell;

ColumnType type_from_name(std::string_view name) {
  static const std::pair<const char*, ColumnType> kTypes[] = {
      {"integer", ColumnType::Integer}, {"decimal", ColumnType::Decimal},   {"percent", ColumnType::Percent},
      {"currency", ColumnType::Currency}, {"boolean", ColumnType::Boolean}, {"date", ColumnType::Date},
      {"month", ColumnType::Month},     {"datetime", ColumnType::DateTime}};
  for (const auto& [n, t] : kTypes)
    if (name == n) return t;
  return ColumnType::Text;
}

SinkCell stored_cell(sqlite3_stmt* st, int i) {
  SinkCell cell;
  switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
      cell.kind = SinkCell::Kind::Integer;
      cell.integer = sqlite3_column_int64(st, i);
      break;
    case SQLITE_FLOAT:
      cell.kind = SinkCell::Kind::Real;
      cell.real = sqlite3_column_double(st, i);
      break;
    case SQLITE_TEXT:
    case SQLITE_BLOB: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
      cell.kind = SinkCell::Kind::Text;
      cell.text = std::string_view(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, i)));
      break;
    }
    default:
      break;
  }
  return cell;
}

// Streams every row of a prepared statement into the run.
Result<ExportOutcome> stream(Statement& st, ExportRun& run, std::size_t ncols) {
  std::vector<SinkCell> cells(ncols);
  for (;;) {
    auto more = st.step();
    if (!more) {
      run.fail();
      return more.error();
    }
    if (!*more) break;
    for (std::size_t i = 0; i < ncols; ++i) cells[i] = stored_cell(st.handle(), static_cast<int>(i));
    auto go = run.row(cells);
    if (!go) return go.error();
    if (!*go) break;
  }
  return run.finish();
}

struct DatasetShape {
  std::string name;
  std::string table;
  std::int64_t rows = 0;
  std::vector<ExportColumn> columns;
  std::vector<std::string> sql_names;
};

Result<DatasetShape> dataset_shape(const Database& db, std::int64_t id) {
  auto q = db.prepare("SELECT name, table_name, row_count FROM datasets WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id);
  auto found = q->step();
  if (!found) return found.error();
  if (!*found) return make_error("no dataset with id " + std::to_string(id));
  DatasetShape shape{q->column_text(0), q->column_text(1), q->column_int64(2), {}, {}};
  auto cols = db.prepare("SELECT name, sql_name, type, unit FROM dataset_columns WHERE dataset_id = ?1 ORDER BY ordinal");
  if (!cols) return cols.error();
  cols->bind(1, id);
  for (;;) {
    auto more = cols->step();
    if (!more) return more.error();
    if (!*more) break;
    shape.columns.push_back({cols->column_text(0), type_from_name(cols->column_text(2)), cols->column_text(3), false});
    shape.sql_names.push_back(cols->column_text(1));
  }
  if (shape.columns.empty()) return make_error("dataset '" + shape.name + "' has no columns");
  return shape;
}

void bind_value(Statement& st, int index, const ExportBind& b) {
  std::visit([&](const auto& v) { st.bind(index, v); }, b);
}

}  // namespace

Result<ExportOutcome> export_dataset(const Database& db, std::int64_t dataset_id, const std::string& path,
                                     const ExportOptions& options, const DatasetSelection& selection) {
  auto shape = dataset_shape(db, dataset_id);
  if (!shape) return shape.error();
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < shape->sql_names.size(); ++i)
    sql += (i ? ", " : "") + quote_identifier(shape->sql_names[i]);
  sql += " FROM " + quote_identifier(shape->table);
  if (!selection.where.empty()) sql += " WHERE (" + selection.where + ")";
  sql += " ORDER BY ";
  if (!selection.order_by_column.empty()) {
    bool known = false;
    for (const auto& n : shape->sql_names) known = known || n == selection.order_by_column;
    if (!known) return make_error("dataset '" + shape->name + "' has no column '" + selection.order_by_column + "'");
    sql += quote_identifier(selection.order_by_column) + (selection.descending ? " DESC, " : " ASC, ");
  }
  sql += "rowid";
  auto st = db.prepare(sql);
  if (!st) return make_error("dataset '" + shape->name + "': " + st.error().message);
  if (!sqlite3_stmt_readonly(st->handle())) return make_error("the export filter must only read");
  for (std::size_t i = 0; i < selection.binds.size(); ++i) bind_value(*st, static_cast<int>(i + 1), selection.binds[i]);

  ExportRun run(path, options, selection.where.empty() ? shape->rows : -1);
  if (auto b = run.begin(shape->columns, options.sheet_name.empty() ? shape->name : options.sheet_name); !b)
    return b.error();
  return stream(*st, run, shape->columns.size());
}

Result<ExportOutcome> export_query(const Database& db, std::string_view sql, const std::string& path,
                                   const ExportOptions& options) {
  auto st = db.prepare(sql);
  if (!st) return st.error();
  if (!sqlite3_stmt_readonly(st->handle())) return make_error("only a read-only query (SELECT) can be exported");
  const int n = st->column_count();
  if (n == 0) return make_error("the statement returns no columns");

  // A column taken straight from a dataset's table keeps that column's type (dates stay dates in Excel).
  std::map<std::pair<std::string, std::string>, ExportColumn> typed;
  if (auto all = db.prepare("SELECT d.table_name, c.sql_name, c.type, c.unit FROM dataset_columns c "
                            "JOIN datasets d ON d.id = c.dataset_id")) {
    for (auto more = all->step(); more && *more; more = all->step())
      typed[{all->column_text(0), all->column_text(1)}] =
          ExportColumn{"", type_from_name(all->column_text(2)), all->column_text(3), false};
  }
  std::vector<ExportColumn> columns;
  for (int i = 0; i < n; ++i) {
    ExportColumn col{st->column_name(i), ColumnType::Text, "", true};
    const char* table = sqlite3_column_table_name(st->handle(), i);
    const char* origin = sqlite3_column_origin_name(st->handle(), i);
    if (table && origin) {
      if (auto it = typed.find({table, origin}); it != typed.end()) {
        col.type = it->second.type;
        col.unit = it->second.unit;
        col.by_value = false;
      }
    }
    columns.push_back(std::move(col));
  }
  ExportRun run(path, options, -1);
  if (auto b = run.begin(columns, options.sheet_name.empty() ? "Query" : options.sheet_name); !b) return b.error();
  return stream(*st, run, columns.size());
}

Result<ExportOutcome> export_table(const ExportTable& table, const std::string& path, const ExportOptions& options) {
  ExportRun run(path, options, static_cast<std::int64_t>(table.rows.size()));
  const std::string sheet = !options.sheet_name.empty() ? options.sheet_name : table.name.empty() ? "Result" : table.name;
  if (auto b = run.begin(table.columns, sheet); !b) return b.error();
  std::vector<SinkCell> cells(table.columns.size());
  std::vector<std::string> texts(table.columns.size());
  for (const auto& r : table.rows) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      SinkCell& cell = cells[i];
      cell = SinkCell{};
      if (i >= r.size()) continue;
      const nlohmann::json& v = r[i];
      if (v.is_boolean()) {
        cell.kind = SinkCell::Kind::Boolean;
        cell.integer = v.get<bool>() ? 1 : 0;
      } else if (v.is_number_integer() && !v.is_number_unsigned()) {
        cell.kind = SinkCell::Kind::Integer;
        cell.integer = v.get<std::int64_t>();
      } else if (v.is_number()) {
        cell.kind = SinkCell::Kind::Real;
        cell.real = v.get<double>();
      } else if (v.is_string()) {
        cell.kind = SinkCell::Kind::Text;
        cell.text = v.get_ref<const std::string&>();
      } else if (!v.is_null()) {
        texts[i] = v.dump();
        cell.kind = SinkCell::Kind::Text;
        cell.text = texts[i];
      }
    }
    auto go = run.row(cells);
    if (!go) return go.error();
    if (!*go) break;
  }
  return run.finish();
}

Result<ExportTable> table_from_tool_result(const nlohmann::json& result_in, std::string name) {
  const nlohmann::json* result = &result_in;
  if (result->is_object() && result->contains("ok") && result->contains("result")) result = &(*result)["result"];
  ExportTable table;
  table.name = std::move(name);
  if (!result->is_object()) return make_error("the tool result holds no table");
  auto cols = result->find("columns");
  auto rows = result->find("rows");
  if (cols != result->end() && cols->is_array() && rows != result->end() && rows->is_array()) {
    for (const auto& c : *cols) table.columns.push_back({c.is_string() ? c.get<std::string>() : c.dump(), ColumnType::Text, "", true});
    for (const auto& r : *rows) {
      std::vector<nlohmann::json> row(table.columns.size());
      if (r.is_array()) {
        for (std::size_t i = 0; i < r.size() && i < row.size(); ++i) row[i] = r[i];
      } else if (!row.empty()) {
        row[0] = r;
      }
      table.rows.push_back(std::move(row));
    }
    if (table.columns.empty()) return make_error("the tool result holds no table");
    return table;
  }
  // The first list of records is the tool's table (groups, anomalies, points...), its keys the columns.
  const nlohmann::json* list = nullptr;
  for (const auto& [key, value] : result->items()) {
    if (value.is_array() && !value.empty() && value.front().is_object()) {
      list = &value;
      break;
    }
  }
  if (!list) return make_error("the tool result holds no table");
  std::vector<std::string> keys;
  for (const auto& rec : *list)
    if (rec.is_object())
      for (const auto& [k, unused] : rec.items())
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  for (const auto& k : keys) table.columns.push_back({k, ColumnType::Text, "", true});
  for (const auto& rec : *list) {
    if (!rec.is_object()) continue;
    std::vector<nlohmann::json> row(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (auto it = rec.find(keys[i]); it != rec.end()) row[i] = *it;
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace tally::data
