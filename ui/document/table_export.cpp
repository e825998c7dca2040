#include "ui/document/table_export.h"

#include <QFileInfo>
#include <QLocale>
#include <QMetaObject>

#include "tally/data/database.h"

namespace tally::ui {

TableExport::~TableExport() {
  cancel_ = true;
  wait();
}

void TableExport::wait() {
  if (worker_.joinable()) worker_.join();
}

bool TableExport::startDataset(const QString& storePath, qint64 datasetId,
                               const tally::data::DatasetSelection& selection, const QString& path,
                               tally::data::ExportOptions options) {
  const std::string store = storePath.toStdString();
  const std::string out = path.toStdString();
  return start(
      [store, datasetId, selection, out](const tally::data::ExportOptions& o)
          -> tally::data::Result<tally::data::ExportOutcome> {
        tally::data::OpenOptions ro;
        ro.read_only = true;  // an export never writes the store, and the filter's SQL cannot either
        auto db = tally::data::Database::open(store, ro);
        if (!db) return db.error();
        return tally::data::export_dataset(*db, datasetId, out, o, selection);
      },
      path, std::move(options));
}

bool TableExport::startTable(tally::data::ExportTable table, const QString& path,
                             tally::data::ExportOptions options) {
  const std::string out = path.toStdString();
  return start(
      [table = std::move(table), out](const tally::data::ExportOptions& o) {
        return tally::data::export_table(table, out, o);
      },
      path, std::move(options));
}

bool TableExport::start(
    std::function<tally::data::Result<tally::data::ExportOutcome>(const tally::data::ExportOptions&)> job,
    const QString& path, tally::data::ExportOptions options) {
  if (running_) return false;
  wait();
  running_ = true;
  cancel_ = false;
  options.cancel = &cancel_;
  options.on_progress = [this](const tally::data::ExportProgress& p) {
    const qint64 done = p.rows_done, total = p.rows_total;
    QMetaObject::invokeMethod(this, [this, done, total] { emit progress(done, total); }, Qt::QueuedConnection);
  };
  const QString name = QFileInfo(path).fileName();
  worker_ = std::thread([this, job = std::move(job), options, name] {
    auto r = job(options);
    bool ok = false;
    QString message;
    if (!r) {
      message = QString::fromStdString(r.error().message);
    } else if (r->cancelled) {
      message = tr("Export cancelled; %1 was not written.").arg(name);
    } else {
      ok = true;
      message = tr("Exported %1 rows to %2.").arg(QLocale().toString(r->rows), name);
      if (r->sheet_names.size() > 1)
        message += QLatin1Char(' ') + tr("Excel holds %1 rows a sheet, so the rows go on over %2 sheets.")
                                          .arg(QLocale().toString(tally::data::kExcelMaxRows))
                                          .arg(r->sheet_names.size());
    }
    QMetaObject::invokeMethod(this, [this, ok, message] { done(ok, message); }, Qt::QueuedConnection);
  });
  return true;
}

void TableExport::done(bool ok, const QString& message) {
  wait();
  running_ = false;
  emit finished(ok, message);
}

QString excel_file_filter() { return TableExport::tr("Excel workbook (*.xlsx)"); }
QString csv_file_filter() { return TableExport::tr("CSV, UTF-8 for Excel (*.csv)"); }

}  // namespace tally::ui
