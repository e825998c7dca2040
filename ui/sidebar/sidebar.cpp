#include "ui/sidebar/sidebar.h"

#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QSet>
#include <QVBoxLayout>

#include "tally/data/store.h"

namespace tally::ui {
namespace {

constexpr int kIdRole = Qt::UserRole + 1;

QString qs(const std::string& s) { return QString::fromStdString(s); }

QLabel* sectionTitle(const QString& text, QWidget* parent) {
  auto* l = new QLabel(text, parent);
  QFont f = l->font();
  f.setBold(true);
  l->setFont(f);
  return l;
}

}  // namespace

Sidebar::Sidebar(tally::data::Store& store, QWidget* parent) : QWidget(parent), store_(store) {
  setObjectName(QStringLiteral("sidebar"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  search_ = new QLineEdit(this);
  search_->setObjectName(QStringLiteral("searchBox"));
  search_->setPlaceholderText(tr("Search conversations (Ctrl+F)"));
  search_->setAccessibleName(tr("Search conversations"));
  search_->setClearButtonEnabled(true);
  layout->addWidget(search_);

  layout->addWidget(sectionTitle(tr("Conversations"), this));
  conversations_ = new QListWidget(this);
  conversations_->setObjectName(QStringLiteral("conversationList"));
  conversations_->setAccessibleName(tr("Conversations"));
  conversations_->setContextMenuPolicy(Qt::CustomContextMenu);
  layout->addWidget(conversations_, 3);

  layout->addWidget(sectionTitle(tr("Datasets"), this));
  datasets_ = new QListWidget(this);
  datasets_->setObjectName(QStringLiteral("datasetList"));
  datasets_->setAccessibleName(tr("Datasets"));
  layout->addWidget(datasets_, 2);

  layout->addWidget(sectionTitle(tr("Documents"), this));
  documents_ = new QListWidget(this);
  documents_->setObjectName(QStringLiteral("documentList"));
  documents_->setAccessibleName(tr("Documents"));
  layout->addWidget(documents_, 1);

  connect(search_, &QLineEdit::textChanged, this, &Sidebar::refreshConversations);
  connect(conversations_, &QListWidget::itemActivated, this,
          [this](QListWidgetItem* item) { emit conversationSelected(item->data(kIdRole).toLongLong()); });
  connect(conversations_, &QListWidget::itemClicked, this,
          [this](QListWidgetItem* item) { emit conversationSelected(item->data(kIdRole).toLongLong()); });
  connect(conversations_, &QListWidget::customContextMenuRequested, this, &Sidebar::showConversationMenu);
  connect(datasets_, &QListWidget::itemClicked, this,
          [this](QListWidgetItem* item) { emit datasetSelected(item->data(kIdRole).toLongLong()); });
  connect(documents_, &QListWidget::itemClicked, this,
          [this](QListWidgetItem* item) { emit documentSelected(item->data(kIdRole).toLongLong()); });
  refresh();
}

void Sidebar::refresh() {
  refreshConversations();
  datasets_->clear();
  if (auto list = store_.list_datasets()) {
    for (const auto& d : *list) {
      auto* item = new QListWidgetItem(tr("%1 (%n row(s))", nullptr, static_cast<int>(d.row_count)).arg(qs(d.name)),
                                       datasets_);
      item->setData(kIdRole, static_cast<qint64>(d.id));
      item->setToolTip(qs(d.source_path));
    }
  }
  documents_->clear();
  if (auto list = store_.list_documents()) {
    for (const auto& d : *list) {
      auto* item = new QListWidgetItem(qs(d.title), documents_);
      item->setData(kIdRole, static_cast<qint64>(d.id));
    }
  }
}

void Sidebar::refreshConversations() {
  const QString query = search_->text().trimmed();
  conversations_->clear();
  auto all = store_.list_conversations();
  if (!all) return;
  QSet<qint64> matches;
  QHash<qint64, QString> snippets;
  if (!query.isEmpty()) {
    if (auto hits = store_.search_messages(query.toStdString(), 200)) {
      for (const auto& h : *hits) {
        matches.insert(h.conversation_id);
        if (!snippets.contains(h.conversation_id)) snippets[h.conversation_id] = qs(h.snippet);
      }
    }
  }
  for (const auto& c : *all) {  // the store lists them newest first
    const QString title = qs(c.title).isEmpty() ? tr("Untitled") : qs(c.title);
    const bool titleMatch = title.contains(query, Qt::CaseInsensitive);
    if (!query.isEmpty() && !matches.contains(c.id) && !titleMatch) continue;
    auto* item = new QListWidgetItem(title, conversations_);
    item->setData(kIdRole, static_cast<qint64>(c.id));
    item->setToolTip(snippets.value(c.id, qs(c.updated_at)));
    if (c.id == current_) conversations_->setCurrentItem(item);
  }
}

void Sidebar::setCurrentConversation(qint64 id) {
  current_ = id;
  for (int i = 0; i < conversations_->count(); ++i)
    if (conversations_->item(i)->data(kIdRole).toLongLong() == id) conversations_->setCurrentRow(i);
  if (id == 0) conversations_->clearSelection();
}

void Sidebar::renameConversation(qint64 id) {
  auto c = store_.conversation(id);
  if (!c) return;
  bool ok = false;
  const QString title = QInputDialog::getText(this, tr("Rename conversation"), tr("Title:"), QLineEdit::Normal,
                                              qs(c->title), &ok);
  if (!ok || title.trimmed().isEmpty()) return;
  (void)store_.rename_conversation(id, title.trimmed().toStdString());
  refreshConversations();
}

void Sidebar::deleteConversation(qint64 id) {
  if (QMessageBox::question(this, tr("Delete conversation"),
                            tr("Delete this conversation and all its messages?")) != QMessageBox::Yes)
    return;
  (void)store_.delete_conversation(id);
  refreshConversations();
  emit conversationDeleted(id);
}

void Sidebar::showConversationMenu(const QPoint& pos) {
  QListWidgetItem* item = conversations_->itemAt(pos);
  if (!item) return;
  const qint64 id = item->data(kIdRole).toLongLong();
  QMenu menu(this);
  menu.addAction(tr("Rename…"), this, [this, id] { renameConversation(id); });
  menu.addAction(tr("Delete"), this, [this, id] { deleteConversation(id); });
  menu.exec(conversations_->viewport()->mapToGlobal(pos));
}

}  // namespace tally::ui
