#pragma once
// A tool call of the model as a card: the tool, its arguments, the commentary preamble that introduced it, a compact
// table of the result, and buttons that show the full result in the document pane or the chart in the chart pane.
#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace tally::ui {

class ToolCard : public QWidget {
  Q_OBJECT
 public:
  ToolCard(qint64 callMessageId, const QString& tool, QWidget* parent = nullptr);
  qint64 callMessageId() const { return callId_; }
  QString tool() const { return tool_; }
  bool hasResult() const { return !resultJson_.isEmpty(); }
  void setPreamble(const QString& raw);
  void setArguments(const QString& raw, bool streaming);
  void setResult(const QString& resultJson);
  void setChart(const QString& chartSpecJson);
  QString chartSpecJson() const { return chartJson_; }

 signals:
  void showResultClicked(const QString& title, const QString& resultJson);
  void showChartClicked(const QString& chartSpecJson);

 private:
  qint64 callId_;
  QString tool_;
  QString resultJson_;
  QString chartJson_;
  QLabel* preamble_;
  QLabel* arguments_;
  QLabel* status_;
  QTableWidget* table_;
  QPushButton* showResult_;
  QPushButton* showChart_;
};

}  // namespace tally::ui
