#include "ui/chat/thinking_view.h"

#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/chat/visible_text.h"

namespace tally::ui {

ThinkingView::ThinkingView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  toggle_ = new QToolButton(this);
  toggle_->setObjectName(QStringLiteral("thinkingToggle"));
  toggle_->setCheckable(true);
  toggle_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  toggle_->setArrowType(Qt::RightArrow);
  toggle_->setAutoRaise(true);
  toggle_->setAccessibleName(tr("Show or hide the model's reasoning"));
  body_ = new QLabel(this);
  body_->setObjectName(QStringLiteral("thinkingText"));
  body_->setTextFormat(Qt::PlainText);
  body_->setWordWrap(true);
  body_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  body_->setStyleSheet(QStringLiteral("color: palette(mid); padding-left: 18px;"));
  body_->setVisible(false);
  layout->addWidget(toggle_, 0, Qt::AlignLeft);
  layout->addWidget(body_);
  connect(toggle_, &QToolButton::toggled, this, [this](bool on) {
    body_->setVisible(on);
    toggle_->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
  });
  updateTitle();
}

void ThinkingView::setRawText(const QString& raw, bool streaming) {
  streaming_ = streaming;
  body_->setText(withoutMarkup(raw, streaming ? TextState::Streaming : TextState::Complete).trimmed());
  updateTitle();
}

void ThinkingView::setDuration(double ms) {
  durationMs_ = ms;
  streaming_ = false;
  updateTitle();
}

bool ThinkingView::isExpanded() const { return toggle_->isChecked(); }
QString ThinkingView::shownText() const { return body_->text(); }

void ThinkingView::updateTitle() {
  if (streaming_)
    toggle_->setText(tr("Thinking…"));
  else if (durationMs_ >= 0)
    toggle_->setText(tr("Thinking (%1 s)").arg(durationMs_ / 1000.0, 0, 'f', 1));
  else
    toggle_->setText(tr("Thinking"));
}

}  // namespace tally::ui
