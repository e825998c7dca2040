#pragma once
// One SQLite result cell as a QVariant: NULL stays invalid (shown empty), integers and reals keep their type (the
// views format numbers), text comes as UTF-8.
#include <sqlite3.h>

#include <QString>
#include <QVariant>

namespace tally::ui {

inline QVariant sqliteCell(sqlite3_stmt* st, int col) {
  switch (sqlite3_column_type(st, col)) {
    case SQLITE_NULL: return QVariant();
    case SQLITE_INTEGER: return QVariant(static_cast<qlonglong>(sqlite3_column_int64(st, col)));
    case SQLITE_FLOAT: return QVariant(sqlite3_column_double(st, col));
    default: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
      return QVariant(QString::fromUtf8(p ? p : "", sqlite3_column_bytes(st, col)));
    }
  }
}

}  // namespace tally::ui
