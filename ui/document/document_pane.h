#pragma once
// The right-hand table view: a dataset of the user's store (paged lazily from SQLite so a million rows scroll
// smoothly), sortable by header click, filterable, with statistics of the selected column beside it; or the rows
// behind a tool result with the SQL that produced them. Reads through its own read-only connection on the UI thread.
#include <QString>
#include <QWidget>
#include <memory>
#include <vector>

class QLabel;
class QLineEdit;
class QComboBox;
class QPushButton;
class QTableView;
class QThread;
class QAction;
class QToolButton;

namespace tally::ui {

class DatasetTableModel;
class ResultTableModel;
class TableExport;

class DocumentPane : public QWidget {
  Q_OBJECT
 public:
  explicit DocumentPane(const QString& storePath, QWidget* parent = nullptr);
  ~DocumentPane() override;

  void showDataset(qint64 datasetId);
  // `resultJson`: a tool result envelope (see tally/data/tools.h); sql_query's columns/rows are shown as a table
  // and the envelope's provenance SQL above it. Other tools' results are shown as their JSON.
  void showToolResult(const QString& title, const QString& resultJson);

  // For tests and the main window.
  QTableView* tableView() const { return table_; }
  DatasetTableModel* datasetModel() const { return model_.get(); }
  qint64 currentDatasetId() const { return datasetId_; }
  // Applies a filter as the filter bar would: `op` is one of "contains", "=", "!=", ">", ">=", "<", "<=", "where"
  // (a WHERE fragment, checked read-only). Returns false and emits statusMessage on a bad filter.
  bool applyFilter(int column, const QString& op, const QString& value);
  void clearFilter();
  void sortByColumn(int column, Qt::SortOrder order);
  // The statistics panel's text for the selected column (computed on selection).
  QString statisticsText() const;
  void selectColumn(int column);

  // Export of what the pane shows: the dataset's rows as filtered and sorted in the view (the whole dataset when no
  // filter is set), or the tool result's table. The format follows the extension (.xlsx or .csv). Runs on a
  // background thread; exportFinished() reports the outcome. This is the testable path: it never opens a dialog.
  // The menu's actions ask for the file name first and show failures in a message box.
  bool exportShown(const QString& path);
  QAction* exportExcelAction() const { return exportExcel_; }
  QAction* exportCsvAction() const { return exportCsv_; }
  TableExport* tableExport() const { return export_; }

 signals:
  void statusMessage(const QString& message);
  void exportFinished(bool ok, const QString& message);

 private:
  void buildUi();
  void onFilterRequested();
  void showColumnStatistics(int column);
  void useDatasetModel(bool dataset);
  void announceRows();
  void chooseExportFile(bool excel);
  QString exportBaseName() const;

  int statsGeneration_ = 0;
  int statsColumn_ = -1;
  std::vector<QThread*> statsThreads_;  // waited for on destruction: they post back to this pane
  QString statsText_;

  QString storePath_;
  qint64 datasetId_ = 0;
  std::unique_ptr<DatasetTableModel> model_;
  std::unique_ptr<ResultTableModel> resultModel_;

  QLabel* title_ = nullptr;
  QLabel* provenance_ = nullptr;
  QWidget* filterBar_ = nullptr;
  QComboBox* filterColumn_ = nullptr;
  QComboBox* filterOp_ = nullptr;
  QLineEdit* filterValue_ = nullptr;
  QPushButton* filterApply_ = nullptr;
  QPushButton* filterClear_ = nullptr;
  QTableView* table_ = nullptr;
  QLabel* stats_ = nullptr;

  QToolButton* exportButton_ = nullptr;
  QAction* exportExcel_ = nullptr;
  QAction* exportCsv_ = nullptr;
  TableExport* export_ = nullptr;
  bool exportInteractive_ = false;  // started from the menu: failures get a message box
  QString resultJson_;              // the tool result shown, for its export
  QString resultTitle_;
};

}  // namespace tally::ui
