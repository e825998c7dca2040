#pragma once
// A scripted session for tools/screenshots: the real window, worker, copilot loop and tools, with the model replaced
// by a recorded harmony stream (the copilot's ScriptedGenerator). It asks one question, lets the loop run its
// sql_query and make_chart calls, opens the import dialog, and saves a screenshot after each step.
#include <QObject>
#include <QString>
#include <memory>

namespace tally::app {
class EngineWorker;
}
namespace tally::ui {
class MainWindow;
}

namespace tally::gui {

class DemoSession : public QObject {
  Q_OBJECT
 public:
  // Call before the worker moves to its thread. Null with `error` set when the script or tokenizer is unreadable.
  static std::unique_ptr<DemoSession> prepare(tally::ui::MainWindow& window, tally::app::EngineWorker* worker,
                                              const QString& scriptPath, const QString& screenshotDir,
                                              QString* error);
  void run();

 private:
  DemoSession(tally::ui::MainWindow& window, QString screenshotDir, QString question);
  void snap(const QString& name);
  void finish();

  tally::ui::MainWindow& window_;
  QString dir_;
  QString question_;
};

}  // namespace tally::gui
