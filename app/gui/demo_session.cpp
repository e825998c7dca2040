#include "demo_session.h"

#include "tally/resources.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QPixmap>
#include <QScreen>
#include <QTimer>

#include "copilot/scripted_generator.h"
#include "tokenizer/tokenizer.h"
#include "ui/chat/chat_input.h"
#include "ui/chat/chat_pane.h"
#include "ui/import/import_dialog.h"
#include "ui/main_window.h"
#include "worker/engine_worker.h"

namespace tally::gui {
namespace {

constexpr int kTurnTimeoutMs = 30000;

// The question sits in the script's first line as "# question: ..." (the generator ignores nothing, so it is cut
// before the script reaches it).
QString takeQuestion(QString& script) {
  const QString marker = QStringLiteral("# question:");
  if (!script.startsWith(marker)) return {};
  const int eol = script.indexOf(QLatin1Char('\n'));
  const QString q = script.mid(marker.size(), eol - marker.size()).trimmed();
  script = script.mid(eol + 1);
  return q;
}

}  // namespace

std::unique_ptr<DemoSession> DemoSession::prepare(tally::ui::MainWindow& window, tally::app::EngineWorker* worker,
                                                  const QString& scriptPath, const QString& screenshotDir,
                                                  QString* error) {
  QFile f(scriptPath);
  if (!f.open(QIODevice::ReadOnly)) {
    *error = QObject::tr("Cannot read the demo script %1").arg(scriptPath);
    return nullptr;
  }
  QString script = QString::fromUtf8(f.readAll());
  const QString question = takeQuestion(script);
  const std::string vocab = tally::resources_dir() + "/tokenizer/o200k_base.tiktoken";
  auto tokenizer = tally::tok::Tokenizer::from_tiktoken(vocab);
  if (!tokenizer) {
    *error = QString::fromStdString(tokenizer.error().message);
    return nullptr;
  }
  auto shared = std::make_shared<const tally::tok::Tokenizer>(std::move(tokenizer).value());
  auto generator = std::make_unique<tally::app::ScriptedGenerator>(shared, script.toStdString());
  generator->set_token_delay(std::chrono::microseconds(4000));  // streams visibly, like a fast model
  worker->setGeneratorForTesting(std::move(generator));
  auto session = std::unique_ptr<DemoSession>(new DemoSession(window, screenshotDir, question));
  QObject::connect(worker, &tally::app::EngineWorker::turnFinished, session.get(), [s = session.get()] {
    QTimer::singleShot(600, s, [s] {
      s->snap(QStringLiteral("2-chat-chart"));
      s->window_.importFile(QString::fromStdString(tally::resources_dir()) + QStringLiteral("/samples/sales_monthly_cp949.csv"));
      QTimer::singleShot(1500, s, [s] {
        s->snap(QStringLiteral("3-import-dialog"));
        s->finish();
      });
    });
  });
  return session;
}

DemoSession::DemoSession(tally::ui::MainWindow& window, QString screenshotDir, QString question)
    : window_(window), dir_(std::move(screenshotDir)), question_(std::move(question)) {}

void DemoSession::run() {
  window_.resize(1440, 900);
  window_.chatPane()->setModelState(tally::ui::ModelState::Loaded);
  QTimer::singleShot(1200, this, [this] {
    snap(QStringLiteral("1-first-run"));
    window_.chatPane()->input()->setPlainText(question_);
    window_.chatPane()->input()->submit();
  });
  QTimer::singleShot(kTurnTimeoutMs, this, [this] { finish(); });
}

void DemoSession::snap(const QString& name) {
  if (dir_.isEmpty()) return;
  QDir().mkpath(dir_);
  // Under X11 the screen holds the window and any dialog above it; elsewhere grab the window itself.
  QPixmap shot;
  if (QGuiApplication::platformName() == QLatin1String("xcb") && QGuiApplication::primaryScreen())
    shot = QGuiApplication::primaryScreen()->grabWindow(0, window_.x(), window_.y(), window_.frameGeometry().width(),
                                                        window_.frameGeometry().height());
  if (shot.isNull()) shot = window_.grab();
  shot.save(QDir(dir_).filePath(name + QStringLiteral(".png")));
}

void DemoSession::finish() {
  if (dir_.isEmpty()) return;  // an interactive demo stays open
  QApplication::quit();
}

}  // namespace tally::gui
