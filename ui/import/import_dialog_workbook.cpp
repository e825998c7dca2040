// The import dialog for Excel workbooks: the preview of the current sheet through WorkbookImporter::preview, and
// the import of every checked sheet (one dataset each) on the dialog's worker thread.
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>

#include "tally/data/store.h"
#include "tally/data/workbook_import.h"
#include "ui/import/import_dialog.h"
#include "ui/import/workbook_sheet_picker.h"

namespace tally::ui {

namespace {
enum FinishStatus { kImported = 0, kAlreadyImported = 1, kCancelled = 2, kFailed = 3 };
QString qs(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

void ImportDialog::refreshWorkbookPreview() {
  tally::data::WorkbookImportOptions options;
  if (picker_->hasSheets() && picker_->currentSheet() >= 0)
    options.sheet_index = static_cast<std::size_t>(picker_->currentSheet());
  options.header_row = picker_->headerRow();
  bool rangeOk = true;
  options.range = picker_->range(&rangeOk);
  if (!rangeOk) {
    status_->setText(tr("\"%1\" is not a cell range: write it like A3:H200.").arg(picker_->rangeEdit()->text()));
    importButton_->setEnabled(false);
    return;
  }
  auto preview = tally::data::WorkbookImporter::preview(filePath_.toStdString(), options, 100);
  preview_->clear();
  if (!preview) {
    preview_->setRowCount(0);
    preview_->setColumnCount(0);
    detected_->clear();
    status_->setText(tr("Cannot read this workbook: %1").arg(qs(preview.error().message)));
    importButton_->setEnabled(false);
    return;
  }
  const auto& p = *preview;
  if (!picker_->hasSheets()) {
    picker_->setSheets(p.sheets);
    // setSheets picks the first visible sheet with cells; preview that one if the importer chose another.
    if (picker_->currentSheet() >= 0 && static_cast<std::size_t>(picker_->currentSheet()) != p.sheet_index) {
      refreshWorkbookPreview();
      return;
    }
  }
  picker_->setDetectedHeaderRow(p.header_row);
  const QString sheet = picker_->sheetName(static_cast<int>(p.sheet_index));
  detected_->setText(p.header_row > 0 ? tr("sheet %1 · header in row %2 · cells %3")
                                            .arg(sheet)
                                            .arg(p.header_row)
                                            .arg(qs(p.used.to_string()))
                                      : tr("sheet %1 · no header row · cells %2").arg(sheet, qs(p.used.to_string())));
  showPreviewRows(p.columns, p.rows);
  const auto checked = picker_->checkedSheets();
  importButton_->setEnabled(!running_ && !checked.empty());
  status_->setText(checked.empty() ? tr("Check the sheets to import.")
                                   : tr("Showing the first %n row(s) of the sheet.", nullptr,
                                        static_cast<int>(p.rows.size())) +
                                         QLatin1Char(' ') + tr("Sheets to import: %1").arg(checked.size()));
}

void ImportDialog::startWorkbookImport(const QString& name) {
  const std::vector<int> sheets = picker_->checkedSheets();
  if (sheets.empty()) {
    status_->setText(tr("Check the sheets to import."));
    return;
  }
  struct Job {
    tally::data::WorkbookImportOptions options;
    QString sheet;
  };
  std::vector<Job> jobs;
  bool rangeOk = true;
  const auto range = picker_->range(&rangeOk);
  for (int index : sheets) {
    Job job;
    job.sheet = picker_->sheetName(index);
    job.options.sheet_index = static_cast<std::size_t>(index);
    // The header row, range and column types were chosen while looking at the current sheet: they apply to it only.
    if (index == picker_->currentSheet()) {
      job.options.header_row = picker_->headerRow();
      if (rangeOk) job.options.range = range;
      job.options.column_types = chosenColumnTypes();
    }
    const QString base = name.isEmpty() ? QFileInfo(filePath_).completeBaseName() : name;
    job.options.dataset_name = (sheets.size() == 1 ? base : tr("%1 - %2").arg(base, job.sheet)).toStdString();
    job.options.force = forceNext_;
    job.options.cancel = &cancel_;
    jobs.push_back(std::move(job));
  }
  cancel_ = false;
  running_ = true;
  importedIds_.clear();
  setControlsEnabled(false);
  report_->hide();
  progress_->setValue(0);
  progress_->show();
  status_->setText(tr("Importing…"));
  cancelButton_->setText(tr("Cancel"));

  const std::string store = storePath_.toStdString();
  const std::string path = filePath_.toStdString();
  worker_ = std::thread([this, store, path, jobs = std::move(jobs)]() mutable {
    int status = kImported;
    std::vector<qint64> ids;
    QStringList messages, reports;
    std::int64_t rows = 0;
    auto s = tally::data::Store::open(store);
    if (!s) {
      status = kFailed;
      messages << tr("Cannot open the store: %1").arg(qs(s.error().message));
    }
    for (std::size_t i = 0; s && i < jobs.size() && status == kImported; ++i) {
      auto& job = jobs[i];
      int lastPermille = -1;
      const std::size_t n = jobs.size();
      job.options.on_progress = [this, &lastPermille, i, n](const tally::data::ImportProgress& p) {
        if (p.bytes_total == 0) return;
        const double part = static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total);
        const int permille = static_cast<int>(1000.0 * (static_cast<double>(i) + part) / static_cast<double>(n));
        if (permille == lastPermille) return;
        lastPermille = permille;
        QMetaObject::invokeMethod(this, [this, permille] { onProgress(permille); }, Qt::QueuedConnection);
      };
      tally::data::WorkbookImporter importer(*s);
      auto outcome = importer.import_sheet(path, job.options);
      if (!outcome) {
        status = kFailed;
        messages << tr("Sheet %1: %2").arg(job.sheet, qs(outcome.error().message));
        break;
      }
      switch (outcome->status) {
        case tally::data::ImportStatus::Imported: {
          ids.push_back(outcome->dataset_id);
          rows += outcome->report.rows;
          const auto& r = outcome->report;
          if (r.ragged_total > 0 || r.unparsed_total > 0) reports << tr("Sheet %1:").arg(job.sheet) << import_report_text(*outcome);
          break;
        }
        case tally::data::ImportStatus::AlreadyImported:
          ids.push_back(outcome->dataset_id);
          messages << tr("Sheet %1 was imported before as \"%2\".").arg(job.sheet, qs(outcome->dataset_name));
          break;
        case tally::data::ImportStatus::Cancelled:
          status = kCancelled;
          messages << tr("Import cancelled; the sheet being imported was not written.");
          break;
      }
    }
    if (status == kImported)
      messages.prepend(tr("Imported %1 rows from %n sheet(s).", nullptr, static_cast<int>(ids.size())).arg(rows));
    const qint64 last = ids.empty() ? 0 : ids.back();
    const QString message = messages.join(QLatin1Char('\n'));
    const QString report = reports.join(QLatin1Char('\n'));
    QMetaObject::invokeMethod(
        this,
        [this, status, ids, last, message, report] {
          importedIds_ = ids;
          // Every sheet's dataset is announced (onFinished announces the last one of a complete import); sheets
          // imported before a later one failed or was cancelled stay imported.
          for (qint64 id : ids)
            if (status != kImported || id != last) emit datasetImported(id);
          onFinished(status, last, message, report);
        },
        Qt::QueuedConnection);
  });
}

}  // namespace tally::ui
