#pragma once
// The centre of the window: one conversation as a column of message views, rebuilt from the store (so a restart
// shows exactly what was shown before) and then kept current from the engine worker's signals, which ChatPane takes
// as slots of the same shape. It never talks to the engine directly: it asks through its *Requested signals.
#include <QHash>
#include <QPointer>
#include <QString>
#include <QWidget>

#include "ui/chat/answer_view.h"

class QComboBox;
class QLabel;
class QPushButton;
class QScrollArea;
class QTimer;
class QVBoxLayout;

namespace tally::data {
class Store;
}

namespace tally::ui {

class ChatInput;
class ThinkingView;
class ToolCard;
class UserMessageView;

enum class ModelState { NotConfigured, Loading, Loaded, Failed };

class ChatPane : public QWidget {
  Q_OBJECT
 public:
  // `store`: the UI thread's connection; it must outlive the pane.
  explicit ChatPane(tally::data::Store& store, QWidget* parent = nullptr);

  qint64 conversationId() const { return conversationId_; }
  QString effort() const;
  void setEffort(const QString& effort);  // low | medium | high
  bool isGenerating() const { return generating_; }
  void setModelState(ModelState state, const QString& detail = {});
  ChatInput* input() const { return input_; }

  // For tests and export: the visible text of each answer (Markdown source), in order.
  QStringList visibleAnswers() const;
  // Everything a reader sees in the message column, as plain text.
  QString visibleTranscript() const;

 public slots:
  void showConversation(qint64 conversationId);  // 0: a new, empty chat
  void newChat();
  void reload();  // rebuild the current conversation from the store
  void send(const QString& text);
  void stop();

  // The worker's signals, connected one to one.
  void onConversationCreated(qint64 conversationId, const QString& title);
  void onUserMessageStored(qint64 conversationId, qint64 messageId, const QString& text);
  void onMessageStarted(qint64 conversationId, qint64 messageId, const QString& channel, const QString& recipient);
  void onMessageDelta(qint64 messageId, const QString& text);
  void onMessageFinished(qint64 messageId, double durationMs);
  void onToolFinished(qint64 conversationId, qint64 callMessageId, qint64 resultMessageId, const QString& tool,
                      const QString& argumentsJson, const QString& resultJson);
  void onChartReady(qint64 conversationId, const QString& chartSpecJson);
  void onTurnFinished(qint64 conversationId, qint64 finalMessageId, const QString& statsJson);
  void onTurnFailed(qint64 conversationId, const QString& error);

 signals:
  void sendRequested(qint64 conversationId, const QString& text, const QString& effort);
  void stopRequested();
  void regenerateRequested(qint64 conversationId, qint64 userMessageId, const QString& effort);
  void editAndResendRequested(qint64 conversationId, qint64 userMessageId, const QString& text,
                              const QString& effort);
  void showToolResultRequested(const QString& title, const QString& resultJson);
  void showChartRequested(const QString& chartSpecJson);
  void conversationChanged(qint64 conversationId);
  void conversationsModified();  // titles, order or membership changed: the sidebar refreshes
  void modelSetupRequested();

 private:
  // A message being shown, by store id; raw is everything streamed or stored so far.
  struct Live {
    enum Kind { Thinking, Preamble, ToolCall, Answer } kind = Answer;
    QString raw;
    QPointer<QWidget> view;
  };

  void clearViews();
  void addWidget(QWidget* w);
  UserMessageView* addUser(qint64 id, const QString& text, int branch, int branches);
  AnswerView* addAnswer(qint64 id);
  ThinkingView* addThinking();
  ToolCard* addToolCard(qint64 callId, const QString& recipient);
  void render(qint64 messageId, bool streaming);
  void flushDeltas();
  void setGenerating(bool on);
  void updateNotice();
  void scrollToEnd();
  void deleteMessage(qint64 messageId);
  qint64 lastUserMessageId() const;

  tally::data::Store& store_;
  qint64 conversationId_ = 0;
  bool generating_ = false;
  bool awaitingNewConversation_ = false;
  bool followEnd_ = true;
  qint64 editingMessageId_ = 0;  // edit-and-resend: the question being replaced
  ModelState modelState_ = ModelState::NotConfigured;
  QHash<qint64, Live> live_;
  QHash<qint64, QString> pendingDeltas_;
  QString pendingPreamble_;
  QPointer<ToolCard> lastCard_;

  QLabel* title_;
  QComboBox* effortBox_;
  QLabel* notice_;
  QScrollArea* scroll_;
  QWidget* column_;
  QVBoxLayout* columnLayout_;
  ChatInput* input_;
  QPushButton* sendButton_;
  QPushButton* stopButton_;
  QLabel* editBanner_;
  QTimer* frame_;
};

}  // namespace tally::ui
