#pragma once
// One final answer of the assistant: Markdown rendered (headings, lists, tables, monospace code), per-answer stats
// and the actions on it. Only text that visibleAnswer() lets through is ever rendered.
#include <QWidget>

class QLabel;

namespace tally::ui {

struct AnswerStats {
  double ttftMs = -1;
  double tokensPerSecond = -1;
  qint64 tokens = -1;
  bool stopped = false;
};

class AnswerView : public QWidget {
  Q_OBJECT
 public:
  explicit AnswerView(qint64 messageId, QWidget* parent = nullptr);
  qint64 messageId() const { return messageId_; }
  void setRawText(const QString& raw, bool streaming);
  void setStats(const AnswerStats& stats);
  QString visibleText() const { return visible_; }  // the Markdown source shown
  QString renderedText() const;                      // what the reader sees (plain text of the rendering)

 signals:
  void regenerateClicked();
  void copyClicked(const QString& markdown);
  void deleteClicked(qint64 messageId);

 private:
  qint64 messageId_;
  QString visible_;
  QLabel* body_;
  QLabel* stats_;
};

}  // namespace tally::ui
