#pragma once
// Importing a CSV file: a live preview of the first rows with the detected encoding, delimiter, header and column
// types (each overridable, re-previewed on change), a dataset name, and the import itself on a background thread
// with progress and Cancel. The import report (ragged rows, unparsed cells with line numbers) is shown plainly, and
// a file imported before (same bytes) is offered as "open the existing dataset". Excel workbooks (.xlsx, .xlsm,
// .xls) get a sheet list, header row and cell range instead of the encoding/delimiter/header choices; each checked
// sheet becomes its own dataset.
#include <QDialog>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "tally/data/csv_import.h"
#include "ui/import/import_run.h"

class QComboBox;
class QLineEdit;
class QLabel;
class QTableWidget;
class QProgressBar;
class QPushButton;
class QPlainTextEdit;
class QCheckBox;
class QFormLayout;

namespace tally::ui {

class WorkbookSheetPicker;

class ImportDialog : public QDialog {
  Q_OBJECT
 public:
  ImportDialog(const QString& storePath, const QString& filePath, QWidget* parent = nullptr);
  ~ImportDialog() override;

  // The imported dataset, or the existing one the user chose to open; 0 when none.
  qint64 importedDatasetId() const { return datasetId_; }
  // Escape or the window's close button while importing cancels the import instead of abandoning it.
  void reject() override;

  // For tests: the controls.
  QPushButton* importButton() const { return importButton_; }
  QPushButton* cancelButton() const { return cancelButton_; }
  QPushButton* openExistingButton() const { return openExisting_; }
  QComboBox* encodingBox() const { return encoding_; }
  QComboBox* delimiterBox() const { return delimiter_; }
  QComboBox* headerBox() const { return header_; }
  QLineEdit* nameEdit() const { return name_; }
  QTableWidget* previewTable() const { return preview_; }
  QComboBox* typeBox(int column) const;  // the type chosen for preview column `column`
  QProgressBar* progressBar() const { return progress_; }
  QString reportText() const;
  bool importRunning() const { return running_; }
  bool isWorkbook() const { return workbook_; }
  WorkbookSheetPicker* sheetPicker() const { return picker_; }
  // Every dataset the last import made (one per checked sheet of a workbook).
  const std::vector<qint64>& importedDatasetIds() const { return importedIds_; }

 signals:
  void datasetImported(qint64 datasetId);

 private slots:
  void refreshPreview();
  void startImport();
  void cancelOrClose();
  void onProgress(int permille);
  void onFinished(int status, qint64 datasetId, const QString& message, const QString& report);
  void refreshWorkbookPreview();

 private:
  void buildUi();
  void joinWorker();
  void checkAlreadyImported();
  void setControlsEnabled(bool enabled);
  void fillColumnTypes(const std::vector<tally::data::CsvColumn>& columns);
  // A file or sheet that cannot be previewed: an empty preview, the reason, and no Import.
  void showPreviewFailure(const QString& message);
  void showPreviewRows(const std::vector<tally::data::CsvColumn>& columns,
                       const std::vector<std::vector<std::string>>& rows);
  void startWorkbookImport(const QString& name);
  // Runs `job` on the worker thread with its own store connection (progress shown, controls disabled, Cancel
  // live), then hands its result to onFinished on this thread.
  void runImport(std::function<ImportRunResult(tally::data::Store&)> job);
  std::vector<std::optional<tally::data::ColumnType>> chosenColumnTypes() const;

  QString storePath_;
  QString filePath_;
  qint64 datasetId_ = 0;
  qint64 existingId_ = 0;
  bool running_ = false;
  bool forceNext_ = false;   // the user chose "Import again" for a file imported before
  bool finishedWithReport_ = false;  // imported with problems listed: the Import button now closes
  std::atomic<bool> cancel_{false};
  std::thread worker_;
  bool workbook_ = false;
  WorkbookSheetPicker* picker_ = nullptr;
  QFormLayout* form_ = nullptr;
  std::vector<qint64> importedIds_;

  QComboBox* encoding_ = nullptr;
  QComboBox* delimiter_ = nullptr;
  QComboBox* header_ = nullptr;
  QLineEdit* name_ = nullptr;
  QLabel* detected_ = nullptr;
  QTableWidget* preview_ = nullptr;
  QTableWidget* types_ = nullptr;
  std::vector<tally::data::ColumnType> inferred_;
  QLabel* status_ = nullptr;
  QPlainTextEdit* report_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* importButton_ = nullptr;
  QPushButton* cancelButton_ = nullptr;
  QPushButton* openExisting_ = nullptr;
};

// The import report in words (rows, and each problem with its line or cell), as the dialog shows it.
QString import_report_text(const tally::data::ImportOutcome& outcome);

}  // namespace tally::ui
