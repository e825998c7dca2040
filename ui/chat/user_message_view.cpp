#include "ui/chat/user_message_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace tally::ui {

UserMessageView::UserMessageView(qint64 messageId, const QString& text, QWidget* parent)
    : QWidget(parent), messageId_(messageId), text_(text) {
  setObjectName(QStringLiteral("userMessageView"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(48, 6, 0, 2);
  auto* bubble = new QLabel(this);
  bubble->setObjectName(QStringLiteral("userText"));
  bubble->setTextFormat(Qt::PlainText);  // the user's words are never interpreted as markup
  bubble->setText(text);
  bubble->setWordWrap(true);
  bubble->setTextInteractionFlags(Qt::TextSelectableByMouse);
  bubble->setStyleSheet(QStringLiteral(
      "QLabel { background: palette(alternate-base); border: 1px solid palette(midlight); border-radius: 8px;"
      " padding: 8px; }"));
  layout->addWidget(bubble);

  auto* row = new QHBoxLayout;
  row->addStretch(1);
  branch_ = new QLabel(this);
  branch_->setObjectName(QStringLiteral("branchLabel"));
  branch_->setStyleSheet(QStringLiteral("color: palette(mid);"));
  branch_->setVisible(false);
  row->addWidget(branch_);
  auto add = [&](const QString& label, const QString& name) {
    auto* b = new QToolButton(this);
    b->setText(label);
    b->setObjectName(name);
    b->setAccessibleName(label);
    b->setAutoRaise(true);
    row->addWidget(b);
    return b;
  };
  auto* edit = add(tr("Edit"), QStringLiteral("editButton"));
  auto* copy = add(tr("Copy"), QStringLiteral("copyButton"));
  auto* remove = add(tr("Delete"), QStringLiteral("deleteButton"));
  layout->addLayout(row);
  connect(edit, &QToolButton::clicked, this, [this] { emit editClicked(messageId_, text_); });
  connect(copy, &QToolButton::clicked, this, [this] { emit copyClicked(text_); });
  connect(remove, &QToolButton::clicked, this, [this] { emit deleteClicked(messageId_); });
}

void UserMessageView::setBranch(int index, int count) {
  branch_->setVisible(count > 1);
  //: Which version of an edited question is shown, e.g. "version 2/3"
  branch_->setText(tr("version %1/%2").arg(index).arg(count));
}

}  // namespace tally::ui
