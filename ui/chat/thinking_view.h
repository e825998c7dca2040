#pragma once
// The model's reasoning (harmony analysis channel): collapsed by default behind "Thinking (3.2 s)".
#include <QWidget>

class QLabel;
class QToolButton;

namespace tally::ui {

class ThinkingView : public QWidget {
  Q_OBJECT
 public:
  explicit ThinkingView(QWidget* parent = nullptr);
  void setRawText(const QString& raw, bool streaming);
  void setDuration(double ms);  // < 0: unknown
  bool isExpanded() const;
  QString shownText() const;

 private:
  void updateTitle();
  QToolButton* toggle_;
  QLabel* body_;
  double durationMs_ = -1;
  bool streaming_ = false;
};

}  // namespace tally::ui
