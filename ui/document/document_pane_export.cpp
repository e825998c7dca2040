// The document pane's export: what is shown goes to .xlsx or CSV on a background thread (TableExport).
#include <QFileDialog>
#include <QRegularExpression>
#include <QFileInfo>
#include <QStandardPaths>
#include <QToolButton>

#include "ui/document/dataset_table_model.h"
#include "ui/document/document_pane.h"
#include "ui/document/table_export.h"

namespace tally::ui {

namespace {

tally::data::ExportBind to_bind(const QVariant& v) {
  if (v.isNull() || !v.isValid()) return nullptr;
  switch (v.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::Bool: return static_cast<std::int64_t>(v.toLongLong());
    case QMetaType::Double:
    case QMetaType::Float: return v.toDouble();
    default: return v.toString().toStdString();
  }
}

}  // namespace

QString DocumentPane::exportBaseName() const {
  QString name = datasetId_ != 0 && resultJson_.isEmpty() ? model_->datasetName() : resultTitle_;
  name.replace(QRegularExpression(QStringLiteral("[\\\\/:*?\"<>|]")), QStringLiteral("_"));
  return name.trimmed().isEmpty() ? tr("export") : name.trimmed();
}

bool DocumentPane::exportShown(const QString& path) {
  if (export_->running()) return false;
  tally::data::ExportOptions options;
  bool started = false;
  if (!resultJson_.isEmpty()) {
    const auto envelope = nlohmann::json::parse(resultJson_.toStdString(), nullptr, false);
    auto table = tally::data::table_from_tool_result(envelope, resultTitle_.toStdString());
    if (!table) {
      emit statusMessage(tr("Nothing to export: %1").arg(QString::fromStdString(table.error().message)));
      emit exportFinished(false, QString::fromStdString(table.error().message));
      return false;
    }
    started = export_->startTable(std::move(*table), path, options);
  } else if (datasetId_ != 0) {
    // The rows the view shows: its filter (the WHERE fragment already checked read-only) and its sort.
    tally::data::DatasetSelection selection;
    selection.where = model_->filter().where;
    for (const QVariant& v : model_->filter().binds) selection.binds.push_back(to_bind(v));
    const int sort = model_->sortColumn();
    if (sort >= 0 && sort < static_cast<int>(model_->columns().size())) {
      selection.order_by_column = model_->columns()[static_cast<std::size_t>(sort)].sqlName;
      selection.descending = model_->sortOrder() == Qt::DescendingOrder;
    }
    options.sheet_name = model_->datasetName().toStdString();
    started = export_->startDataset(storePath_, datasetId_, selection, path, options);
  }
  if (started) {
    exportButton_->setEnabled(false);
    emit statusMessage(tr("Exporting to %1…").arg(QFileInfo(path).fileName()));
  }
  return started;
}

void DocumentPane::chooseExportFile(bool excel) {
  const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  const QString suffix = excel ? QStringLiteral(".xlsx") : QStringLiteral(".csv");
  QString path = QFileDialog::getSaveFileName(this, excel ? tr("Export to Excel") : tr("Export to CSV"),
                                              dir + QLatin1Char('/') + exportBaseName() + suffix,
                                              excel ? excel_file_filter() : csv_file_filter());
  if (path.isEmpty()) return;
  if (!path.endsWith(suffix, Qt::CaseInsensitive)) path += suffix;
  exportInteractive_ = true;
  if (!exportShown(path)) exportInteractive_ = false;
}

}  // namespace tally::ui
