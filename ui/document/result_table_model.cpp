#include "ui/document/result_table_model.h"

#include "ui/document/cell_format.h"

namespace tally::ui {

QVariant json_cell(const nlohmann::json& v) {
  if (v.is_null()) return QVariant();
  if (v.is_number_integer()) return QVariant(static_cast<qlonglong>(v.get<std::int64_t>()));
  if (v.is_number_unsigned()) return QVariant(static_cast<qlonglong>(v.get<std::uint64_t>()));
  if (v.is_number_float()) return QVariant(v.get<double>());
  if (v.is_string()) return QVariant(QString::fromStdString(v.get<std::string>()));
  if (v.is_boolean()) return QVariant(QString::fromLatin1(v.get<bool>() ? "true" : "false"));
  return QVariant(QString::fromStdString(v.dump()));
}

bool ResultTableModel::setResult(const nlohmann::json& result) {
  QStringList cols;
  std::vector<std::vector<QVariant>> rows;
  if (result.is_object() && result.contains("columns") && result["columns"].is_array() && result.contains("rows") &&
      result["rows"].is_array()) {
    for (const auto& c : result["columns"]) cols << QString::fromStdString(c.is_string() ? c.get<std::string>() : c.dump());
    for (const auto& r : result["rows"]) {
      std::vector<QVariant> row(static_cast<std::size_t>(cols.size()));
      if (r.is_array()) {
        for (std::size_t i = 0; i < r.size() && i < row.size(); ++i) row[i] = json_cell(r[i]);
      } else if (!row.empty()) {
        row[0] = json_cell(r);
      }
      rows.push_back(std::move(row));
    }
  } else if (result.is_object()) {
    // The first array of objects is the tool's table (groups, anomalies, points...).
    const nlohmann::json* list = nullptr;
    for (const auto& [key, value] : result.items()) {
      if (value.is_array() && !value.empty() && value.front().is_object()) {
        list = &value;
        break;
      }
    }
    if (!list) return false;
    std::vector<std::string> keys;
    for (const auto& rec : *list) {
      if (!rec.is_object()) continue;
      for (const auto& [k, unused] : rec.items()) {
        (void)unused;
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
      }
    }
    for (const auto& k : keys) cols << QString::fromStdString(k);
    for (const auto& rec : *list) {
      if (!rec.is_object()) continue;
      std::vector<QVariant> row(keys.size());
      for (std::size_t i = 0; i < keys.size(); ++i)
        if (auto it = rec.find(keys[i]); it != rec.end()) row[i] = json_cell(*it);
      rows.push_back(std::move(row));
    }
  } else {
    return false;
  }
  beginResetModel();
  columns_ = std::move(cols);
  rows_ = std::move(rows);
  endResetModel();
  return true;
}

void ResultTableModel::clear() {
  beginResetModel();
  columns_.clear();
  rows_.clear();
  endResetModel();
}

int ResultTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ResultTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : columns_.size(); }

QVariant ResultTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
  const QVariant& v = rows_[static_cast<std::size_t>(index.row())][static_cast<std::size_t>(index.column())];
  const bool number = v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Double;
  switch (role) {
    case Qt::DisplayRole: return format_cell(v, QString());
    case Qt::ToolTipRole: return v.isNull() ? QVariant() : QVariant(v.toString());
    case Qt::TextAlignmentRole:
      return QVariant::fromValue(number ? (Qt::AlignRight | Qt::AlignVCenter) : (Qt::AlignLeft | Qt::AlignVCenter));
    case Qt::UserRole + 1: return v;
    default: return {};
  }
}

QVariant ResultTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole) return {};
  if (orientation == Qt::Vertical) return section + 1;
  return section >= 0 && section < columns_.size() ? QVariant(columns_[section]) : QVariant();
}

}  // namespace tally::ui
