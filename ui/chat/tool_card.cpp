#include "ui/chat/tool_card.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/chat/visible_text.h"

namespace tally::ui {
namespace {

constexpr int kCompactRows = 5;
constexpr int kCompactColumns = 6;
constexpr int kArgumentChars = 400;

QString cellText(const QJsonValue& v) {
  if (v.isNull() || v.isUndefined()) return QStringLiteral("—");
  if (v.isDouble()) return QString::number(v.toDouble(), 'g', 10);
  if (v.isBool()) return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
  if (v.isString()) return v.toString();
  const QJsonDocument doc = v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
  return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

}  // namespace

ToolCard::ToolCard(qint64 callMessageId, const QString& tool, QWidget* parent)
    : QWidget(parent), callId_(callMessageId), tool_(tool) {
  setObjectName(QStringLiteral("toolCard"));
  setAttribute(Qt::WA_StyledBackground, true);
  setStyleSheet(QStringLiteral("#toolCard { border: 1px solid palette(mid); border-radius: 6px;"
                               " background: palette(base); }"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(10, 8, 10, 8);
  preamble_ = new QLabel(this);
  preamble_->setObjectName(QStringLiteral("toolPreamble"));
  preamble_->setTextFormat(Qt::PlainText);
  preamble_->setWordWrap(true);
  preamble_->setVisible(false);
  layout->addWidget(preamble_);

  auto* title = new QLabel(this);
  title->setObjectName(QStringLiteral("toolTitle"));
  title->setTextFormat(Qt::PlainText);
  title->setText(tr("Tool: %1").arg(tool));
  QFont bold = title->font();
  bold.setBold(true);
  title->setFont(bold);
  status_ = new QLabel(tr("running…"), this);
  status_->setStyleSheet(QStringLiteral("color: palette(mid);"));
  auto* head = new QHBoxLayout;
  head->addWidget(title);
  head->addStretch(1);
  head->addWidget(status_);
  layout->addLayout(head);

  arguments_ = new QLabel(this);
  arguments_->setObjectName(QStringLiteral("toolArguments"));
  arguments_->setTextFormat(Qt::PlainText);
  arguments_->setWordWrap(true);
  arguments_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  arguments_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  layout->addWidget(arguments_);

  table_ = new QTableWidget(this);
  table_->setObjectName(QStringLiteral("toolResultTable"));
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setVisible(false);
  table_->setAccessibleName(tr("Tool result"));
  layout->addWidget(table_);

  auto* buttons = new QHBoxLayout;
  showResult_ = new QPushButton(tr("Show in document pane"), this);
  showResult_->setObjectName(QStringLiteral("showResultButton"));
  showResult_->setEnabled(false);
  showChart_ = new QPushButton(tr("Show chart"), this);
  showChart_->setObjectName(QStringLiteral("showChartButton"));
  showChart_->setVisible(false);
  buttons->addWidget(showResult_);
  buttons->addWidget(showChart_);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  connect(showResult_, &QPushButton::clicked, this,
          [this] { emit showResultClicked(tr("Result of %1").arg(tool_), resultJson_); });
  connect(showChart_, &QPushButton::clicked, this, [this] { emit showChartClicked(chartJson_); });
}

void ToolCard::setPreamble(const QString& raw) {
  const QString text = withoutMarkup(raw).trimmed();
  preamble_->setText(text);
  preamble_->setVisible(!text.isEmpty());
}

void ToolCard::setArguments(const QString& raw, bool streaming) {
  QString text = withoutMarkup(raw, streaming ? TextState::Streaming : TextState::Complete).trimmed();
  if (text.size() > kArgumentChars) text = text.left(kArgumentChars) + QStringLiteral(" …");
  arguments_->setText(text);
}

void ToolCard::setResult(const QString& resultJson) {
  resultJson_ = resultJson;
  showResult_->setEnabled(true);
  const QJsonObject envelope = QJsonDocument::fromJson(resultJson.toUtf8()).object();
  if (envelope.value(QStringLiteral("ok")).toBool(true) == false) {
    status_->setText(tr("error: %1").arg(envelope.value(QStringLiteral("error")).toString().left(200)));
    status_->setStyleSheet(QStringLiteral("color: #b03030;"));
    return;
  }
  status_->setText(tr("done"));
  const QJsonObject result = envelope.value(QStringLiteral("result")).toObject();
  const QJsonArray columns = result.value(QStringLiteral("columns")).toArray();
  const QJsonArray rows = result.value(QStringLiteral("rows")).toArray();
  if (columns.isEmpty() || !columns.first().isString()) {
    // Not a row set (describe, anomalies, charts): list the result's scalar fields instead.
    table_->setColumnCount(2);
    table_->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
    int r = 0;
    for (auto it = result.begin(); it != result.end() && r < kCompactRows; ++it) {
      if (it.value().isArray() || it.value().isObject()) continue;
      table_->setRowCount(r + 1);
      table_->setItem(r, 0, new QTableWidgetItem(it.key()));
      table_->setItem(r, 1, new QTableWidgetItem(cellText(it.value())));
      ++r;
    }
    table_->setVisible(r > 0);
  } else {
    const int cols = std::min(static_cast<int>(columns.size()), kCompactColumns);
    const int shown = std::min(static_cast<int>(rows.size()), kCompactRows);
    table_->setColumnCount(cols);
    QStringList headers;
    for (int c = 0; c < cols; ++c) headers << columns.at(c).toString();
    table_->setHorizontalHeaderLabels(headers);
    table_->setRowCount(shown);
    for (int r = 0; r < shown; ++r) {
      const QJsonArray row = rows.at(r).toArray();
      for (int c = 0; c < cols; ++c) table_->setItem(r, c, new QTableWidgetItem(cellText(row.at(c))));
    }
    if (rows.size() > shown) status_->setText(tr("%1 rows (first %2 shown)").arg(rows.size()).arg(shown));
    else status_->setText(tr("%n row(s)", nullptr, static_cast<int>(rows.size())));
    table_->setVisible(true);
  }
  table_->resizeColumnsToContents();
  const int height = table_->horizontalHeader()->height() + 2 * table_->frameWidth() +
                     table_->rowCount() * table_->verticalHeader()->defaultSectionSize();
  table_->setFixedHeight(height + 2);
}

void ToolCard::setChart(const QString& chartSpecJson) {
  chartJson_ = chartSpecJson;
  showChart_->setVisible(!chartSpecJson.isEmpty());
}

}  // namespace tally::ui
