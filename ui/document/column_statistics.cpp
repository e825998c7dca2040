#include "ui/document/column_statistics.h"

#include <sqlite3.h>

#include <QCoreApplication>

#include "ui/document/cell_format.h"
#include "ui/document/sqlite_cell.h"

namespace tally::ui {

namespace {

QString tr_stats(const char* text) { return QCoreApplication::translate("tally::ui::DocumentPane", text); }

}  // namespace

ColumnStatistics compute_column_statistics(const QString& storePath, const std::string& table,
                                           const DatasetColumnInfo& column, const RowFilter& filter) {
  ColumnStatistics s;
  tally::data::OpenOptions options;
  options.read_only = true;
  auto db = tally::data::Database::open(storePath.toStdString(), options);
  if (!db) {
    s.error = QString::fromStdString(db.error().message);
    return s;
  }
  const std::string c = tally::data::quote_identifier(column.sqlName);
  std::string sql = "SELECT count(" + c + "), count(*) - count(" + c + "), count(DISTINCT " + c + "), min(" + c +
                    "), max(" + c + ")";
  if (column.numeric()) sql += ", avg(" + c + "), total(" + c + ")";
  sql += " FROM " + tally::data::quote_identifier(table);
  if (!filter.where.empty()) sql += " WHERE (" + filter.where + ")";
  auto st = db->prepare(sql);
  if (!st) {
    s.error = QString::fromStdString(st.error().message);
    return s;
  }
  for (std::size_t i = 0; i < filter.binds.size(); ++i) bind_variant(*st, static_cast<int>(i + 1), filter.binds[i]);
  auto r = st->step();
  if (!r || !*r) {
    s.error = r ? tr_stats("no result") : QString::fromStdString(r.error().message);
    return s;
  }
  s.count = st->column_int64(0);
  s.nulls = st->column_int64(1);
  s.distinct = st->column_int64(2);
  s.min = sqliteCell(st->handle(), 3);
  s.max = sqliteCell(st->handle(), 4);
  if (column.numeric() && s.count > 0) {
    s.mean = st->column_double(5);
    s.sum = st->column_double(6);
  }
  s.ok = true;
  return s;
}

QString describe_statistics(const ColumnStatistics& s, const DatasetColumnInfo& column) {
  if (!s.ok) return tr_stats("Statistics unavailable: %1").arg(s.error);
  const QLocale l = display_locale();
  QString unit = column.unit.isEmpty() || column.type == QLatin1String("percent") ? QString() : QLatin1Char(' ') + column.unit;
  QStringList lines;
  lines << QStringLiteral("<b>%1</b>").arg(title_with_unit(column.name, column.unit).toHtmlEscaped());
  lines << tr_stats("Type: %1").arg(column.type);
  lines << tr_stats("Count: %1").arg(l.toString(s.count));
  lines << tr_stats("Empty: %1").arg(l.toString(s.nulls));
  lines << tr_stats("Distinct: %1").arg(l.toString(s.distinct));
  if (s.count > 0) {
    lines << tr_stats("Min: %1").arg((format_cell(s.min, column.type) + unit).toHtmlEscaped());
    lines << tr_stats("Max: %1").arg((format_cell(s.max, column.type) + unit).toHtmlEscaped());
  }
  if (s.mean) {
    const QString pct = column.type == QLatin1String("percent") ? QStringLiteral("%") : QString();
    lines << tr_stats("Mean: %1").arg(format_number(*s.mean, 2) + pct + unit);
    lines << tr_stats("Sum: %1").arg(format_number(*s.sum, 2) + pct + unit);
  }
  return lines.join(QStringLiteral("<br>"));
}

}  // namespace tally::ui
