#include "ui/chat/answer_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/chat/visible_text.h"

namespace tally::ui {
namespace {

QToolButton* actionButton(const QString& text, const QString& objectName, QWidget* parent) {
  auto* b = new QToolButton(parent);
  b->setText(text);
  b->setObjectName(objectName);
  b->setAccessibleName(text);
  b->setAutoRaise(true);
  return b;
}

}  // namespace

AnswerView::AnswerView(qint64 messageId, QWidget* parent) : QWidget(parent), messageId_(messageId) {
  setObjectName(QStringLiteral("answerView"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 4, 0, 4);
  body_ = new QLabel(this);
  body_->setObjectName(QStringLiteral("answerText"));
  body_->setTextFormat(Qt::MarkdownText);
  body_->setWordWrap(true);
  body_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
  body_->setOpenExternalLinks(false);  // offline: links are shown, never opened
  layout->addWidget(body_);

  auto* row = new QHBoxLayout;
  stats_ = new QLabel(this);
  stats_->setObjectName(QStringLiteral("answerStats"));
  stats_->setStyleSheet(QStringLiteral("color: palette(mid); font-size: small;"));
  row->addWidget(stats_);
  row->addStretch(1);
  auto* regenerate = actionButton(tr("Regenerate"), QStringLiteral("regenerateButton"), this);
  auto* copy = actionButton(tr("Copy"), QStringLiteral("copyButton"), this);
  auto* remove = actionButton(tr("Delete"), QStringLiteral("deleteButton"), this);
  row->addWidget(regenerate);
  row->addWidget(copy);
  row->addWidget(remove);
  layout->addLayout(row);
  connect(regenerate, &QToolButton::clicked, this, &AnswerView::regenerateClicked);
  connect(copy, &QToolButton::clicked, this, [this] { emit copyClicked(visible_); });
  connect(remove, &QToolButton::clicked, this, [this] { emit deleteClicked(messageId_); });
}

void AnswerView::setRawText(const QString& raw, bool streaming) {
  const QString visible = visibleAnswer(raw, streaming ? TextState::Streaming : TextState::Complete);
  if (visible == visible_) return;
  visible_ = visible;
  body_->setText(visible_);
}

QString AnswerView::renderedText() const {
  QTextDocument doc;
  doc.setMarkdown(visible_);
  return doc.toPlainText();
}

void AnswerView::setStats(const AnswerStats& s) {
  QStringList parts;
  if (s.ttftMs >= 0) parts << tr("first token %1 ms").arg(s.ttftMs, 0, 'f', 0);
  if (s.tokensPerSecond >= 0) parts << tr("%1 tok/s").arg(s.tokensPerSecond, 0, 'f', 1);
  if (s.tokens >= 0) parts << tr("%n token(s)", nullptr, static_cast<int>(s.tokens));
  if (s.stopped) parts << tr("stopped");
  stats_->setText(parts.join(QStringLiteral(" · ")));
}

}  // namespace tally::ui
