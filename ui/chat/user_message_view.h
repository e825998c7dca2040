#pragma once
// One question of the user, with edit-and-resend, copy and delete; shows "< 2/3 >" when it was edited.
#include <QWidget>

class QLabel;

namespace tally::ui {

class UserMessageView : public QWidget {
  Q_OBJECT
 public:
  UserMessageView(qint64 messageId, const QString& text, QWidget* parent = nullptr);
  qint64 messageId() const { return messageId_; }
  QString text() const { return text_; }
  void setBranch(int index, int count);  // 1-based; hidden when count < 2

 signals:
  void editClicked(qint64 messageId, const QString& text);
  void copyClicked(const QString& text);
  void deleteClicked(qint64 messageId);

 private:
  qint64 messageId_;
  QString text_;
  QLabel* branch_;
};

}  // namespace tally::ui
