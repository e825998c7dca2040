// The chat pane, driven the way the engine worker drives it (its signals are the pane's slots) and rebuilt from the
// store the way a restart does. Hostile content — harmony markup and hidden channels inside what should be the
// answer — never reaches the visible answer, streamed or restored (issue 9 item 2).
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <gtest/gtest.h>

#include "fixtures.h"
#include "tally/data/store.h"
#include "ui/chat/answer_view.h"
#include "ui/chat/chat_input.h"
#include "ui/chat/chat_pane.h"
#include "ui/chat/thinking_view.h"
#include "ui/chat/tool_card.h"

using tally::ui::ChatPane;
using tally::ui::ModelState;

namespace {

const QString kSecret = QStringLiteral("SECRET-REASONING");
const QString kPreamble = QStringLiteral("I will query the monthly totals.");

// The hostile final text: a leaked analysis message, a leaked tool call, stray tokens, split across deltas.
const QStringList kHostileDeltas = {
    QStringLiteral("**Revenue** rose 12% in March."), QStringLiteral("<|end|><|start|>assistant<|chan"),
    QStringLiteral("nel|>analysis<|message|>") + kSecret, QStringLiteral("<|end|><|start|>assistant<|channel|>final"),
    QStringLiteral("<|message|> See the chart."), QStringLiteral("<|call|> to=functions.sql_query {\"sql\": 1}")};

tally::data::Store openStore(const std::string& name) {
  const std::string dir = tally::testing::scratch_dir(name);
  auto store = tally::data::Store::open(dir + "/tally.db");
  EXPECT_TRUE(store.ok());
  return std::move(store).value();
}

void expectClean(const ChatPane& pane) {
  for (const QString& a : pane.visibleAnswers()) {
    EXPECT_FALSE(a.contains(QStringLiteral("<|"))) << a.toStdString();
    EXPECT_FALSE(a.contains(QStringLiteral("|>"))) << a.toStdString();
    EXPECT_FALSE(a.contains(kSecret)) << a.toStdString();
    EXPECT_FALSE(a.contains(kPreamble)) << a.toStdString();
    EXPECT_FALSE(a.contains(QStringLiteral("functions."))) << a.toStdString();
  }
  const QString all = pane.visibleTranscript();
  EXPECT_FALSE(all.contains(QStringLiteral("<|"))) << all.toStdString();
  EXPECT_FALSE(all.contains(kSecret)) << all.toStdString();
}

// Writes the same turn to the store as the worker would, returning the conversation id.
std::int64_t storeHostileTurn(tally::data::Store& store) {
  const auto conv = store.create_conversation({"Revenue", "", "{}"}).value();
  auto add = [&](std::optional<std::int64_t> parent, const std::string& role, const std::string& channel,
                 const std::string& recipient, const std::string& content) {
    tally::data::NewMessage m;
    m.conversation_id = conv;
    m.parent_id = parent;
    m.role = role;
    if (!channel.empty()) m.channel = channel;
    if (!recipient.empty()) m.recipient = recipient;
    m.content = content;
    return store.append_message(m).value();
  };
  const auto user = add({}, "user", "", "", "How did revenue change?");
  const auto analysis = add(user, "assistant", "analysis", "", kSecret.toStdString());
  const auto preamble = add(analysis, "assistant", "commentary", "", kPreamble.toStdString());
  const auto call = add(preamble, "assistant", "commentary", "functions.sql_query", "{\"sql\":\"SELECT 1\"}");
  const auto result = add(call, "tool", "", "",
                          R"({"ok":true,"tool":"sql_query","result":{"columns":["month","revenue"],)"
                          R"("rows":[["2024-01",100],["2024-02",112]],"row_count":2}})");
  const auto final = add(result, "assistant", "final", "", kHostileDeltas.join(QString()).toStdString());
  tally::data::MessageStats stats;
  stats.time_to_first_token_ms = 120;
  stats.tokens_per_second = 31.5;
  stats.completion_tokens = 42;
  EXPECT_TRUE(store.set_message_stats(final, stats).ok());
  return conv;
}

}  // namespace

TEST(ChatPane, NoModelExplainsHowToGetGptOss) {
  auto store = openStore("chat_no_model");
  ChatPane pane(store);
  pane.show();
  auto* notice = pane.findChild<QLabel*>(QStringLiteral("modelNotice"));
  ASSERT_NE(notice, nullptr);
  EXPECT_TRUE(notice->isVisible());
  EXPECT_TRUE(notice->text().contains(QStringLiteral("gpt-oss-20b")));
  QSignalSpy requests(&pane, &ChatPane::sendRequested);
  pane.send(QStringLiteral("hello"));
  EXPECT_EQ(requests.count(), 0);  // nothing to answer with; the text stays in the box
  EXPECT_EQ(pane.input()->toPlainText(), QStringLiteral("hello"));
  pane.setModelState(ModelState::Loaded);
  EXPECT_FALSE(notice->isVisible());
}

TEST(ChatPane, StreamedHostileContentNeverShowsMarkupOrHiddenChannels) {
  auto store = openStore("chat_stream");
  ChatPane pane(store);
  pane.resize(700, 900);
  pane.show();
  pane.setModelState(ModelState::Loaded);
  QSignalSpy requests(&pane, &ChatPane::sendRequested);
  QTest::keyClicks(pane.input(), QStringLiteral("How did revenue change?"));
  QTest::keyClick(pane.input(), Qt::Key_Return);
  ASSERT_EQ(requests.count(), 1);
  EXPECT_EQ(requests.at(0).at(0).toLongLong(), 0);  // a new conversation
  EXPECT_EQ(requests.at(0).at(2).toString(), QStringLiteral("medium"));
  EXPECT_TRUE(pane.isGenerating());

  pane.onConversationCreated(7, QStringLiteral("Revenue"));
  EXPECT_EQ(pane.conversationId(), 7);
  pane.onUserMessageStored(7, 1, QStringLiteral("How did revenue change?"));
  pane.onMessageStarted(7, 2, QStringLiteral("analysis"), {});
  pane.onMessageDelta(2, kSecret);
  pane.onMessageFinished(2, 3200);
  pane.onMessageStarted(7, 3, QStringLiteral("commentary"), {});
  pane.onMessageDelta(3, kPreamble);
  pane.onMessageFinished(3, 10);
  pane.onMessageStarted(7, 4, QStringLiteral("commentary"), QStringLiteral("functions.sql_query"));
  pane.onMessageDelta(4, QStringLiteral("{\"sql\":\"SELECT 1\"}"));
  pane.onMessageFinished(4, 10);
  pane.onToolFinished(7, 4, 5, QStringLiteral("sql_query"), QStringLiteral("{\"sql\":\"SELECT 1\"}"),
                      QStringLiteral(R"({"ok":true,"result":{"columns":["m","v"],"rows":[["a",1]]}})"));
  pane.onMessageStarted(7, 6, QStringLiteral("final"), {});
  for (const QString& d : kHostileDeltas) {
    pane.onMessageDelta(6, d);
    QTest::qWait(20);  // past a frame: each partial state is rendered and must be clean too
    expectClean(pane);
  }
  pane.onMessageFinished(6, 900);
  pane.onTurnFinished(7, 6, QStringLiteral(R"({"ttft_ms":120,"tokens_per_s":31.5,"tokens":42})"));
  EXPECT_FALSE(pane.isGenerating());

  ASSERT_EQ(pane.visibleAnswers().size(), 1);
  EXPECT_EQ(pane.visibleAnswers().front(), QStringLiteral("**Revenue** rose 12% in March. See the chart."));
  expectClean(pane);

  auto* thinking = pane.findChild<tally::ui::ThinkingView*>();
  ASSERT_NE(thinking, nullptr);
  EXPECT_FALSE(thinking->isExpanded());
  EXPECT_EQ(thinking->findChild<QToolButton*>(QStringLiteral("thinkingToggle"))->text(),
            QStringLiteral("Thinking (3.2 s)"));
  auto* card = pane.findChild<tally::ui::ToolCard*>();
  ASSERT_NE(card, nullptr);
  EXPECT_EQ(card->findChild<QLabel*>(QStringLiteral("toolPreamble"))->text(), kPreamble);
  auto* stats = pane.findChild<QLabel*>(QStringLiteral("answerStats"));
  ASSERT_NE(stats, nullptr);
  EXPECT_TRUE(stats->text().contains(QStringLiteral("31.5"))) << stats->text().toStdString();
}

TEST(ChatPane, DeltasAreBatchedPerFrame) {
  auto store = openStore("chat_batch");
  ChatPane pane(store);
  pane.show();
  pane.onConversationCreated(1, QStringLiteral("t"));
  pane.showConversation(1);
  pane.onMessageStarted(1, 2, QStringLiteral("final"), {});
  for (int i = 0; i < 200; ++i) pane.onMessageDelta(2, QStringLiteral("x"));
  EXPECT_TRUE(pane.visibleAnswers().front().isEmpty());  // nothing rendered until the frame timer fires
  QTest::qWait(40);
  EXPECT_EQ(pane.visibleAnswers().front(), QString(200, QLatin1Char('x')));
}

TEST(ChatPane, RestoredFromStoreIsCleanAndComplete) {
  auto store = openStore("chat_restore");
  const auto conv = storeHostileTurn(store);
  ChatPane pane(store);
  pane.resize(700, 900);
  pane.show();
  pane.showConversation(conv);
  ASSERT_EQ(pane.visibleAnswers().size(), 1);
  EXPECT_EQ(pane.visibleAnswers().front(), QStringLiteral("**Revenue** rose 12% in March. See the chart."));
  expectClean(pane);
  EXPECT_TRUE(pane.visibleTranscript().contains(QStringLiteral("How did revenue change?")));
  auto* card = pane.findChild<tally::ui::ToolCard*>();
  ASSERT_NE(card, nullptr);
  EXPECT_TRUE(card->hasResult());
  EXPECT_EQ(card->findChild<QLabel*>(QStringLiteral("toolPreamble"))->text(), kPreamble);
  QSignalSpy show(&pane, &ChatPane::showToolResultRequested);
  QTest::mouseClick(card->findChild<QPushButton*>(QStringLiteral("showResultButton")), Qt::LeftButton);
  ASSERT_EQ(show.count(), 1);
  EXPECT_TRUE(show.at(0).at(1).toString().contains(QStringLiteral("2024-02")));
  EXPECT_TRUE(pane.findChild<QLabel*>(QStringLiteral("answerStats"))->text().contains(QStringLiteral("120")));
}

TEST(ChatPane, RegenerateAndEditAskTheWorker) {
  auto store = openStore("chat_actions");
  const auto conv = storeHostileTurn(store);
  ChatPane pane(store);
  pane.show();
  pane.setModelState(ModelState::Loaded);
  pane.showConversation(conv);
  const auto messages = store.messages(conv).value();
  const auto userId = messages.front().id;

  QSignalSpy regenerate(&pane, &ChatPane::regenerateRequested);
  QTest::mouseClick(pane.findChild<QToolButton*>(QStringLiteral("regenerateButton")), Qt::LeftButton);
  ASSERT_EQ(regenerate.count(), 1);
  EXPECT_EQ(regenerate.at(0).at(1).toLongLong(), userId);
  QTest::qWait(10);
  EXPECT_TRUE(pane.visibleAnswers().isEmpty());  // the old answer makes way for the new one
  pane.onTurnFinished(conv, 0, QStringLiteral("{}"));

  pane.reload();
  QTest::qWait(10);  // the previous views' deferred deletion
  QSignalSpy edit(&pane, &ChatPane::editAndResendRequested);
  QTest::mouseClick(pane.findChild<QToolButton*>(QStringLiteral("editButton")), Qt::LeftButton);
  EXPECT_EQ(pane.input()->toPlainText(), QStringLiteral("How did revenue change?"));
  pane.input()->setPlainText(QStringLiteral("How did profit change?"));
  QTest::keyClick(pane.input(), Qt::Key_Return);
  ASSERT_EQ(edit.count(), 1);
  EXPECT_EQ(edit.at(0).at(1).toLongLong(), userId);
  EXPECT_EQ(edit.at(0).at(2).toString(), QStringLiteral("How did profit change?"));
}

TEST(ChatPane, StopIsRequestedOnlyWhileGenerating) {
  auto store = openStore("chat_stop");
  ChatPane pane(store);
  pane.show();
  pane.setModelState(ModelState::Loaded);
  QSignalSpy stop(&pane, &ChatPane::stopRequested);
  pane.stop();
  EXPECT_EQ(stop.count(), 0);
  pane.send(QStringLiteral("long question"));
  auto* button = pane.findChild<QPushButton*>(QStringLiteral("stopButton"));
  ASSERT_TRUE(button->isVisible());
  QTest::mouseClick(button, Qt::LeftButton);
  EXPECT_EQ(stop.count(), 1);
}
