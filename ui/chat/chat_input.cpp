#include "ui/chat/chat_input.h"

#include <QGuiApplication>
#include <QInputMethod>
#include <QInputMethodEvent>
#include <QKeyEvent>

namespace tally::ui {

ChatInput::ChatInput(QWidget* parent) : QPlainTextEdit(parent) {
  setAttribute(Qt::WA_InputMethodEnabled, true);
  setTabChangesFocus(true);
  setAccessibleName(tr("Message"));
  setPlaceholderText(tr("Ask about your data… (Enter sends, Shift+Enter for a new line)"));
}

void ChatInput::inputMethodEvent(QInputMethodEvent* event) {
  if (!takenPreedit_.isEmpty()) {
    // The input method commits the syllable we already sent: swallow exactly that one commit.
    if (event->commitString() == takenPreedit_ && event->preeditString().isEmpty()) {
      takenPreedit_.clear();
      preedit_.clear();
      QInputMethodEvent clearPreedit;
      QPlainTextEdit::inputMethodEvent(&clearPreedit);
      event->accept();
      return;
    }
    takenPreedit_.clear();  // new composition: the late commit is not coming
  }
  preedit_ = event->preeditString();
  QPlainTextEdit::inputMethodEvent(event);
}

void ChatInput::takePreedit() {
  if (preedit_.isEmpty()) return;
  // Ask the input method first; a synchronous commit arrives through inputMethodEvent() and clears preedit_.
  QGuiApplication::inputMethod()->commit();
  if (preedit_.isEmpty()) return;
  const QString syllable = preedit_;
  QInputMethodEvent commit;
  commit.setCommitString(syllable);
  QPlainTextEdit::inputMethodEvent(&commit);
  preedit_.clear();
  takenPreedit_ = syllable;
  QGuiApplication::inputMethod()->reset();
}

void ChatInput::submit() {
  takePreedit();
  const QString text = toPlainText();
  if (text.trimmed().isEmpty()) return;
  clear();
  emit submitted(text);
}

void ChatInput::keyPressEvent(QKeyEvent* event) {
  const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
  if (!enter) {
    QPlainTextEdit::keyPressEvent(event);
    return;
  }
  if (event->modifiers() & Qt::ShiftModifier) {
    takePreedit();
    insertPlainText(QStringLiteral("\n"));
    event->accept();
    return;
  }
  event->accept();
  submit();
}

}  // namespace tally::ui
