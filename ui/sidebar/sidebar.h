#pragma once
// The left column: conversations (newest first, searchable through the store's full-text index), datasets and
// documents. It reads the store on the UI thread and announces what the user picked.
#include <QWidget>

class QLineEdit;
class QListWidget;
class QListWidgetItem;

namespace tally::data {
class Store;
}

namespace tally::ui {

class Sidebar : public QWidget {
  Q_OBJECT
 public:
  explicit Sidebar(tally::data::Store& store, QWidget* parent = nullptr);
  QLineEdit* searchBox() const { return search_; }
  QListWidget* conversationList() const { return conversations_; }
  QListWidget* datasetList() const { return datasets_; }
  QListWidget* documentList() const { return documents_; }

 public slots:
  void refresh();  // all three lists, keeping the search
  void setCurrentConversation(qint64 id);
  void renameConversation(qint64 id);
  void deleteConversation(qint64 id);

 signals:
  void conversationSelected(qint64 id);
  void conversationDeleted(qint64 id);
  void datasetSelected(qint64 id);
  void documentSelected(qint64 id);
  void newChatRequested();

 private:
  void refreshConversations();
  void showConversationMenu(const QPoint& pos);

  tally::data::Store& store_;
  QLineEdit* search_;
  QListWidget* conversations_;
  QListWidget* datasets_;
  QListWidget* documents_;
  qint64 current_ = 0;
};

}  // namespace tally::ui
