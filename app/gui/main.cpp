// Tally's desktop app: the window on the GUI thread, the engine on a worker thread, the user's store shared by
// both (each with its own connection). Options: --profile DIR (store and settings in DIR instead of the user's
// profile), --lang en|ko (overrides the saved choice for this run), --demo-script FILE (tools/screenshots: replay a
// recorded model stream through the real copilot loop and tools, run a scripted session and save screenshots).
#include <cstdio>
#include <memory>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QThread>
#include <QElapsedTimer>
#include <QTimer>
#include <QTranslator>

#include "demo_session.h"
#include "tally/data/store.h"
#include "tally/resources.h"
#include "ui/main_window.h"
#include "ui/settings/app_settings.h"
#include "ui/settings/model_setup_dialog.h"
#include "worker/engine_worker.h"

namespace {

void installTranslators(QApplication& app, const QString& language) {
  if (language != QLatin1String("ko")) {
    // English needs its plural forms ("1 row" / "3 rows"); the source strings read "row(s)".
    auto* english = new QTranslator(&app);
    if (english->load(QStringLiteral(":/i18n/tally_en.qm"))) app.installTranslator(english);
    return;
  }
  auto* tally = new QTranslator(&app);
  if (tally->load(QStringLiteral(":/i18n/tally_ko.qm"))) app.installTranslator(tally);
  // Qt's own strings (standard buttons, file dialogs).
  auto* qt = new QTranslator(&app);
  if (qt->load(QLocale(QLocale::Korean), QStringLiteral("qtbase"), QStringLiteral("_"),
               QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
    app.installTranslator(qt);
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Tally"));
  QApplication::setApplicationName(QStringLiteral("Tally"));
  QApplication::setApplicationVersion(QStringLiteral(TALLY_VERSION));
  qRegisterMetaType<tally::app::ModelSettings>();

  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral("Tally: a private, on-device copilot for analysts"));
  cli.addHelpOption();
  cli.addVersionOption();
  const QCommandLineOption profile(QStringLiteral("profile"), QStringLiteral("Keep the store and settings in DIR."),
                                   QStringLiteral("DIR"));
  const QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("User interface language: en or ko."),
                                QStringLiteral("LANG"));
  const QCommandLineOption demo(QStringLiteral("demo-script"),
                                QStringLiteral("Replay FILE (a recorded harmony stream) in a scripted session."),
                                QStringLiteral("FILE"));
  const QCommandLineOption shots(QStringLiteral("screenshots"),
                                 QStringLiteral("With --demo-script: save screenshots as DIR/<step>.png and quit."),
                                 QStringLiteral("DIR"));
  const QCommandLineOption smoke(QStringLiteral("smoke-test"),
                                 QStringLiteral("Open the window offscreen-capable, wait for the first-run import, "
                                                "print what is shown and quit (0 when the window and a dataset are up)."));
  cli.addOptions({profile, lang, demo, shots, smoke});
  cli.process(app);

  QString storePath = QString::fromStdString(tally::data::default_store_path());
  if (cli.isSet(profile)) {
    const QString dir = QDir(cli.value(profile)).absolutePath();
    QDir().mkpath(dir);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir + QStringLiteral("/settings"));
    storePath = dir + QStringLiteral("/tally.db");
  }
  tally::ui::AppSettings settings = tally::ui::AppSettings::load();
  QString language = tally::ui::effectiveLanguage(settings);
  if (cli.isSet(lang)) language = cli.value(lang);
  installTranslators(app, language);

  if (storePath.isEmpty()) {
    QMessageBox::critical(nullptr, QObject::tr("Tally"),
                          QObject::tr("No home folder is known, so Tally has nowhere to keep your data. "
                                      "Start it with --profile DIR."));
    return 1;
  }
  QString error;
  tally::ui::MainWindowOptions options;
  options.storePath = storePath;
  options.resourcesDir = QString::fromStdString(tally::resources_dir());
  auto window = tally::ui::MainWindow::create(options, &error);
  if (!window) {
    QMessageBox::critical(nullptr, QObject::tr("Tally"),
                          QObject::tr("Cannot open the store %1: %2").arg(storePath, error));
    return 1;
  }

  QThread engineThread;
  engineThread.setObjectName(QStringLiteral("engine"));
  auto* worker = new tally::app::EngineWorker(storePath);
  std::unique_ptr<tally::gui::DemoSession> session;
  if (cli.isSet(demo)) {
    session = tally::gui::DemoSession::prepare(*window, worker, cli.value(demo), cli.value(shots), &error);
    if (!session) {
      QMessageBox::critical(nullptr, QObject::tr("Tally"), error);
      return 1;
    }
  }
  worker->moveToThread(&engineThread);
  QObject::connect(&engineThread, &QThread::started, worker, &tally::app::EngineWorker::start);
  QObject::connect(&engineThread, &QThread::finished, worker, &QObject::deleteLater);
  window->attachWorker(worker);
  engineThread.start();

  window->show();
  if (cli.isSet(smoke)) {
    // Packaging checks and bootstrap run this: the real window, the real first-run import, no model needed.
    auto* poll = new QTimer(&app);
    auto started = std::make_shared<QElapsedTimer>();
    started->start();
    QObject::connect(poll, &QTimer::timeout, &app, [&app, poll, started, storePath, w = window.get()] {
      auto store = tally::data::Store::open(storePath.toStdString());
      const auto datasets = store ? store->list_datasets() : tally::data::Result<std::vector<tally::data::Dataset>>(
                                                                 tally::data::make_error("store not open"));
      const bool ready = w->isVisible() && datasets && !datasets->empty();
      if (!ready && started->elapsed() < 30000) return;
      poll->stop();
      if (ready)
        std::printf("smoke test: window \"%s\" is up; datasets: %s (%lld rows)\n",
                    qPrintable(w->windowTitle()), datasets->front().name.c_str(),
                    static_cast<long long>(datasets->front().row_count));
      else
        std::printf("smoke test: FAILED (window visible: %d, datasets: %s)\n", w->isVisible(),
                    datasets ? std::to_string(datasets->size()).c_str() : datasets.error().message.c_str());
      std::fflush(stdout);
      app.exit(ready ? 0 : 1);
    });
    poll->start(200);
  } else if (session) {
    session->run();
  } else {
    window->loadConfiguredModel();
    QSettings s;
    if (settings.modelPath.isEmpty() && !s.value(QStringLiteral("ui/modelSetupOffered")).toBool()) {
      s.setValue(QStringLiteral("ui/modelSetupOffered"), true);
      tally::ui::MainWindow* w = window.get();
      QTimer::singleShot(300, w, [w] { w->openModelSetup(); });
    }
  }
  const int rc = app.exec();
  // Stop promptly: end a generation or a load in progress, then let the worker's thread wind down.
  worker->stop();
  worker->cancelLoad();
  engineThread.quit();
  engineThread.wait();
  return rc;
}
