// The window's side of the engine thread: queued requests out, signals in. Kept apart from main_window.cpp so the
// window (and its tests) build and run without an engine.
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

#include "ui/chat/chat_pane.h"
#include "ui/main_window.h"
#include "ui/settings/app_settings.h"

namespace tally::ui {

using tally::app::EngineWorker;

void MainWindow::attachWorker(EngineWorker* worker) {
  worker_ = worker;
  // Requests: signal -> slot across threads is queued, so the worker runs them on its own thread.
  connect(chat_, &ChatPane::sendRequested, worker, &EngineWorker::send);
  connect(chat_, &ChatPane::regenerateRequested, worker, &EngineWorker::regenerate);
  connect(chat_, &ChatPane::editAndResendRequested, worker, &EngineWorker::editAndResend);
  // stop() and cancelLoad() are the thread-safe exceptions: called directly so they act while the worker is busy.
  connect(chat_, &ChatPane::stopRequested, this, [worker] { worker->stop(); });
  connect(cancelLoad_, &QPushButton::clicked, this, [worker] { worker->cancelLoad(); });

  connect(worker, &EngineWorker::conversationCreated, chat_, &ChatPane::onConversationCreated);
  connect(worker, &EngineWorker::userMessageStored, chat_, &ChatPane::onUserMessageStored);
  connect(worker, &EngineWorker::messageStarted, chat_, &ChatPane::onMessageStarted);
  connect(worker, &EngineWorker::messageDelta, chat_, &ChatPane::onMessageDelta);
  connect(worker, &EngineWorker::messageFinished, chat_, &ChatPane::onMessageFinished);
  connect(worker, &EngineWorker::toolFinished, chat_, &ChatPane::onToolFinished);
  connect(worker, &EngineWorker::chartReady, chat_, &ChatPane::onChartReady);
  connect(worker, &EngineWorker::turnFinished, chat_, &ChatPane::onTurnFinished);
  connect(worker, &EngineWorker::turnFailed, chat_, &ChatPane::onTurnFailed);

  connect(worker, &EngineWorker::loadProgress, this, [this](float f) { setModelProgress(true, f); });
  connect(worker, &EngineWorker::modelLoaded, this, [this](const QString& description) {
    setModelProgress(false);
    modelLabel_->setText(description);
    chat_->setModelState(ModelState::Loaded);
  });
  connect(worker, &EngineWorker::modelLoadFailed, this, [this](const QString& error) {
    setModelProgress(false);
    modelLabel_->setText(tr("No model"));
    chat_->setModelState(ModelState::Failed, error);
    statusBar()->showMessage(error, 10000);
  });
  connect(worker, &EngineWorker::modelUnloaded, this, [this] {
    modelLabel_->setText(tr("No model"));
    chat_->setModelState(ModelState::NotConfigured);
  });
  connect(worker, &EngineWorker::toolConfirmationNeeded, this,
          [this, worker](qint64 callId, const QString& tool, const QString& args) {
            const bool allowed =
                QMessageBox::question(this, tr("Run a tool?"),
                                      tr("The model wants to run %1 with:\n%2").arg(tool, args.left(1000))) ==
                QMessageBox::Yes;
            QMetaObject::invokeMethod(worker, [worker, callId, allowed] { worker->confirmToolCall(callId, allowed); },
                                      Qt::QueuedConnection);
          });
  connect(this, &MainWindow::modelSettingsChanged, this, &MainWindow::loadConfiguredModel);
}

void MainWindow::loadConfiguredModel() {
  EngineWorker* worker = worker_;
  if (!worker) return;
  const AppSettings s = AppSettings::load();
  const bool confirm = s.confirmTools;
  QMetaObject::invokeMethod(worker, [worker, confirm] { worker->setConfirmTools(confirm); }, Qt::QueuedConnection);
  if (s.modelPath.isEmpty()) {
    chat_->setModelState(ModelState::NotConfigured);
    return;
  }
  tally::app::ModelSettings ms;
  ms.backend = s.backend;
  ms.threads = s.threads;
  ms.context = s.context;
  const QString path = s.modelPath;
  chat_->setModelState(ModelState::Loading);
  setModelProgress(true, 0);
  modelLabel_->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
  QMetaObject::invokeMethod(worker, [worker, path, ms] { worker->loadModel(path, ms); }, Qt::QueuedConnection);
}

}  // namespace tally::ui
