#pragma once
// The statistics panel's numbers for one column: count, empty cells, distinct values, min/max and (for numbers)
// mean, over the rows the current filter shows. One aggregate query on a connection of its own, so it can run off
// the UI thread while the table keeps scrolling.
#include <QString>
#include <QVariant>
#include <optional>
#include <string>

#include "ui/document/dataset_table_model.h"

namespace tally::ui {

struct ColumnStatistics {
  bool ok = false;
  QString error;
  qint64 count = 0;     // non-empty cells
  qint64 nulls = 0;     // empty cells
  qint64 distinct = 0;  // distinct non-empty values
  QVariant min, max;
  std::optional<double> mean;
  std::optional<double> sum;
};

ColumnStatistics compute_column_statistics(const QString& storePath, const std::string& table,
                                           const DatasetColumnInfo& column, const RowFilter& filter);
// The panel text: one "label: value" line per statistic, numbers formatted with the column's unit.
QString describe_statistics(const ColumnStatistics& s, const DatasetColumnInfo& column);

}  // namespace tally::ui
