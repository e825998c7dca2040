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

 signals:
  void statusMessage(const QString& message);

 private:
  void onMouseMove(QMouseEvent* event);
  void onExportClicked();
  QString xLabel(double key, const QCPAbstractPlottable* plottable) const;

  QCustomPlot* plot_ = nullptr;
  QLabel* title_ = nullptr;
  QPushButton* reset_ = nullptr;
  QPushButton* export_ = nullptr;
  tally::app::ChartSpec spec_;
  QString lastTooltip_;
  QCPRange homeX_, homeY_;  // the ranges showChart chose, for Reset view
};

}  // namespace tally::ui
