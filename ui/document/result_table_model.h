#pragma once
// A tool result's rows as a read-only table: sql_query's columns and rows, or the first list of records another
// tool returned (compare_groups' groups, anomalies' anomalies...), each record's keys becoming columns.
#include <QAbstractTableModel>
#include <QStringList>
#include <QVariant>
#include <vector>

#include <nlohmann/json.hpp>

namespace tally::ui {

class ResultTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;

  // Returns false when `result` holds no table (the pane then shows the JSON as text).
  bool setResult(const nlohmann::json& result);
  void clear();

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  const QStringList& columns() const { return columns_; }

 private:
  QStringList columns_;
  std::vector<std::vector<QVariant>> rows_;
};

// A JSON value as a table cell: numbers stay numbers (right-aligned, grouped), nested values become their JSON.
QVariant json_cell(const nlohmann::json& v);

}  // namespace tally::ui
