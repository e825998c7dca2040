#pragma once
// Runs one export (tally/data/export.h) on a background thread with its own read-only connection, reporting
// progress and the outcome back on the UI thread. The document pane and the chart pane start exports through it.
#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <thread>

#include "tally/data/export.h"

namespace tally::ui {

class TableExport : public QObject {
  Q_OBJECT
 public:
  explicit TableExport(QObject* parent = nullptr) : QObject(parent) {}
  ~TableExport() override;

  // A dataset of the store at `storePath`, with the rows `selection` picks (the pane's filter and sort).
  bool startDataset(const QString& storePath, qint64 datasetId, const tally::data::DatasetSelection& selection,
                    const QString& path, tally::data::ExportOptions options);
  // An in-memory table (a tool result's rows, a chart's series).
  bool startTable(tally::data::ExportTable table, const QString& path, tally::data::ExportOptions options);
  bool running() const { return running_; }
  void cancel() { cancel_ = true; }
  // Blocks until the running export ends (destruction, tests).
  void wait();

 signals:
  void progress(qint64 rowsDone, qint64 rowsTotal);
  // `message` says what was written ("Exported 1,204 rows to sales.xlsx"), or why nothing was.
  void finished(bool ok, const QString& message);

 private:
  bool start(std::function<tally::data::Result<tally::data::ExportOutcome>(const tally::data::ExportOptions&)> job,
             const QString& path, tally::data::ExportOptions options);
  void done(bool ok, const QString& message);

  std::thread worker_;
  std::atomic<bool> cancel_{false};
  bool running_ = false;
};

// The pane's file-dialog filters for each format, and the format a chosen path will be written in.
QString excel_file_filter();
QString csv_file_filter();

}  // namespace tally::ui
