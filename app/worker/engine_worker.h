#pragma once
// The engine's thread. An EngineWorker lives on a QThread of its own and owns the model, the engine session, the
// copilot loop and its own store connection. The UI calls its slots only through queued connections (or
// QMetaObject::invokeMethod(..., Qt::QueuedConnection)) and hears back through its signals; the two exceptions are
// stop() and cancelLoad(), which are thread-safe and take effect while a slot is busy on the worker thread.
//
// Everything a turn produces is written to the store before the matching signal is emitted, so the UI can always
// rebuild a conversation from the store alone (restart, crash, close mid-answer).
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>

namespace tally::app {

class CopilotLoop;
class TextGenerator;
struct ToolCallRequest;

struct ModelSettings {
  QString backend = QStringLiteral("auto");  // auto | cpu | cuda | vulkan
  int threads = 0;                           // CPU threads, 0 = all cores but one (left to the UI)
  qint64 context = 8192;
};

class EngineWorker : public QObject {
  Q_OBJECT
 public:
  // storePath: the user's store (the worker opens its own connection on its thread, in start()).
  explicit EngineWorker(QString storePath, QObject* parent = nullptr);
  ~EngineWorker() override;

  // Tests only: replace the real engine with a scripted token stream (call before moving to the thread).
  void setGeneratorForTesting(std::unique_ptr<TextGenerator> generator);

  // Thread-safe, callable from any thread while the worker is busy.
  void stop();        // ends the current generation within one token
  void cancelLoad();  // abandons a model load in progress

 public slots:
  void start();  // opens the store; connect QThread::started to it
  void loadModel(const QString& path, const tally::app::ModelSettings& settings);
  void unloadModel();
  // A new user message in `conversationId` (0 creates a conversation, announced by conversationCreated).
  // effort: "low" | "medium" | "high".
  void send(qint64 conversationId, const QString& text, const QString& effort);
  // Answers the user message `userMessageId` again (a new branch beside the old answer).
  void regenerate(qint64 conversationId, qint64 userMessageId, const QString& effort);
  // Stores `text` as a new user message beside `userMessageId` (same parent: a branch) and answers it.
  void editAndResend(qint64 conversationId, qint64 userMessageId, const QString& text, const QString& effort);
  void setConfirmTools(bool confirm);                       // ask before running each tool call
  void confirmToolCall(qint64 callMessageId, bool allowed);  // the answer to toolConfirmationNeeded
  // Added by the copilot engineer: the most tokens one generation step may produce (default 4096; the context's
  // free room caps it further).
  void setMaxTokens(int maxTokens);

 signals:
  void ready();
  void loadProgress(float fraction);
  void modelLoaded(const QString& description);  // e.g. "gpt-oss-20b · cuda · 8192 ctx"
  void modelLoadFailed(const QString& error);    // also after cancelLoad()
  void modelUnloaded();

  void conversationCreated(qint64 conversationId, const QString& title);
  void userMessageStored(qint64 conversationId, qint64 messageId, const QString& text);
  // One harmony message of the assistant begins: channel "analysis" | "commentary" | "final"; recipient is e.g.
  // "functions.sql_query" for a tool call, empty otherwise.
  void messageStarted(qint64 conversationId, qint64 messageId, const QString& channel, const QString& recipient);
  // Streamed text of that message, batched (at most one emission per ~16 ms per message).
  void messageDelta(qint64 messageId, const QString& text);
  void messageFinished(qint64 messageId, double durationMs);
  void toolConfirmationNeeded(qint64 callMessageId, const QString& tool, const QString& argumentsJson);
  // The tool's result was stored as message resultMessageId (role tool); resultJson is the data layer's envelope.
  void toolFinished(qint64 conversationId, qint64 callMessageId, qint64 resultMessageId, const QString& tool,
                    const QString& argumentsJson, const QString& resultJson);
  // make_chart succeeded: the ChartSpec as JSON (see copilot/chart_spec.h).
  void chartReady(qint64 conversationId, const QString& chartSpecJson);
  // The turn ended with a final answer (or was stopped). statsJson: ttft_ms, tokens_per_s, tokens, prompt_tokens,
  // prompt_reused, steps, stopped.
  void turnFinished(qint64 conversationId, qint64 finalMessageId, const QString& statsJson);
  void turnFailed(qint64 conversationId, const QString& error);
  // Added by the copilot engineer: a step's prompt is processed (promptReused of promptTokens came from the
  // cache) and tokens start to stream; a UI may switch its "Reading…" indicator to "Thinking…" here.
  void promptProcessed(qint64 conversationId, qint64 promptTokens, qint64 promptReused);

 private:
  void runTurn(qint64 conversationId, qint64 userMessageId, const QString& effort);
  void flushDelta(qint64 messageId);
  bool waitForConfirmation(const ToolCallRequest& request);

  struct State;
  std::unique_ptr<State> state_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> cancel_load_{false};
};

}  // namespace tally::app

Q_DECLARE_METATYPE(tally::app::ModelSettings)
