// Korean typing in the chat box (issue 9 item 5): Enter while a Hangul syllable is still being composed (an
// input-method preedit) sends the whole message including that syllable, exactly once — whichever order the input
// method delivers its commit and the key in — and Shift+Enter inserts a newline.
#include <QInputMethodEvent>
#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

#include "ui/chat/chat_input.h"

using tally::ui::ChatInput;

namespace {

void preedit(ChatInput& w, const QString& text) {
  QInputMethodEvent e(text, {});
  QApplication::sendEvent(&w, &e);
}

void commit(ChatInput& w, const QString& text) {
  QInputMethodEvent e;
  e.setCommitString(text);
  QApplication::sendEvent(&w, &e);
}

// Types "안녕하세" as committed syllables and leaves "요" composing, the way a 2-beolsik IME does for 안녕하세요.
void typeGreetingWithLastSyllableComposing(ChatInput& w) {
  for (const QString& s : {QStringLiteral("ㅇ"), QStringLiteral("아"), QStringLiteral("안")}) preedit(w, s);
  commit(w, QStringLiteral("안"));
  for (const QString& s : {QStringLiteral("ㄴ"), QStringLiteral("녀"), QStringLiteral("녕")}) preedit(w, s);
  commit(w, QStringLiteral("녕"));
  preedit(w, QStringLiteral("하"));
  commit(w, QStringLiteral("하"));
  preedit(w, QStringLiteral("세"));
  commit(w, QStringLiteral("세"));
  preedit(w, QStringLiteral("ㅇ"));
  preedit(w, QStringLiteral("요"));
}

}  // namespace

TEST(KoreanInput, EnterDuringCompositionSendsWholeTextOnce) {
  ChatInput w;
  w.show();
  w.setFocus();
  QSignalSpy sent(&w, &ChatInput::submitted);
  typeGreetingWithLastSyllableComposing(w);
  EXPECT_EQ(w.preedit(), QStringLiteral("요"));
  QTest::keyClick(&w, Qt::Key_Return);
  ASSERT_EQ(sent.count(), 1);
  EXPECT_EQ(sent.at(0).at(0).toString(), QStringLiteral("안녕하세요"));
  // The input method delivers its own commit of the same syllable late: it must not become a stray message.
  commit(w, QStringLiteral("요"));
  EXPECT_TRUE(w.toPlainText().isEmpty()) << w.toPlainText().toStdString();
  QTest::keyClick(&w, Qt::Key_Return);
  EXPECT_EQ(sent.count(), 1);  // nothing left to send
}

TEST(KoreanInput, CommitBeforeEnterSendsOnce) {
  ChatInput w;
  w.show();
  QSignalSpy sent(&w, &ChatInput::submitted);
  typeGreetingWithLastSyllableComposing(w);
  commit(w, QStringLiteral("요"));  // IMEs that commit first, then pass the key on
  QTest::keyClick(&w, Qt::Key_Return);
  ASSERT_EQ(sent.count(), 1);
  EXPECT_EQ(sent.at(0).at(0).toString(), QStringLiteral("안녕하세요"));
  EXPECT_TRUE(w.toPlainText().isEmpty());
}

TEST(KoreanInput, NewCompositionAfterSendIsKept) {
  ChatInput w;
  w.show();
  QSignalSpy sent(&w, &ChatInput::submitted);
  preedit(w, QStringLiteral("매"));
  QTest::keyClick(&w, Qt::Key_Return);
  ASSERT_EQ(sent.count(), 1);
  EXPECT_EQ(sent.at(0).at(0).toString(), QStringLiteral("매"));
  // The next message starts composing before any late commit: the same syllable typed again is real input.
  preedit(w, QStringLiteral("매"));
  commit(w, QStringLiteral("매"));
  EXPECT_EQ(w.toPlainText(), QStringLiteral("매"));
}

TEST(KoreanInput, ShiftEnterInsertsNewlineIncludingComposingSyllable) {
  ChatInput w;
  w.show();
  QSignalSpy sent(&w, &ChatInput::submitted);
  commit(w, QStringLiteral("첫"));
  preedit(w, QStringLiteral("줄"));
  QTest::keyClick(&w, Qt::Key_Return, Qt::ShiftModifier);
  commit(w, QStringLiteral("둘"));
  EXPECT_EQ(sent.count(), 0);
  QTest::keyClick(&w, Qt::Key_Return);
  ASSERT_EQ(sent.count(), 1);
  EXPECT_EQ(sent.at(0).at(0).toString(), QStringLiteral("첫줄\n둘"));
}

TEST(KoreanInput, LatinTypingAndEmptyEnter) {
  ChatInput w;
  w.show();
  QSignalSpy sent(&w, &ChatInput::submitted);
  QTest::keyClick(&w, Qt::Key_Return);
  EXPECT_EQ(sent.count(), 0);  // nothing typed: nothing sent
  QTest::keyClicks(&w, QStringLiteral("total revenue"));
  QTest::keyClick(&w, Qt::Key_Enter);  // keypad Enter sends too
  ASSERT_EQ(sent.count(), 1);
  EXPECT_EQ(sent.at(0).at(0).toString(), QStringLiteral("total revenue"));
}
