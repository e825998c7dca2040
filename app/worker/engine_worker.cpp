#include "worker/engine_worker.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>

#include "copilot/copilot_loop.h"
#include "copilot/engine_generator.h"
#include "copilot/text_generator.h"
#include "tally/data/store.h"

namespace tally::app {

namespace {

// Deltas are batched so the UI repaints at most once a frame per message, however fast the model is.
constexpr qint64 kDeltaIntervalMs = 16;

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString title_from(const QString& text) {
  QString t = text.simplified();
  if (t.size() > 48) t = t.left(47) + QChar(0x2026);
  return t.isEmpty() ? EngineWorker::tr("New chat") : t;
}

}  // namespace

struct EngineWorker::State {
  QString store_path;
  std::optional<data::Store> store;
  std::shared_ptr<Model> model;
  std::unique_ptr<TextGenerator> generator;
  bool scripted = false;
  std::unique_ptr<CopilotLoop> loop;
  std::mutex loop_mutex;  // guards `loop` against stop() from other threads while it is replaced
  bool confirm_tools = false;
  int max_tokens = 4096;
  bool busy = false;

  std::mutex confirm_mutex;
  std::map<qint64, bool> confirmations;

  struct PendingDelta {
    QString text;
    QElapsedTimer since_emit;
  };
  std::map<qint64, PendingDelta> deltas;
};

EngineWorker::EngineWorker(QString storePath, QObject* parent) : QObject(parent), state_(std::make_unique<State>()) {
  qRegisterMetaType<tally::app::ModelSettings>();
  state_->store_path = std::move(storePath);
}

EngineWorker::~EngineWorker() {
  std::lock_guard lock(state_->loop_mutex);
  state_->loop.reset();
}

void EngineWorker::setGeneratorForTesting(std::unique_ptr<TextGenerator> generator) {
  std::lock_guard lock(state_->loop_mutex);
  state_->loop.reset();
  state_->generator = std::move(generator);
  state_->scripted = true;
}

void EngineWorker::stop() {
  stop_.store(true);
  std::lock_guard lock(state_->loop_mutex);
  if (state_->loop) state_->loop->stop();
}

void EngineWorker::cancelLoad() { cancel_load_.store(true); }

void EngineWorker::start() {
  auto store = data::Store::open(state_->store_path.toStdString());
  if (!store) {
    emit turnFailed(0, tr("Cannot open the store %1: %2").arg(state_->store_path, qs(store.error().message)));
    return;
  }
  state_->store.emplace(std::move(store.value()));
  emit ready();
}

void EngineWorker::loadModel(const QString& path, const tally::app::ModelSettings& settings) {
  cancel_load_.store(false);
  EngineOptions options;
  options.backend = settings.backend.toStdString();
  // One core is left to the UI thread by default: with every core computing, the window's event loop waits for
  // the scheduler and the app feels frozen while the model works.
  const int cores = std::max(1, QThread::idealThreadCount());
  options.threads = settings.threads > 0 ? settings.threads : std::max(1, cores - 1);
  float last = -1;
  auto model = Model::load(path.toStdString(), options, [&](float fraction) {
    if (fraction - last >= 0.01f || fraction >= 1.0f) {
      last = fraction;
      emit loadProgress(fraction);
    }
    return !cancel_load_.load();
  });
  if (cancel_load_.load()) {
    emit modelLoadFailed(tr("Loading the model was cancelled."));
    return;
  }
  if (!model) {
    emit modelLoadFailed(tr("Cannot load the model: %1").arg(qs(model.error().message)));
    return;
  }
  {
    std::lock_guard lock(state_->loop_mutex);
    state_->loop.reset();
    state_->model = model.value();
    state_->generator = std::make_unique<EngineGenerator>(state_->model, SessionOptions{.context = settings.context});
    state_->scripted = false;
  }
  emit modelLoaded(qs(state_->generator->description()));
}

void EngineWorker::unloadModel() {
  {
    std::lock_guard lock(state_->loop_mutex);
    state_->loop.reset();
    if (!state_->scripted) state_->generator.reset();
    state_->model.reset();
  }
  emit modelUnloaded();
}

void EngineWorker::setConfirmTools(bool confirm) { state_->confirm_tools = confirm; }

void EngineWorker::confirmToolCall(qint64 callMessageId, bool allowed) {
  std::lock_guard lock(state_->confirm_mutex);
  state_->confirmations[callMessageId] = allowed;
}

void EngineWorker::setMaxTokens(int maxTokens) { state_->max_tokens = std::max(1, maxTokens); }

void EngineWorker::send(qint64 conversationId, const QString& text, const QString& effort) {
  if (!state_->store) {
    emit turnFailed(conversationId, tr("The store is not open."));
    return;
  }
  if (state_->busy) {
    emit turnFailed(conversationId, tr("Still answering the previous message; stop it or wait."));
    return;
  }
  data::Store& store = *state_->store;
  if (conversationId == 0) {
    const QString title = title_from(text);
    data::NewConversation c;
    c.title = title.toStdString();
    c.model = state_->generator ? state_->generator->description() : std::string();
    auto id = store.create_conversation(c);
    if (!id) {
      emit turnFailed(0, tr("Cannot create a conversation: %1").arg(qs(id.error().message)));
      return;
    }
    conversationId = *id;
    emit conversationCreated(conversationId, title);
  }
  auto existing = store.messages(conversationId);
  if (!existing) {
    emit turnFailed(conversationId, qs(existing.error().message));
    return;
  }
  data::NewMessage m;
  m.conversation_id = conversationId;
  m.role = "user";
  m.content = text.toStdString();
  // The new message continues the branch that was added to last (the one on screen).
  if (!existing->empty()) m.parent_id = existing->back().id;
  auto id = store.append_message(m);
  if (!id) {
    emit turnFailed(conversationId, tr("Cannot store the message: %1").arg(qs(id.error().message)));
    return;
  }
  emit userMessageStored(conversationId, *id, text);
  runTurn(conversationId, *id, effort);
}

void EngineWorker::regenerate(qint64 conversationId, qint64 userMessageId, const QString& effort) {
  if (!state_->store || state_->busy) {
    emit turnFailed(conversationId, state_->busy ? tr("Still answering the previous message; stop it or wait.")
                                                 : tr("The store is not open."));
    return;
  }
  runTurn(conversationId, userMessageId, effort);
}

void EngineWorker::editAndResend(qint64 conversationId, qint64 userMessageId, const QString& text,
                                 const QString& effort) {
  if (!state_->store || state_->busy) {
    emit turnFailed(conversationId, state_->busy ? tr("Still answering the previous message; stop it or wait.")
                                                 : tr("The store is not open."));
    return;
  }
  auto old = state_->store->message(userMessageId);
  if (!old || old->conversation_id != conversationId) {
    emit turnFailed(conversationId, tr("The message to edit no longer exists."));
    return;
  }
  data::NewMessage m;
  m.conversation_id = conversationId;
  m.parent_id = old->parent_id;  // a sibling of the edited message: a new branch
  m.role = "user";
  m.content = text.toStdString();
  auto id = state_->store->append_message(m);
  if (!id) {
    emit turnFailed(conversationId, tr("Cannot store the message: %1").arg(qs(id.error().message)));
    return;
  }
  emit userMessageStored(conversationId, *id, text);
  runTurn(conversationId, *id, effort);
}

void EngineWorker::flushDelta(qint64 messageId) {
  auto it = state_->deltas.find(messageId);
  if (it == state_->deltas.end()) return;
  if (!it->second.text.isEmpty()) emit messageDelta(messageId, it->second.text);
  state_->deltas.erase(it);
}

bool EngineWorker::waitForConfirmation(const ToolCallRequest& request) {
  emit toolConfirmationNeeded(request.call_message_id, qs(request.tool), qs(request.arguments));
  // The answer arrives as a queued call on this thread (or directly, from any thread): keep serving events.
  while (!stop_.load()) {
    {
      std::lock_guard lock(state_->confirm_mutex);
      auto it = state_->confirmations.find(request.call_message_id);
      if (it != state_->confirmations.end()) {
        const bool allowed = it->second;
        state_->confirmations.erase(it);
        return allowed;
      }
    }
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    QThread::msleep(5);
  }
  return false;
}

void EngineWorker::runTurn(qint64 conversationId, qint64 userMessageId, const QString& effort) {
  if (!state_->generator) {
    emit turnFailed(conversationId, tr("No model is loaded. Open Settings to choose gpt-oss-20b (a GGUF file or a "
                                       "Hugging Face folder); datasets, tables and charts work without one."));
    return;
  }
  CopilotOptions options;
  options.build.effort = effort_from_name(effort.toStdString()).value_or(harmony::ReasoningEffort::Medium);
  options.generate.max_tokens = state_->max_tokens;
  options.texts.step_cap = tr("I stopped after {steps} tool calls without reaching an answer. Ask a narrower "
                              "question, or say \"continue\" to let me go on.").toStdString();
  options.texts.no_answer =
      tr("The model ended its reply without an answer. Try again, or rephrase the question.").toStdString();
  options.texts.declined = "the user declined this tool call; do not repeat it unless the user asks";
  {
    std::lock_guard lock(state_->loop_mutex);
    if (!state_->loop) state_->loop = std::make_unique<CopilotLoop>(*state_->store, *state_->generator, options);
    else state_->loop->options() = options;
  }
  CopilotLoop& loop = *state_->loop;
  if (state_->confirm_tools) loop.set_confirmation([this](const ToolCallRequest& r) { return waitForConfirmation(r); });
  else loop.set_confirmation({});

  bool failed = false;
  loop.set_event_sink([&](const CopilotEvent& e) {
    using Kind = CopilotEvent::Kind;
    switch (e.kind) {
      case Kind::MessageStarted:
        emit messageStarted(e.conversation_id, e.message_id, qs(e.channel), qs(e.recipient));
        break;
      case Kind::MessageDelta: {
        auto& pending = state_->deltas[e.message_id];
        pending.text += qs(e.text);
        if (!pending.since_emit.isValid() || pending.since_emit.elapsed() >= kDeltaIntervalMs) {
          emit messageDelta(e.message_id, pending.text);
          pending.text.clear();
          pending.since_emit.start();
        }
        break;
      }
      case Kind::MessageFinished:
        flushDelta(e.message_id);
        emit messageFinished(e.message_id, e.duration_ms);
        break;
      case Kind::ToolCall:
        break;
      case Kind::PromptProcessed:
        emit promptProcessed(e.conversation_id, e.stats.prompt_tokens, e.stats.prompt_reused);
        break;
      case Kind::ToolResult:
        emit toolFinished(e.conversation_id, e.message_id, e.result_message_id, qs(e.tool), qs(e.text),
                          qs(e.result));
        break;
      case Kind::Chart:
        emit chartReady(e.conversation_id, qs(e.result));
        break;
      case Kind::TurnFinished:
        while (!state_->deltas.empty()) flushDelta(state_->deltas.begin()->first);
        emit turnFinished(e.conversation_id, e.message_id, qs(e.stats.to_json().dump()));
        break;
      case Kind::Error:
        while (!state_->deltas.empty()) flushDelta(state_->deltas.begin()->first);
        failed = true;
        emit turnFailed(e.conversation_id, qs(e.text));
        break;
    }
  });

  state_->busy = true;
  stop_.store(false);
  auto outcome = loop.answer(conversationId, userMessageId);
  state_->busy = false;
  if (!outcome && !failed) emit turnFailed(conversationId, qs(outcome.error().message));
  state_->deltas.clear();
}

}  // namespace tally::app
