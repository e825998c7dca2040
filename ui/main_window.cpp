#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>

#include "copilot/chart_spec.h"
#include "tally/data/csv_import.h"
#include "tally/data/store.h"
#include "ui/chart/chart_pane.h"
#include "ui/chat/chat_input.h"
#include "ui/chat/chat_pane.h"
#include "ui/chat/conversation_markdown.h"
#include "ui/document/document_pane.h"
#include "ui/import/import_dialog.h"
#include "ui/settings/app_settings.h"
#include "ui/settings/model_setup_dialog.h"
#include "ui/settings/settings_dialog.h"
#include "ui/sidebar/sidebar.h"

namespace tally::ui {
namespace {

constexpr char kSampleImported[] = "ui.sample_imported";

bool isImportable(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  return suffix == QLatin1String("csv") || suffix == QLatin1String("tsv") || suffix == QLatin1String("txt") ||
         suffix == QLatin1String("xlsx") || suffix == QLatin1String("xlsm") || suffix == QLatin1String("xls");
}

}  // namespace

std::unique_ptr<MainWindow> MainWindow::create(const MainWindowOptions& options, QString* error) {
  auto store = tally::data::Store::open(QFile::encodeName(options.storePath).toStdString());
  if (!store) {
    if (error) *error = QString::fromStdString(store.error().message);
    return nullptr;
  }
  auto owned = std::make_unique<tally::data::Store>(std::move(store).value());
  return std::unique_ptr<MainWindow>(new MainWindow(options, std::move(owned)));
}

MainWindow::MainWindow(const MainWindowOptions& options, std::unique_ptr<tally::data::Store> store)
    : options_(options), store_(std::move(store)) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(tr("Tally"));
  setAcceptDrops(true);

  split_ = new QSplitter(Qt::Horizontal, this);
  split_->setObjectName(QStringLiteral("mainSplitter"));
  split_->setChildrenCollapsible(false);
  sidebar_ = new Sidebar(*store_, split_);
  chat_ = new ChatPane(*store_, split_);
  right_ = new QSplitter(Qt::Vertical, split_);
  right_->setObjectName(QStringLiteral("rightSplitter"));
  document_ = new DocumentPane(options_.storePath, right_);
  document_->setObjectName(QStringLiteral("documentPane"));
  document_->setAccessibleName(tr("Document pane"));
  chart_ = new ChartPane(right_);
  chart_->setObjectName(QStringLiteral("chartPane"));
  chart_->setAccessibleName(tr("Chart pane"));
  sidebar_->setAccessibleName(tr("Sidebar"));
  chat_->setAccessibleName(tr("Chat"));
  split_->addWidget(sidebar_);
  split_->addWidget(chat_);
  split_->addWidget(right_);
  split_->setStretchFactor(0, 0);
  split_->setStretchFactor(1, 3);
  split_->setStretchFactor(2, 3);
  split_->setSizes({240, 560, 560});
  right_->setSizes({360, 320});
  setCentralWidget(split_);

  loadBar_ = new QProgressBar(this);
  loadBar_->setObjectName(QStringLiteral("modelLoadProgress"));
  loadBar_->setRange(0, 1000);
  loadBar_->setMaximumWidth(220);
  loadBar_->setAccessibleName(tr("Model loading progress"));
  cancelLoad_ = new QPushButton(tr("Cancel"), this);
  cancelLoad_->setObjectName(QStringLiteral("cancelLoadButton"));
  cancelLoad_->setAccessibleName(tr("Cancel model loading"));
  modelLabel_ = new QLabel(tr("No model"), this);
  modelLabel_->setObjectName(QStringLiteral("modelLabel"));
  statusBar()->addPermanentWidget(modelLabel_);
  statusBar()->addPermanentWidget(loadBar_);
  statusBar()->addPermanentWidget(cancelLoad_);
  setModelProgress(false);

  connect(sidebar_, &Sidebar::conversationSelected, chat_, &ChatPane::showConversation);
  connect(sidebar_, &Sidebar::conversationDeleted, this, [this](qint64 id) {
    if (chat_->conversationId() == id) chat_->showConversation(0);
  });
  connect(sidebar_, &Sidebar::datasetSelected, this, &MainWindow::showDataset);
  connect(chat_, &ChatPane::conversationChanged, sidebar_, &Sidebar::setCurrentConversation);
  connect(chat_, &ChatPane::conversationsModified, sidebar_, &Sidebar::refresh);
  connect(chat_, &ChatPane::showToolResultRequested, document_, &DocumentPane::showToolResult);
  connect(chat_, &ChatPane::showChartRequested, this, &MainWindow::showChartJson);
  connect(chat_, &ChatPane::modelSetupRequested, this, &MainWindow::openModelSetup);
  connect(document_, &DocumentPane::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 5000); });
  connect(chart_, &ChartPane::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 5000); });

  chat_->setEffort(AppSettings::load().effort);
  buildMenus();
  if (options_.restoreLayout) restoreLayout();
  if (options_.importSampleOnFirstRun) importSampleIfFirstRun();
  chat_->input()->setFocus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* newChat = file->addAction(tr("&New chat"), chat_, &ChatPane::newChat);
  newChat->setShortcut(QKeySequence::New);
  QAction* import = file->addAction(tr("&Import…"), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import a spreadsheet"), QDir::homePath(),
                                                      tr("Spreadsheets (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls);;Excel workbooks (*.xlsx *.xlsm *.xls);;"
                                                         "CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty()) importFile(path);
  });
  import->setShortcut(QKeySequence::Open);
  file->addAction(tr("&Export conversation to Markdown…"), this, [this] {
    if (chat_->conversationId() == 0) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export conversation"), QDir::homePath(),
                                                      tr("Markdown (*.md)"));
    if (!path.isEmpty() && !exportConversation(path))
      QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1.").arg(path));
  });
  file->addAction(tr("Export &chart…"), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), QDir::homePath(),
                                                      tr("PNG image (*.png);;SVG image (*.svg);;PDF (*.pdf)"));
    QString error;
    if (!path.isEmpty() && !chart_->exportTo(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
  });
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  auto paneToggle = [&](const QString& text, const QString& name, QWidget* pane, const QKeySequence& key) {
    QAction* a = view->addAction(text);
    a->setObjectName(name);
    a->setCheckable(true);
    a->setChecked(true);
    a->setShortcut(key);
    connect(a, &QAction::toggled, pane, &QWidget::setVisible);
    return a;
  };
  paneToggle(tr("&Sidebar"), QStringLiteral("toggleSidebar"), sidebar_, QKeySequence(tr("Ctrl+1")));
  paneToggle(tr("&Document pane"), QStringLiteral("toggleDocument"), document_, QKeySequence(tr("Ctrl+2")));
  paneToggle(tr("C&hart pane"), QStringLiteral("toggleChart"), chart_, QKeySequence(tr("Ctrl+3")));
  view->addSeparator();
  QAction* find = view->addAction(tr("&Search conversations"), this, [this] {
    paneAction(QStringLiteral("toggleSidebar"))->setChecked(true);
    sidebar_->searchBox()->setFocus();
    sidebar_->searchBox()->selectAll();
  });
  find->setShortcut(QKeySequence::Find);
  QAction* focusInput = view->addAction(tr("Focus the &message box"), this, [this] { chat_->input()->setFocus(); });
  focusInput->setShortcut(QKeySequence(tr("Ctrl+L")));

  QMenu* settings = menuBar()->addMenu(tr("&Settings"));
  settings->addAction(tr("&Model setup…"), this, &MainWindow::openModelSetup);
  QAction* prefs = settings->addAction(tr("&Preferences…"), this, &MainWindow::openSettings);
  prefs->setShortcut(QKeySequence::Preferences);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Keyboard shortcuts"), this, [this] {
    QMessageBox::information(this, tr("Keyboard shortcuts"),
                             tr("Enter: send\nShift+Enter: new line\nEsc: stop the answer\nCtrl+N: new chat\n"
                                "Ctrl+O: import a spreadsheet\nCtrl+F: search conversations\n"
                                "Ctrl+1 / 2 / 3: show or hide the sidebar, document pane, chart pane"));
  });
  help->addAction(tr("&About Tally"), this, [this] {
    QMessageBox::about(this, tr("About Tally"),
                       tr("Tally: a private copilot for analysts. Your data and the model stay on this computer; "
                          "Tally has no network code."));
  });

  // Esc stops the answer from anywhere in the window (dialogs keep their own Esc).
  auto* stop = new QShortcut(QKeySequence(Qt::Key_Escape), this);
  stop->setContext(Qt::WindowShortcut);
  connect(stop, &QShortcut::activated, chat_, &ChatPane::stop);
}

QAction* MainWindow::paneAction(const QString& objectName) const { return findChild<QAction*>(objectName); }

void MainWindow::restoreLayout() {
  QSettings s;
  if (s.contains(QStringLiteral("window/geometry"))) restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
  else resize(1360, 820);
  restoreState(s.value(QStringLiteral("window/state")).toByteArray());
  split_->restoreState(s.value(QStringLiteral("window/mainSplitter")).toByteArray());
  right_->restoreState(s.value(QStringLiteral("window/rightSplitter")).toByteArray());
  for (const char* name : {"toggleSidebar", "toggleDocument", "toggleChart"}) {
    const QString key = QStringLiteral("window/") + QLatin1String(name);
    if (s.contains(key)) paneAction(QLatin1String(name))->setChecked(s.value(key).toBool());
  }
}

void MainWindow::saveLayout() const {
  QSettings s;
  s.setValue(QStringLiteral("window/geometry"), saveGeometry());
  s.setValue(QStringLiteral("window/state"), saveState());
  s.setValue(QStringLiteral("window/mainSplitter"), split_->saveState());
  s.setValue(QStringLiteral("window/rightSplitter"), right_->saveState());
  for (const char* name : {"toggleSidebar", "toggleDocument", "toggleChart"})
    s.setValue(QStringLiteral("window/") + QLatin1String(name), paneAction(QLatin1String(name))->isChecked());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  saveLayout();
  QMainWindow::closeEvent(event);
}

QString MainWindow::findSample() const {
  const QString name = QStringLiteral("samples/sales_monthly.csv");
  QStringList roots;
  if (!options_.resourcesDir.isEmpty()) roots << options_.resourcesDir;
  if (qEnvironmentVariableIsSet("TALLY_RESOURCES_DIR")) roots << qEnvironmentVariable("TALLY_RESOURCES_DIR");
  const QString app = QCoreApplication::applicationDirPath();
  roots << app + QStringLiteral("/../share/tally") << app + QStringLiteral("/resources");
  for (const QString& root : roots)
    if (QFileInfo::exists(root + QLatin1Char('/') + name)) return QDir(root).filePath(name);
  return {};
}

void MainWindow::importSampleIfFirstRun() {
  auto datasets = store_->list_datasets();
  auto imported = store_->setting(kSampleImported);
  if (!datasets || !imported || imported->has_value()) return;
  if (!datasets->empty()) {
    (void)store_->set_setting(kSampleImported, "existing data");
    showDataset(datasets->front().id);
    return;
  }
  const QString sample = findSample();
  if (sample.isEmpty()) return;
  tally::data::CsvImporter importer(*store_);
  tally::data::CsvImportOptions opts;
  opts.dataset_name = "sales_monthly";
  auto outcome = importer.import_file(QFile::encodeName(sample).toStdString(), opts);
  if (!outcome) {
    statusBar()->showMessage(tr("Could not open the sample dataset: %1").arg(QString::fromStdString(outcome.error().message)));
    return;
  }
  (void)store_->set_setting(kSampleImported, "1");
  sidebar_->refresh();
  showDataset(outcome->dataset_id);
}

void MainWindow::showDataset(qint64 datasetId) {
  document_->showDataset(datasetId);
  paneAction(QStringLiteral("toggleDocument"))->setChecked(true);
  emit datasetShown(datasetId);
}

void MainWindow::importFile(const QString& path) {
  if (importDialog_) importDialog_->close();
  auto* dialog = new ImportDialog(options_.storePath, path, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  importDialog_ = dialog;
  connect(dialog, &ImportDialog::datasetImported, this, [this](qint64 id) {
    sidebar_->refresh();
    showDataset(id);
  });
  dialog->open();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (!event->mimeData()->hasUrls()) return;
  for (const QUrl& url : event->mimeData()->urls()) {
    if (url.isLocalFile() && isImportable(url.toLocalFile())) {
      event->acceptProposedAction();
      return;
    }
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  for (const QUrl& url : event->mimeData()->urls()) {
    if (url.isLocalFile() && isImportable(url.toLocalFile())) {
      importFile(url.toLocalFile());  // one dialog at a time: the first importable file
      event->acceptProposedAction();
      return;
    }
  }
}

bool MainWindow::exportConversation(const QString& path) {
  QString error;
  const QString md = conversationMarkdown(*store_, chat_->conversationId(), &error);
  if (md.isEmpty()) return false;
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return false;
  f.write(md.toUtf8());
  return f.commit();
}

void MainWindow::showChartJson(const QString& chartSpecJson) {
  std::string error;
  const auto json = nlohmann::json::parse(chartSpecJson.toStdString(), nullptr, /*allow_exceptions=*/false);
  auto spec = tally::app::chart_spec_from_json(json, &error);
  if (!spec) {
    statusBar()->showMessage(tr("Cannot draw the chart: %1").arg(QString::fromStdString(error)), 8000);
    return;
  }
  chart_->showChart(*spec);
  paneAction(QStringLiteral("toggleChart"))->setChecked(true);
}

void MainWindow::setModelProgress(bool visible, float fraction) {
  loadBar_->setVisible(visible);
  cancelLoad_->setVisible(visible);
  loadBar_->setValue(static_cast<int>(fraction * 1000));
}

void MainWindow::openModelSetup() {
  AppSettings s = AppSettings::load();
  ModelSetupDialog dialog(s.modelPath, s.context, this);
  if (dialog.exec() != QDialog::Accepted) return;
  s.modelPath = dialog.modelPath();
  s.context = dialog.context();
  s.save();
  emit modelSettingsChanged();
}

void MainWindow::openSettings() {
  const AppSettings before = AppSettings::load();
  SettingsDialog dialog(before, this);
  if (dialog.exec() != QDialog::Accepted) return;
  const AppSettings after = dialog.settings();
  after.save();
  chat_->setEffort(after.effort);
  if (after.language != before.language)
    QMessageBox::information(this, tr("Language"), tr("The new language applies the next time Tally starts."));
  if (after.modelPath != before.modelPath || after.backend != before.backend || after.threads != before.threads ||
      after.context != before.context || after.confirmTools != before.confirmTools)
    emit modelSettingsChanged();
}

}  // namespace tally::ui
