#include "ui/chat/chat_pane.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

#include "tally/data/store.h"
#include "ui/chat/chat_input.h"
#include "ui/chat/conversation_thread.h"
#include "ui/chat/thinking_view.h"
#include "ui/chat/tool_card.h"
#include "ui/chat/user_message_view.h"

namespace tally::ui {
namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// "functions.sql_query" -> "sql_query"; the card names the tool, not harmony's namespace.
QString toolName(const QString& recipient) {
  const int dot = recipient.lastIndexOf(QLatin1Char('.'));
  return dot >= 0 ? recipient.mid(dot + 1) : recipient;
}

// A make_chart result keeps its ChartSpec so a restored conversation can redraw it; where the copilot puts it in the
// envelope is its choice, so look in the likely places.
QString chartInResult(const QString& resultJson) {
  const QJsonObject envelope = QJsonDocument::fromJson(resultJson.toUtf8()).object();
  for (const QJsonObject& o : {envelope, envelope.value(QStringLiteral("result")).toObject()}) {
    for (const char* key : {"chart", "spec", "chart_spec"}) {
      const QJsonValue v = o.value(QLatin1String(key));
      if (v.isObject()) return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    }
  }
  return {};
}

}  // namespace

ChatPane::ChatPane(tally::data::Store& store, QWidget* parent) : QWidget(parent), store_(store) {
  setObjectName(QStringLiteral("chatPane"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 8, 8, 8);

  auto* header = new QHBoxLayout;
  title_ = new QLabel(this);
  title_->setObjectName(QStringLiteral("conversationTitle"));
  QFont f = title_->font();
  f.setPointSizeF(f.pointSizeF() * 1.2);
  f.setBold(true);
  title_->setFont(f);
  title_->setTextFormat(Qt::PlainText);
  header->addWidget(title_, 1);
  effortBox_ = new QComboBox(this);
  effortBox_->setObjectName(QStringLiteral("effortBox"));
  effortBox_->addItem(tr("Reasoning: low"), QStringLiteral("low"));
  effortBox_->addItem(tr("Reasoning: medium"), QStringLiteral("medium"));
  effortBox_->addItem(tr("Reasoning: high"), QStringLiteral("high"));
  effortBox_->setCurrentIndex(1);
  effortBox_->setAccessibleName(tr("Reasoning effort"));
  effortBox_->setToolTip(tr("How long the model thinks before answering"));
  header->addWidget(effortBox_);
  auto* newChat = new QPushButton(tr("New chat"), this);
  newChat->setObjectName(QStringLiteral("newChatButton"));
  newChat->setAccessibleName(tr("New chat"));
  header->addWidget(newChat);
  layout->addLayout(header);

  notice_ = new QLabel(this);
  notice_->setObjectName(QStringLiteral("modelNotice"));
  notice_->setWordWrap(true);
  notice_->setTextFormat(Qt::RichText);
  notice_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
  notice_->setOpenExternalLinks(false);
  notice_->setStyleSheet(QStringLiteral("QLabel { background: palette(alternate-base); border: 1px solid "
                                        "palette(midlight); border-radius: 6px; padding: 10px; }"));
  connect(notice_, &QLabel::linkActivated, this, [this](const QString& link) {
    if (link == QLatin1String("setup")) emit modelSetupRequested();
  });
  layout->addWidget(notice_);

  scroll_ = new QScrollArea(this);
  scroll_->setObjectName(QStringLiteral("messageScroll"));
  scroll_->setWidgetResizable(true);
  scroll_->setFrameShape(QFrame::NoFrame);
  column_ = new QWidget(scroll_);
  columnLayout_ = new QVBoxLayout(column_);
  columnLayout_->setContentsMargins(4, 4, 12, 4);
  columnLayout_->addStretch(1);
  scroll_->setWidget(column_);
  layout->addWidget(scroll_, 1);
  // Follow the end of the conversation while the reader is at the end; scrolling up to reread stops following.
  QScrollBar* bar = scroll_->verticalScrollBar();
  connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int max) {
    if (followEnd_) bar->setValue(max);
  });
  connect(bar, &QScrollBar::valueChanged, this,
          [this, bar](int value) { followEnd_ = value >= bar->maximum() - 40; });

  editBanner_ = new QLabel(tr("Editing a question: Enter sends it as a new version."), this);
  editBanner_->setObjectName(QStringLiteral("editBanner"));
  editBanner_->setVisible(false);
  layout->addWidget(editBanner_);

  auto* inputRow = new QHBoxLayout;
  input_ = new ChatInput(this);
  input_->setObjectName(QStringLiteral("chatInput"));
  input_->setMaximumHeight(76);
  inputRow->addWidget(input_, 1);
  auto* buttons = new QVBoxLayout;
  sendButton_ = new QPushButton(tr("Send"), this);
  sendButton_->setObjectName(QStringLiteral("sendButton"));
  sendButton_->setAccessibleName(tr("Send message"));
  stopButton_ = new QPushButton(tr("Stop"), this);
  stopButton_->setObjectName(QStringLiteral("stopButton"));
  stopButton_->setAccessibleName(tr("Stop generating"));
  stopButton_->setToolTip(tr("Stop generating (Esc)"));
  stopButton_->setVisible(false);
  buttons->addWidget(sendButton_);
  buttons->addWidget(stopButton_);
  buttons->addStretch(1);
  inputRow->addLayout(buttons);
  layout->addLayout(inputRow);

  frame_ = new QTimer(this);
  frame_->setSingleShot(true);
  frame_->setInterval(16);  // one repaint per frame, however many deltas arrived
  connect(frame_, &QTimer::timeout, this, &ChatPane::flushDeltas);

  connect(input_, &ChatInput::submitted, this, &ChatPane::send);
  connect(sendButton_, &QPushButton::clicked, input_, &ChatInput::submit);
  connect(stopButton_, &QPushButton::clicked, this, &ChatPane::stop);
  connect(newChat, &QPushButton::clicked, this, &ChatPane::newChat);
  updateNotice();
  showConversation(0);
}

QString ChatPane::effort() const { return effortBox_->currentData().toString(); }

void ChatPane::setEffort(const QString& effort) {
  const int i = effortBox_->findData(effort);
  if (i >= 0) effortBox_->setCurrentIndex(i);
}

void ChatPane::setModelState(ModelState state, const QString& detail) {
  modelState_ = state;
  updateNotice();
  if (state == ModelState::Failed && !detail.isEmpty())
    notice_->setText(notice_->text() + QStringLiteral("<p>") + detail.toHtmlEscaped() + QStringLiteral("</p>"));
}

void ChatPane::updateNotice() {
  switch (modelState_) {
    case ModelState::Loaded:
      notice_->setVisible(false);
      return;
    case ModelState::Loading:
      notice_->setText(tr("Loading the model… Datasets, tables and charts work meanwhile."));
      break;
    case ModelState::Failed:
      notice_->setText(tr("<b>The model could not be loaded.</b> Check the file in "
                          "<a href=\"setup\">Model setup</a>."));
      break;
    case ModelState::NotConfigured:
      notice_->setText(tr(
          "<b>No model yet.</b> Tally answers with OpenAI's <b>gpt-oss-20b</b>, running entirely on this computer."
          "<ol><li>On any computer with internet access, download gpt-oss-20b as a GGUF file "
          "(e.g. <i>gpt-oss-20b-mxfp4.gguf</i>, about 13 GB, from Hugging Face: ggml-org/gpt-oss-20b-GGUF) "
          "or the original Hugging Face folder (openai/gpt-oss-20b).</li>"
          "<li>Copy it to this computer, for example into a <i>Models</i> folder in your home folder.</li>"
          "<li>Open <a href=\"setup\">Model setup</a> (Settings menu) and pick the file or folder.</li></ol>"
          "Meanwhile you can import spreadsheets, browse tables and draw charts."));
      break;
  }
  notice_->setVisible(true);
}

void ChatPane::clearViews() {
  while (columnLayout_->count() > 1) {
    QLayoutItem* item = columnLayout_->takeAt(0);
    if (QWidget* w = item->widget()) {
      w->hide();
      w->deleteLater();
    }
    delete item;
  }
  live_.clear();
  pendingDeltas_.clear();
  pendingPreamble_.clear();
  lastCard_ = nullptr;
}

void ChatPane::addWidget(QWidget* w) {
  columnLayout_->insertWidget(columnLayout_->count() - 1, w);
  scrollToEnd();
}

void ChatPane::scrollToEnd() {
  if (followEnd_) scroll_->verticalScrollBar()->setValue(scroll_->verticalScrollBar()->maximum());
}

UserMessageView* ChatPane::addUser(qint64 id, const QString& text, int branch, int branches) {
  auto* v = new UserMessageView(id, text, column_);
  v->setBranch(branch, branches);
  connect(v, &UserMessageView::copyClicked, this, [](const QString& t) { QApplication::clipboard()->setText(t); });
  connect(v, &UserMessageView::deleteClicked, this, &ChatPane::deleteMessage);
  connect(v, &UserMessageView::editClicked, this, [this](qint64 messageId, const QString& t) {
    if (generating_) return;
    editingMessageId_ = messageId;
    input_->setPlainText(t);
    input_->setFocus();
    editBanner_->setVisible(true);
  });
  addWidget(v);
  return v;
}

AnswerView* ChatPane::addAnswer(qint64 id) {
  auto* v = new AnswerView(id, column_);
  const qint64 question = lastUserMessageId();
  connect(v, &AnswerView::copyClicked, this, [](const QString& t) { QApplication::clipboard()->setText(t); });
  connect(v, &AnswerView::deleteClicked, this, &ChatPane::deleteMessage);
  connect(v, &AnswerView::regenerateClicked, this, [this, question, v] {
    if (generating_ || question == 0) return;
    // The old answer stays in the store as a branch; the view shows the new one from here on.
    const int from = columnLayout_->indexOf(v);
    int start = from;
    while (start > 0 && !qobject_cast<UserMessageView*>(columnLayout_->itemAt(start - 1)->widget())) --start;
    while (columnLayout_->count() - 1 > start) {
      QLayoutItem* item = columnLayout_->takeAt(start);
      if (QWidget* w = item->widget()) {
        w->hide();
        w->deleteLater();
      }
      delete item;
    }
    setGenerating(true);
    emit regenerateRequested(conversationId_, question, effort());
  });
  live_[id] = Live{Live::Answer, {}, v};
  addWidget(v);
  return v;
}

ThinkingView* ChatPane::addThinking() {
  auto* v = new ThinkingView(column_);
  addWidget(v);
  return v;
}

ToolCard* ChatPane::addToolCard(qint64 callId, const QString& recipient) {
  auto* card = new ToolCard(callId, toolName(recipient), column_);
  card->setPreamble(pendingPreamble_);
  pendingPreamble_.clear();
  connect(card, &ToolCard::showResultClicked, this, &ChatPane::showToolResultRequested);
  connect(card, &ToolCard::showChartClicked, this, &ChatPane::showChartRequested);
  live_[callId] = Live{Live::ToolCall, {}, card};
  lastCard_ = card;
  addWidget(card);
  return card;
}

qint64 ChatPane::lastUserMessageId() const {
  for (int i = columnLayout_->count() - 1; i >= 0; --i)
    if (auto* u = qobject_cast<UserMessageView*>(columnLayout_->itemAt(i)->widget())) return u->messageId();
  return 0;
}

void ChatPane::showConversation(qint64 conversationId) {
  conversationId_ = conversationId;
  editingMessageId_ = 0;
  editBanner_->setVisible(false);
  reload();
  emit conversationChanged(conversationId_);
}

void ChatPane::newChat() {
  if (generating_) return;
  showConversation(0);
  input_->setFocus();
}

void ChatPane::reload() {
  clearViews();
  followEnd_ = true;  // a conversation opens at its latest message
  if (conversationId_ == 0) {
    title_->setText(tr("New chat"));
    return;
  }
  auto conversation = store_.conversation(conversationId_);
  title_->setText(conversation ? qs(conversation->title) : tr("Conversation"));
  auto messages = store_.messages(conversationId_);
  if (!messages) {
    onTurnFailed(conversationId_, qs(messages.error().message));
    return;
  }
  for (const ThreadEntry& e : visibleThread(*messages)) {
    const auto& m = *e.message;
    const QString content = qs(m.content);
    if (m.role == "user") {
      addUser(m.id, content, e.branch, e.branches);
    } else if (m.role == "tool") {
      ToolCard* card = nullptr;
      if (m.parent_id && live_.contains(*m.parent_id)) card = qobject_cast<ToolCard*>(live_[*m.parent_id].view);
      if (!card && lastCard_ && !lastCard_->hasResult()) card = lastCard_;
      if (!card) card = addToolCard(0, qs(m.author_name.value_or("tool")));
      card->setResult(content);
      card->setChart(chartInResult(content));
    } else if (m.role == "assistant") {
      const std::string channel = m.channel.value_or("final");
      const bool call = m.recipient && !m.recipient->empty();
      if (call) {
        addToolCard(m.id, qs(*m.recipient))->setArguments(content, false);
      } else if (channel == "final") {
        AnswerView* v = addAnswer(m.id);
        v->setRawText(content, false);
        AnswerStats s;
        if (m.stats.time_to_first_token_ms) s.ttftMs = *m.stats.time_to_first_token_ms;
        if (m.stats.tokens_per_second) s.tokensPerSecond = *m.stats.tokens_per_second;
        if (m.stats.completion_tokens) s.tokens = *m.stats.completion_tokens;
        v->setStats(s);
      } else if (channel == "commentary") {
        pendingPreamble_ = content;  // introduces the tool call that follows
      } else {
        ThinkingView* t = addThinking();
        t->setRawText(content, false);
        t->setDuration(m.stats.duration_ms.value_or(-1));
      }
    }
  }
  scrollToEnd();
}

void ChatPane::send(const QString& text) {
  if (generating_ || text.trimmed().isEmpty()) return;
  if (modelState_ != ModelState::Loaded) {
    input_->setPlainText(text);  // keep what was typed; the notice says what to do
    updateNotice();
    notice_->setFocus();
    return;
  }
  setGenerating(true);
  if (editingMessageId_ != 0) {
    const qint64 edited = editingMessageId_;
    editingMessageId_ = 0;
    editBanner_->setVisible(false);
    // The old question and what followed stay in the store as a branch; the view continues from the new version.
    for (int i = 0; i < columnLayout_->count() - 1; ++i) {
      auto* u = qobject_cast<UserMessageView*>(columnLayout_->itemAt(i)->widget());
      if (!u || u->messageId() != edited) continue;
      while (columnLayout_->count() - 1 > i) {
        QLayoutItem* item = columnLayout_->takeAt(i);
        if (QWidget* w = item->widget()) {
          w->hide();
          w->deleteLater();
        }
        delete item;
      }
      break;
    }
    emit editAndResendRequested(conversationId_, edited, text, effort());
    return;
  }
  awaitingNewConversation_ = conversationId_ == 0;
  emit sendRequested(conversationId_, text, effort());
}

void ChatPane::stop() {
  if (generating_) emit stopRequested();
}

void ChatPane::setGenerating(bool on) {
  generating_ = on;
  stopButton_->setVisible(on);
  sendButton_->setEnabled(!on);
}

void ChatPane::deleteMessage(qint64 messageId) {
  if (generating_) return;
  (void)store_.delete_message(messageId);
  reload();
  emit conversationsModified();
}

void ChatPane::onConversationCreated(qint64 conversationId, const QString& title) {
  if (awaitingNewConversation_ && conversationId_ == 0) {
    awaitingNewConversation_ = false;
    conversationId_ = conversationId;
    title_->setText(title);
    emit conversationChanged(conversationId_);
  }
  emit conversationsModified();
}

void ChatPane::onUserMessageStored(qint64 conversationId, qint64 messageId, const QString& text) {
  if (conversationId != conversationId_) return;
  addUser(messageId, text, 1, 1);
}

void ChatPane::onMessageStarted(qint64 conversationId, qint64 messageId, const QString& channel,
                                const QString& recipient) {
  if (conversationId != conversationId_) return;
  if (!recipient.isEmpty()) {
    addToolCard(messageId, recipient);
  } else if (channel == QLatin1String("final")) {
    addAnswer(messageId);
  } else if (channel == QLatin1String("commentary")) {
    live_[messageId] = Live{Live::Preamble, {}, nullptr};
  } else {
    ThinkingView* t = addThinking();
    t->setRawText({}, true);
    live_[messageId] = Live{Live::Thinking, {}, t};
  }
}

void ChatPane::onMessageDelta(qint64 messageId, const QString& text) {
  if (!live_.contains(messageId)) return;
  pendingDeltas_[messageId] += text;
  if (!frame_->isActive()) frame_->start();
}

void ChatPane::flushDeltas() {
  const auto pending = std::exchange(pendingDeltas_, {});
  for (auto it = pending.begin(); it != pending.end(); ++it) {
    auto live = live_.find(it.key());
    if (live == live_.end()) continue;
    live->raw += it.value();
    render(it.key(), true);
  }
  scrollToEnd();
}

void ChatPane::render(qint64 messageId, bool streaming) {
  auto it = live_.find(messageId);
  if (it == live_.end()) return;
  switch (it->kind) {
    case Live::Answer:
      if (auto* v = qobject_cast<AnswerView*>(it->view)) v->setRawText(it->raw, streaming);
      break;
    case Live::Thinking:
      if (auto* v = qobject_cast<ThinkingView*>(it->view)) v->setRawText(it->raw, streaming);
      break;
    case Live::ToolCall:
      if (auto* v = qobject_cast<ToolCard*>(it->view)) v->setArguments(it->raw, streaming);
      break;
    case Live::Preamble:
      if (!streaming) pendingPreamble_ = it->raw;
      break;
  }
}

void ChatPane::onMessageFinished(qint64 messageId, double durationMs) {
  if (!live_.contains(messageId)) return;
  if (pendingDeltas_.contains(messageId)) flushDeltas();
  render(messageId, false);
  if (auto* t = qobject_cast<ThinkingView*>(live_[messageId].view)) t->setDuration(durationMs);
}

void ChatPane::onToolFinished(qint64 conversationId, qint64 callMessageId, qint64 /*resultMessageId*/,
                              const QString& tool, const QString& argumentsJson, const QString& resultJson) {
  if (conversationId != conversationId_) return;
  ToolCard* card = live_.contains(callMessageId) ? qobject_cast<ToolCard*>(live_[callMessageId].view) : nullptr;
  if (!card) card = addToolCard(callMessageId, tool);
  card->setArguments(argumentsJson, false);
  card->setResult(resultJson);
  const QString chart = chartInResult(resultJson);
  if (!chart.isEmpty()) card->setChart(chart);
}

void ChatPane::onChartReady(qint64 conversationId, const QString& chartSpecJson) {
  if (conversationId != conversationId_) return;
  if (lastCard_) lastCard_->setChart(chartSpecJson);
  emit showChartRequested(chartSpecJson);
}

void ChatPane::onTurnFinished(qint64 conversationId, qint64 finalMessageId, const QString& statsJson) {
  if (conversationId != conversationId_) {
    emit conversationsModified();
    return;
  }
  if (!pendingDeltas_.isEmpty()) flushDeltas();
  for (auto it = live_.begin(); it != live_.end(); ++it) render(it.key(), false);
  setGenerating(false);
  const QJsonObject s = QJsonDocument::fromJson(statsJson.toUtf8()).object();
  if (auto* v = live_.contains(finalMessageId) ? qobject_cast<AnswerView*>(live_[finalMessageId].view) : nullptr) {
    AnswerStats stats;
    stats.ttftMs = s.value(QStringLiteral("ttft_ms")).toDouble(-1);
    stats.tokensPerSecond = s.value(QStringLiteral("tokens_per_s")).toDouble(-1);
    stats.tokens = s.value(QStringLiteral("tokens")).toInteger(-1);
    stats.stopped = s.value(QStringLiteral("stopped")).toBool(false);
    v->setStats(stats);
  }
  emit conversationsModified();
}

void ChatPane::onTurnFailed(qint64 conversationId, const QString& error) {
  if (conversationId != conversationId_ && conversationId != 0) return;
  setGenerating(false);
  auto* label = new QLabel(column_);
  label->setObjectName(QStringLiteral("turnError"));
  label->setTextFormat(Qt::PlainText);
  label->setWordWrap(true);
  label->setText(tr("The answer failed: %1").arg(error));
  label->setStyleSheet(QStringLiteral("color: #b03030;"));
  addWidget(label);
}

QStringList ChatPane::visibleAnswers() const {
  QStringList out;
  for (int i = 0; i < columnLayout_->count(); ++i)
    if (auto* a = qobject_cast<AnswerView*>(columnLayout_->itemAt(i)->widget())) out << a->visibleText();
  return out;
}

QString ChatPane::visibleTranscript() const {
  QStringList out;
  for (int i = 0; i < columnLayout_->count(); ++i) {
    QWidget* w = columnLayout_->itemAt(i)->widget();
    if (!w) continue;
    if (auto* u = qobject_cast<UserMessageView*>(w)) {
      out << u->text();
    } else if (auto* a = qobject_cast<AnswerView*>(w)) {
      out << a->renderedText();
    } else if (auto* t = qobject_cast<ThinkingView*>(w)) {
      if (t->isExpanded()) out << t->shownText();  // collapsed reasoning is not on screen
    } else if (auto* l = qobject_cast<QLabel*>(w)) {
      out << l->text();
    } else {
      for (auto* child : w->findChildren<QLabel*>())
        if (child->isVisibleTo(w)) out << child->text();
    }
  }
  return out.join(QLatin1Char('\n'));
}

}  // namespace tally::ui
