#pragma once
// The chat's message box. Enter sends, Shift+Enter starts a new line. Korean (and any input-method) typing is the
// hard part: the syllable being composed is an input-method *preedit*, not yet text. Pressing Enter mid-composition
// must send the whole message including that syllable, exactly once — whether the input method commits before the
// key arrives, after it, or not at all (we then take the preedit ourselves and drop the late duplicate commit).
#include <QPlainTextEdit>
#include <QString>

namespace tally::ui {

class ChatInput : public QPlainTextEdit {
  Q_OBJECT
 public:
  explicit ChatInput(QWidget* parent = nullptr);

  QString preedit() const { return preedit_; }
  // Sends what is typed (including a syllable still being composed), as Enter does.
  void submit();

 signals:
  void submitted(const QString& text);

 protected:
  void keyPressEvent(QKeyEvent* event) override;
  void inputMethodEvent(QInputMethodEvent* event) override;

 private:
  void takePreedit();

  QString preedit_;          // what the input method is composing right now
  QString takenPreedit_;     // a preedit we committed ourselves; the input method may still commit it later
};

}  // namespace tally::ui
