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
#include "ui/import/import_run.h"
#include "ui/import/workbook_sheet_picker.h"

namespace tally::ui {

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
    showPreviewFailure(tr("Cannot read this workbook: %1").arg(qs(preview.error().message)));
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
  const std::string path = filePath_.toStdString();
  runImport([this, path, jobs = std::move(jobs)](tally::data::Store& store) mutable {
    ImportRunResult result;
    result.status = kImported;
    QStringList messages, reports;
    std::int64_t rows = 0;
    for (std::size_t i = 0; i < jobs.size() && result.status == kImported; ++i) {
      auto& job = jobs[i];
      job.options.on_progress = post_import_progress(this, [this](int permille) { onProgress(permille); }, i, jobs.size());
      tally::data::WorkbookImporter importer(store);
      auto outcome = importer.import_sheet(path, job.options);
      if (!outcome) {
        result.status = kFailed;
        messages << tr("Sheet %1: %2").arg(job.sheet, qs(outcome.error().message));
        break;
      }
      switch (outcome->status) {
        case tally::data::ImportStatus::Imported: {
          result.datasetIds.push_back(outcome->dataset_id);
          rows += outcome->report.rows;
          const auto& r = outcome->report;
          if (r.ragged_total > 0 || r.unparsed_total > 0) reports << tr("Sheet %1:").arg(job.sheet) << import_report_text(*outcome);
          break;
        }
        case tally::data::ImportStatus::AlreadyImported:
          result.datasetIds.push_back(outcome->dataset_id);
          messages << tr("Sheet %1 was imported before as \"%2\".").arg(job.sheet, qs(outcome->dataset_name));
          break;
        case tally::data::ImportStatus::Cancelled:
          result.status = kCancelled;
          messages << tr("Import cancelled; the sheet being imported was not written.");
          break;
      }
    }
    if (result.status == kImported)
      messages.prepend(tr("Imported %1 rows from %n sheet(s).", nullptr, static_cast<int>(result.datasetIds.size())).arg(rows));
    result.datasetId = result.datasetIds.empty() ? 0 : result.datasetIds.back();
    result.message = messages.join(QLatin1Char('\n'));
    result.report = reports.join(QLatin1Char('\n'));
    return result;
  });
}

}  // namespace tally::ui
