#pragma once
// The window: sidebar | chat | (document over chart), each pane resizable and hideable, the layout remembered.
// It only arranges panes, menus and shortcuts and routes between them; the engine is reached through
// attachWorker() (main_window_worker.cpp), so the window also runs — and is tested — without one.
#include <QMainWindow>
#include <QPointer>
#include <memory>

#include "worker/engine_worker.h"

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QSplitter;

namespace tally::data {
class Store;
}

namespace tally::ui {

class ChatPane;
class ChartPane;
class DocumentPane;
class ImportDialog;
class Sidebar;

struct MainWindowOptions {
  QString storePath;
  QString resourcesDir;               // holds samples/sales_monthly.csv; "" searches the usual places
  bool importSampleOnFirstRun = true;
  bool restoreLayout = true;
};

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  // Opens the store; returns null and sets `error` when it cannot.
  static std::unique_ptr<MainWindow> create(const MainWindowOptions& options, QString* error);
  ~MainWindow() override;

  ChatPane* chatPane() const { return chat_; }
  Sidebar* sidebar() const { return sidebar_; }
  DocumentPane* documentPane() const { return document_; }
  ChartPane* chartPane() const { return chart_; }
  tally::data::Store& store() const { return *store_; }
  QString storePath() const { return options_.storePath; }
  QAction* paneAction(const QString& objectName) const;
  QPointer<ImportDialog> importDialog() const { return importDialog_; }

  // Connects the chat, the model loading and tool confirmations to a worker living on another thread.
  void attachWorker(tally::app::EngineWorker* worker);
  // Loads the configured model (or explains that none is configured). Needs a worker.
  void loadConfiguredModel();

 public slots:
  void importFile(const QString& path);  // opens the import dialog (non-blocking)
  void showDataset(qint64 datasetId);
  bool exportConversation(const QString& path);
  void showChartJson(const QString& chartSpecJson);
  void openModelSetup();
  void openSettings();
  void saveLayout() const;

 signals:
  void datasetShown(qint64 datasetId);
  void modelSettingsChanged();  // the model or its settings were edited: load again

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  MainWindow(const MainWindowOptions& options, std::unique_ptr<tally::data::Store> store);
  void buildMenus();
  void restoreLayout();
  void importSampleIfFirstRun();
  QString findSample() const;
  void setModelProgress(bool visible, float fraction = 0);

  MainWindowOptions options_;
  std::unique_ptr<tally::data::Store> store_;
  QSplitter* split_;
  QSplitter* right_;
  Sidebar* sidebar_;
  ChatPane* chat_;
  DocumentPane* document_;
  ChartPane* chart_;
  QProgressBar* loadBar_;
  QPushButton* cancelLoad_;
  QLabel* modelLabel_;
  QPointer<ImportDialog> importDialog_;
  QPointer<tally::app::EngineWorker> worker_;
};

}  // namespace tally::ui
