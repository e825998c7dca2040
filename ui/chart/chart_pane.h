#pragma once
// Draws a ChartSpec (the make_chart tool's output) with QCustomPlot: line, bar, stacked bar, area, scatter and
// histogram; legend, axis titles with units, text ticks for categorical x, a hover tooltip naming the nearest
// point, wheel zoom / drag pan with a reset button, and export to PNG, SVG or PDF.
#include <QString>
#include <QWidget>
#include <vector>
#include <qcustomplot.h>

#include "copilot/chart_spec.h"

class QCustomPlot;
class QLabel;
class QPushButton;
class QMouseEvent;
class QCPAbstractPlottable;

namespace tally::ui {

class TableExport;

class ChartPane : public QWidget {
  Q_OBJECT
 public:
  explicit ChartPane(QWidget* parent = nullptr);
  ~ChartPane() override;

  void showChart(const tally::app::ChartSpec& spec);
  // Format by extension: .png, .svg, .pdf. On failure returns false and says why in `error`.
  bool exportTo(const QString& path, QString* error = nullptr);
  QCustomPlot* plot() { return plot_; }

  const tally::app::ChartSpec& spec() const { return spec_; }
  // The tooltip text for the point nearest to `pos` (plot widget coordinates); empty when none is near.
  QString tooltipAt(const QPoint& pos) const;
  QString lastTooltip() const { return lastTooltip_; }
  void resetView();
  // The chart's data (chart_data_table.h) to .xlsx or .csv by the extension, on a background thread; the outcome
  // comes with dataExportFinished(). Never opens a dialog (the "Export data…" button asks for the file first).
  bool exportData(const QString& path);
  QPushButton* exportDataButton() const { return exportData_; }

 signals:
  void statusMessage(const QString& message);
  void dataExportFinished(bool ok, const QString& message);

 private:
  void onMouseMove(QMouseEvent* event);
  void onExportClicked();
  void onExportDataClicked();
  QString xLabel(double key, const QCPAbstractPlottable* plottable) const;

  QCustomPlot* plot_ = nullptr;
  QLabel* title_ = nullptr;
  QPushButton* reset_ = nullptr;
  QPushButton* export_ = nullptr;
  QPushButton* exportData_ = nullptr;
  TableExport* dataExport_ = nullptr;
  bool dataExportInteractive_ = false;
  tally::app::ChartSpec spec_;
  QString lastTooltip_;
  QCPRange homeX_, homeY_;  // the ranges showChart chose, for Reset view
};

}  // namespace tally::ui
