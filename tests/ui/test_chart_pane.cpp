// The chart pane: every chart type draws the spec's values (read back from QCustomPlot), axis titles carry units,
// categorical x uses text ticks, hovering names the nearest point, zoom resets, and PNG/SVG/PDF exports are written.
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QImage>
#include <QPushButton>
#include <QTest>
#include <QWheelEvent>
#include <cmath>
#include <gtest/gtest.h>
#include <qcustomplot.h>

#include "copilot/chart_spec.h"
#include "fixtures.h"
#include "ui/chart/chart_pane.h"
#include "ui/chart/histogram_bins.h"
#include "ui/chart/readable_number_ticker.h"

namespace {

using tally::app::ChartSeries;
using tally::app::ChartSpec;
using tally::app::ChartType;
using tally::ui::ChartPane;

ChartSpec monthly(ChartType type) {
  ChartSpec s;
  s.type = type;
  s.title = "월별 매출 (Monthly revenue)";
  s.x_title = "Month";
  s.y_title = "Revenue";
  s.y_unit = "KRW";
  s.categories = {"2026-01", "2026-02", "2026-03"};
  s.series = {{"서울", {}, {1234567, 2000000, 1500000}}, {"부산", {}, {500000, std::nan(""), 750000}}};
  return s;
}

QCPBars* bars(QCustomPlot* p, int i) { return qobject_cast<QCPBars*>(p->plottable(i)); }

void show_sized(ChartPane& pane) {
  pane.resize(900, 600);
  pane.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&pane));
  pane.plot()->replot();
}

TEST(ChartPane, LineChartHasTheSpecValuesAndTitles) {
  ChartPane pane;
  pane.showChart(monthly(ChartType::Line));
  QCustomPlot* p = pane.plot();
  ASSERT_EQ(p->graphCount(), 2);
  ASSERT_EQ(p->graph(0)->data()->size(), 3);
  EXPECT_EQ(p->graph(0)->name(), QStringLiteral("서울"));
  EXPECT_DOUBLE_EQ(p->graph(0)->data()->at(0)->value, 1234567);
  EXPECT_DOUBLE_EQ(p->graph(0)->data()->at(1)->key, 1);
  EXPECT_DOUBLE_EQ(p->graph(0)->data()->at(2)->value, 1500000);
  EXPECT_TRUE(std::isnan(p->graph(1)->data()->at(1)->value));  // a gap, not a zero
  EXPECT_EQ(p->yAxis->label(), QStringLiteral("Revenue (KRW)"));
  EXPECT_EQ(p->xAxis->label(), QStringLiteral("Month"));
  EXPECT_TRUE(p->legend->visible());
  auto ticker = p->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
  ASSERT_TRUE(ticker);
  EXPECT_EQ(ticker->ticks().value(1), QStringLiteral("2026-02"));
}

TEST(ChartPane, BarAndStackedBar) {
  ChartPane pane;
  pane.showChart(monthly(ChartType::Bar));
  QCustomPlot* p = pane.plot();
  ASSERT_EQ(p->plottableCount(), 2);
  ASSERT_NE(bars(p, 0), nullptr);
  EXPECT_DOUBLE_EQ(bars(p, 0)->data()->at(1)->value, 2000000);
  EXPECT_EQ(bars(p, 1)->data()->size(), 2);  // the missing value draws no bar
  EXPECT_NE(bars(p, 0)->barsGroup(), nullptr);
  EXPECT_LE(p->yAxis->range().lower, 0.0);

  pane.showChart(monthly(ChartType::StackedBar));
  ASSERT_EQ(p->plottableCount(), 2);
  EXPECT_EQ(bars(p, 1)->barBelow(), bars(p, 0));
  EXPECT_DOUBLE_EQ(bars(p, 1)->data()->at(1)->value, 750000);
  EXPECT_GE(p->yAxis->range().upper, 1500000.0 + 750000.0);
}

TEST(ChartPane, AreaScatterHistogram) {
  ChartPane pane;
  pane.showChart(monthly(ChartType::Area));
  EXPECT_NE(pane.plot()->graph(0)->brush().style(), Qt::NoBrush);

  ChartSpec scatter;
  scatter.type = ChartType::Scatter;
  scatter.x_title = "Units";
  scatter.y_title = "Revenue";
  scatter.series = {{"stores", {1, 2, 3, 10}, {5, 4, 3, 2}}};
  pane.showChart(scatter);
  QCustomPlot* p = pane.plot();
  ASSERT_EQ(p->graphCount(), 1);
  EXPECT_EQ(p->graph(0)->lineStyle(), QCPGraph::lsNone);
  EXPECT_DOUBLE_EQ(p->graph(0)->data()->at(3)->key, 10);
  EXPECT_DOUBLE_EQ(p->graph(0)->data()->at(3)->value, 2);

  ChartSpec hist;
  hist.type = ChartType::Histogram;
  hist.x_title = "Order size";
  hist.bins = 10;
  ChartSeries values{"orders", {}, {}};
  for (int i = 1; i <= 100; ++i) values.x.push_back(i);
  hist.series = {values};
  pane.showChart(hist);
  ASSERT_EQ(p->plottableCount(), 1);
  QCPBars* b = bars(p, 0);
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->data()->size(), 10);
  double total = 0;
  for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it) total += it->value;
  EXPECT_DOUBLE_EQ(total, 100);
  EXPECT_DOUBLE_EQ(b->data()->at(0)->value, 10);
  EXPECT_NEAR(b->width(), 9.9, 1e-9);
  EXPECT_EQ(p->yAxis->label(), QStringLiteral("Count"));
}

TEST(ChartPane, HistogramBinsAndReadableNumbers) {
  auto h = tally::ui::make_histogram({1, 1, 2, std::nan(""), 3}, 0);
  double n = 0;
  for (double c : h.counts) n += c;
  EXPECT_EQ(n, 4);  // NaN is not data
  EXPECT_TRUE(tally::ui::make_histogram({}, 5).counts.empty());
  EXPECT_EQ(tally::ui::make_histogram({7, 7}, 0).counts.size(), 2u);
  EXPECT_EQ(tally::ui::readable_number(1234567), QStringLiteral("1.23M"));
  EXPECT_EQ(tally::ui::readable_number(25000), QStringLiteral("25,000"));
  EXPECT_EQ(tally::ui::readable_number(-3.2e9), QStringLiteral("-3.2B"));
}

TEST(ChartPane, HoverShowsTheNearestPoint) {
  ChartPane pane;
  pane.showChart(monthly(ChartType::Line));
  show_sized(pane);
  QCustomPlot* p = pane.plot();
  const QPoint at(static_cast<int>(p->xAxis->coordToPixel(1)), static_cast<int>(p->yAxis->coordToPixel(2000000)));
  // Move away first: Qt sends no move event when the pointer is already where it is sent (an earlier test).
  QTest::mouseMove(p, QPoint(1, 1));
  QTest::qWait(5);
  QTest::mouseMove(p, at + QPoint(3, -2));
  QTest::qWait(20);
  const QString tip = pane.lastTooltip();
  EXPECT_TRUE(tip.contains(QStringLiteral("서울"))) << tip.toStdString();
  EXPECT_TRUE(tip.contains(QStringLiteral("2026-02"))) << tip.toStdString();
  EXPECT_TRUE(tip.contains(QStringLiteral("2,000,000 KRW"))) << tip.toStdString();
  // Far from every point: no tooltip.
  EXPECT_TRUE(pane.tooltipAt(QPoint(p->axisRect()->left() + 2, p->axisRect()->top() + 2)).isEmpty());

  pane.showChart(monthly(ChartType::Bar));
  p->replot();
  QCPBars* b = bars(p, 0);
  // The middle of the first series' bar for 2026-03 (bars of a group are side by side).
  QPointF centre;
  bool found = false;
  for (int x = p->axisRect()->left(); x < p->axisRect()->right() && !found; ++x) {
    const QPoint probe(x, static_cast<int>(p->yAxis->coordToPixel(100000)));
    QVariant details;
    if (b->selectTest(probe, false, &details) >= 0 &&
        details.value<QCPDataSelection>().dataRange().begin() == 2) {
      centre = probe;
      found = true;
    }
  }
  ASSERT_TRUE(found);
  const QString barTip = pane.tooltipAt(centre.toPoint());
  EXPECT_TRUE(barTip.contains(QStringLiteral("2026-03"))) << barTip.toStdString();
  EXPECT_TRUE(barTip.contains(QStringLiteral("1,500,000"))) << barTip.toStdString();
}

TEST(ChartPane, WheelZoomsAndResetRestores) {
  ChartPane pane;
  pane.showChart(monthly(ChartType::Line));
  show_sized(pane);
  QCustomPlot* p = pane.plot();
  const QCPRange before = p->xAxis->range();
  const QPointF centre = p->axisRect()->center();
  QWheelEvent wheel(centre, p->mapToGlobal(centre), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                    Qt::NoScrollPhase, false);
  QCoreApplication::sendEvent(p, &wheel);
  EXPECT_LT(p->xAxis->range().size(), before.size());
  auto* reset = pane.findChild<QPushButton*>();
  ASSERT_NE(reset, nullptr);
  pane.resetView();
  EXPECT_DOUBLE_EQ(p->xAxis->range().lower, before.lower);
  EXPECT_DOUBLE_EQ(p->xAxis->range().upper, before.upper);
}

TEST(ChartPane, ExportsPngSvgPdf) {
  ChartPane pane;
  pane.showChart(monthly(ChartType::StackedBar));
  show_sized(pane);
  const QString dir = QString::fromStdString(tally::testing::scratch_dir("ui_chart_export"));
  for (const char* ext : {"png", "svg", "pdf"}) {
    const QString path = dir + QStringLiteral("/chart.") + QString::fromLatin1(ext);
    QString error;
    ASSERT_TRUE(pane.exportTo(path, &error)) << ext << ": " << error.toStdString();
    EXPECT_GT(QFileInfo(path).size(), 500) << ext;
  }
  QImage png(dir + QStringLiteral("/chart.png"));
  EXPECT_FALSE(png.isNull());
  EXPECT_GE(png.width(), 640);
  QFile svg(dir + QStringLiteral("/chart.svg"));
  ASSERT_TRUE(svg.open(QIODevice::ReadOnly));
  EXPECT_TRUE(svg.readAll().contains("<svg"));
  QFile pdf(dir + QStringLiteral("/chart.pdf"));
  ASSERT_TRUE(pdf.open(QIODevice::ReadOnly));
  EXPECT_TRUE(pdf.read(5).startsWith("%PDF"));

  QString error;
  EXPECT_FALSE(pane.exportTo(dir + QStringLiteral("/chart.bmpx"), &error));
  EXPECT_TRUE(error.contains(QStringLiteral(".png")));
}

TEST(ChartPane, KoreanLabelsHaveAFont) {
  // fonts-noto-cjk is a declared dependency; without it Hangul renders as boxes.
  if (QFontDatabase::families(QFontDatabase::Korean).isEmpty()) GTEST_SKIP() << "no Korean font installed";
  ChartPane pane;
  pane.showChart(monthly(ChartType::Bar));
  const QFontMetrics fm(pane.plot()->legend->font());
  EXPECT_TRUE(fm.inFont(QChar(0xC11C)));  // 서
}

}  // namespace
