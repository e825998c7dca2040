#include "ui/chart/chart_pane.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPushButton>
#include <QSvgGenerator>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

#include "ui/chart/chart_data_table.h"
#include "ui/chart/histogram_bins.h"
#include "ui/chart/readable_number_ticker.h"
#include "ui/document/cell_format.h"
#include "ui/document/table_export.h"

namespace tally::ui {

using tally::app::ChartType;

namespace {

constexpr double kHoverRadiusPx = 24;

// Distinguishable in colour and in grey (print), in the order series usually matter.
QColor series_colour(std::size_t i) {
  static const QColor palette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                                   QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                   QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
                                   QColor(0x17, 0xbe, 0xcf)};
  return palette[i % (sizeof(palette) / sizeof(palette[0]))];
}

QString qs(const std::string& s) { return QString::fromStdString(s); }

QFont chart_font(const QFont& base) {
  QFont f = base;
  // Korean labels: prefer a CJK family; fontconfig falls back per glyph for anything else.
  f.setFamilies({QStringLiteral("Noto Sans CJK KR"), QStringLiteral("Noto Sans KR"), QStringLiteral("NanumGothic"),
                 base.family()});
  return f;
}

bool categorical(const tally::app::ChartSpec& spec) {
  return !spec.categories.empty() && spec.type != ChartType::Scatter && spec.type != ChartType::Histogram;
}

}  // namespace

ChartPane::ChartPane(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("chartPane"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* bar = new QHBoxLayout;
  title_ = new QLabel(tr("No chart yet"), this);
  title_->setTextFormat(Qt::PlainText);
  reset_ = new QPushButton(tr("Reset view"), this);
  reset_->setToolTip(tr("Undo zoom and pan (wheel zooms, drag pans)"));
  reset_->setAccessibleName(tr("Reset chart view"));
  export_ = new QPushButton(tr("Export…"), this);
  export_->setToolTip(tr("Save the chart as PNG, SVG or PDF"));
  export_->setAccessibleName(tr("Export chart"));
  bar->addWidget(title_, 1);
  bar->addWidget(reset_);
  bar->addWidget(export_);
  exportData_ = new QPushButton(tr("Export data…"), this);
  exportData_->setObjectName(QStringLiteral("chartExportData"));
  exportData_->setToolTip(tr("Save the chart's data as an Excel workbook or a CSV file"));
  exportData_->setEnabled(false);
  bar->addWidget(exportData_);
  dataExport_ = new TableExport(this);
  connect(dataExport_, &TableExport::finished, this, [this](bool ok, const QString& message) {
    exportData_->setEnabled(!spec_.series.empty());
    emit statusMessage(message);
    if (!ok && dataExportInteractive_) QMessageBox::warning(this, tr("Export failed"), message);
    dataExportInteractive_ = false;
    emit dataExportFinished(ok, message);
  });
  connect(exportData_, &QPushButton::clicked, this, &ChartPane::onExportDataClicked);
  layout->addLayout(bar);

  plot_ = new QCustomPlot(this);
  plot_->setObjectName(QStringLiteral("chartPlot"));
  plot_->setAccessibleName(tr("Chart"));
  plot_->setFont(chart_font(plot_->font()));
  plot_->setMinimumSize(200, 150);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->setMouseTracking(true);
  const QFont f = chart_font(font());
  plot_->xAxis->setLabelFont(f);
  plot_->yAxis->setLabelFont(f);
  plot_->xAxis->setTickLabelFont(f);
  plot_->yAxis->setTickLabelFont(f);
  plot_->legend->setFont(f);
  plot_->legend->setVisible(false);
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  auto* titleElement = new QCPTextElement(plot_, QString(), QFont(f.family(), f.pointSize() + 2, QFont::Bold));
  titleElement->setObjectName(QStringLiteral("chartTitle"));
  titleElement->setFont([&] {
    QFont t = f;
    t.setBold(true);
    t.setPointSize(std::max(9, f.pointSize() + 2));
    return t;
  }());
  plot_->plotLayout()->insertRow(0);
  plot_->plotLayout()->addElement(0, 0, titleElement);
  layout->addWidget(plot_, 1);

  connect(plot_, &QCustomPlot::mouseMove, this, &ChartPane::onMouseMove);
  connect(reset_, &QPushButton::clicked, this, &ChartPane::resetView);
  connect(export_, &QPushButton::clicked, this, &ChartPane::onExportClicked);
}

ChartPane::~ChartPane() = default;

void ChartPane::showChart(const tally::app::ChartSpec& spec) {
  spec_ = spec;
  exportData_->setEnabled(!spec.series.empty() && !dataExport_->running());
  plot_->clearPlottables();
  plot_->clearItems();
  lastTooltip_.clear();
  title_->setText(spec.title.empty() ? tr("Chart") : qs(spec.title));
  if (auto* t = qobject_cast<QCPTextElement*>(plot_->plotLayout()->element(0, 0))) t->setText(qs(spec.title));

  const bool cats = categorical(spec);
  const QFont f = chart_font(font());
  if (cats) {
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (std::size_t i = 0; i < spec.categories.size(); ++i) ticker->addTick(static_cast<double>(i), qs(spec.categories[i]));
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setTickLabelRotation(spec.categories.size() > 8 ? 45 : 0);
    plot_->xAxis->setSubTicks(false);
    plot_->xAxis->grid()->setZeroLinePen(Qt::NoPen);  // category 0 is a position, not a zero
  } else {
    plot_->xAxis->grid()->setZeroLinePen(plot_->yAxis->grid()->zeroLinePen());
    plot_->xAxis->setTicker(QSharedPointer<ReadableNumberTicker>::create());
    plot_->xAxis->setTickLabelRotation(0);
    plot_->xAxis->setSubTicks(true);
  }
  plot_->yAxis->setTicker(QSharedPointer<ReadableNumberTicker>::create());
  plot_->xAxis->setLabel(title_with_unit(qs(spec.x_title), qs(spec.x_unit)));
  QString yTitle = title_with_unit(qs(spec.y_title), qs(spec.y_unit));
  if (yTitle.isEmpty() && spec.type == ChartType::Histogram) yTitle = tr("Count");
  plot_->yAxis->setLabel(yTitle);

  const std::size_t n = spec.series.size();
  auto keys_of = [&](const tally::app::ChartSeries& s) {
    QVector<double> k;
    if (!s.x.empty() && !cats) {
      for (double x : s.x) k.push_back(x);
    } else {
      for (std::size_t i = 0; i < s.y.size(); ++i) k.push_back(static_cast<double>(i));
    }
    return k;
  };
  auto values_of = [](const tally::app::ChartSeries& s, int count) {
    QVector<double> v;
    for (int i = 0; i < count; ++i)
      v.push_back(static_cast<std::size_t>(i) < s.y.size() ? s.y[static_cast<std::size_t>(i)]
                                                           : std::numeric_limits<double>::quiet_NaN());
    return v;
  };

  bool includeZero = false;
  switch (spec.type) {
    case ChartType::Line:
    case ChartType::Area:
    case ChartType::Scatter:
      for (std::size_t i = 0; i < n; ++i) {
        const auto& s = spec.series[i];
        QCPGraph* g = plot_->addGraph();
        g->setName(qs(s.name));
        QVector<double> k = keys_of(s);
        g->setData(k, values_of(s, k.size()), /*alreadySorted=*/false);
        QPen pen(series_colour(i));
        pen.setWidthF(2);
        g->setPen(pen);
        if (spec.type == ChartType::Scatter) {
          g->setLineStyle(QCPGraph::lsNone);
          g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, series_colour(i), series_colour(i), 6));
        } else {
          g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
        }
        if (spec.type == ChartType::Area) {
          QColor fill = series_colour(i);
          fill.setAlpha(60);
          g->setBrush(fill);
          includeZero = true;
        }
      }
      break;
    case ChartType::Bar:
    case ChartType::StackedBar: {
      includeZero = true;
      const bool stacked = spec.type == ChartType::StackedBar;
      QCPBarsGroup* group = !stacked && n > 1 ? new QCPBarsGroup(plot_) : nullptr;
      QCPBars* below = nullptr;
      for (std::size_t i = 0; i < n; ++i) {
        const auto& s = spec.series[i];
        auto* b = new QCPBars(plot_->xAxis, plot_->yAxis);
        b->setName(qs(s.name));
        QVector<double> k = keys_of(s), v = values_of(s, static_cast<int>(s.y.size()));
        QVector<double> kk, vv;
        for (int j = 0; j < k.size(); ++j)
          if (!std::isnan(v[j])) {  // a missing value is no bar, not a zero bar
            kk.push_back(k[j]);
            vv.push_back(v[j]);
          }
        b->setData(kk, vv);
        b->setWidth(group ? 0.8 / static_cast<double>(n) : 0.7);
        b->setPen(QPen(series_colour(i).darker(120)));
        b->setBrush(series_colour(i));
        if (group) b->setBarsGroup(group);
        if (stacked && below) b->moveAbove(below);
        below = b;
      }
      break;
    }
    case ChartType::Histogram:
      includeZero = true;
      for (std::size_t i = 0; i < n; ++i) {
        const auto& s = spec.series[i];
        const HistogramBins h = make_histogram(s.x.empty() ? s.y : s.x, spec.bins);
        auto* b = new QCPBars(plot_->xAxis, plot_->yAxis);
        b->setName(qs(s.name));
        QVector<double> k, v;
        for (std::size_t j = 0; j < h.counts.size(); ++j) {
          k.push_back(h.centre(j));
          v.push_back(h.counts[j]);
        }
        b->setData(k, v);
        b->setWidth(h.width);
        QColor fill = series_colour(i);
        if (n > 1) fill.setAlpha(140);
        b->setBrush(fill);
        b->setPen(QPen(series_colour(i).darker(130)));
      }
      break;
  }

  bool named = false;
  for (const auto& s : spec.series) named = named || !s.name.empty();
  plot_->legend->setVisible(named && (n > 1 || spec.type != ChartType::Histogram));
  // Unnamed series would leave blank legend rows.
  for (int i = plot_->legend->itemCount() - 1; i >= 0; --i) {
    auto* item = qobject_cast<QCPPlottableLegendItem*>(plot_->legend->item(i));
    if (item && item->plottable()->name().isEmpty()) plot_->legend->removeItem(i);
  }

  plot_->rescaleAxes();
  QCPRange y = plot_->yAxis->range();
  if (includeZero) y.expand(0.0);
  const double pad = (y.upper - y.lower) * 0.06;
  if (pad > 0) {
    y.upper += pad;
    if (!(includeZero && y.lower >= 0)) y.lower -= pad;
  } else {
    y = QCPRange(y.lower - 1, y.upper + 1);
  }
  plot_->yAxis->setRange(y);
  if (cats) {
    plot_->xAxis->setRange(-0.6, static_cast<double>(spec.categories.size()) - 0.4);
  } else {
    QCPRange x = plot_->xAxis->range();
    const double xpad = (x.upper - x.lower) * 0.03;
    plot_->xAxis->setRange(xpad > 0 ? QCPRange(x.lower - xpad, x.upper + xpad) : QCPRange(x.lower - 1, x.upper + 1));
  }
  homeX_ = plot_->xAxis->range();
  homeY_ = plot_->yAxis->range();
  plot_->replot();
  emit statusMessage(tr("Chart: %1").arg(title_->text()));
}

void ChartPane::resetView() {
  plot_->xAxis->setRange(homeX_);
  plot_->yAxis->setRange(homeY_);
  plot_->replot();
}

QString ChartPane::xLabel(double key, const QCPAbstractPlottable* p) const {
  if (spec_.type == ChartType::Histogram) {
    if (auto* b = qobject_cast<const QCPBars*>(p)) {
      const double half = b->width() / 2;
      return QStringLiteral("%1 – %2").arg(readable_number(key - half, 4), readable_number(key + half, 4));
    }
  }
  if (categorical(spec_)) {
    const auto i = static_cast<long>(std::llround(key));
    if (i >= 0 && static_cast<std::size_t>(i) < spec_.categories.size()) return qs(spec_.categories[static_cast<std::size_t>(i)]);
  }
  return format_number(key, 4);
}

QString ChartPane::tooltipAt(const QPoint& pos) const {
  double best = kHoverRadiusPx;
  QString text;
  const QString xName = spec_.x_title.empty() ? QStringLiteral("x") : qs(spec_.x_title);
  QString yName = spec_.y_title.empty() ? QStringLiteral("y") : qs(spec_.y_title);
  if (spec_.type == ChartType::Histogram) yName = tr("Count");
  const QString yUnit = spec_.y_unit.empty() || spec_.type == ChartType::Histogram ? QString() : QLatin1Char(' ') + qs(spec_.y_unit);
  for (int i = 0; i < plot_->plottableCount(); ++i) {
    QCPAbstractPlottable* p = plot_->plottable(i);
    double key = 0, value = 0;
    double dist = std::numeric_limits<double>::max();
    if (auto* g = qobject_cast<QCPGraph*>(p)) {
      for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
        if (std::isnan(it->value)) continue;
        const double px = g->keyAxis()->coordToPixel(it->key), py = g->valueAxis()->coordToPixel(it->value);
        const double d = std::hypot(px - pos.x(), py - pos.y());
        if (d < dist) {
          dist = d;
          key = it->key;
          value = it->value;
        }
      }
    } else if (auto* b = qobject_cast<QCPBars*>(p)) {
      QVariant details;
      const double d = b->selectTest(QPointF(pos), false, &details);
      if (d < 0) continue;
      const auto sel = details.value<QCPDataSelection>();
      if (sel.isEmpty()) continue;
      const int idx = sel.dataRange().begin();
      if (idx < 0 || idx >= b->data()->size()) continue;
      auto it = b->data()->at(idx);
      // QCustomPlot hits a bar only inside its rectangle (and reports a near-tolerance distance): on it.
      dist = 0;
      key = it->key;
      value = it->value;
    } else {
      continue;
    }
    if (dist <= best) {
      best = dist;
      const QString series = p->name().isEmpty() ? yName : p->name();
      text = QStringLiteral("%1\n%2: %3\n%4: %5")
                 .arg(series, xName, xLabel(key, p), yName, format_number(value, 4) + yUnit);
    }
  }
  return text;
}

void ChartPane::onMouseMove(QMouseEvent* event) {
  if (event->buttons() != Qt::NoButton) return;  // dragging pans; no tooltip chase
  const QString text = tooltipAt(event->pos());
  lastTooltip_ = text;
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(plot_->mapToGlobal(event->pos()), text, plot_);
}

bool ChartPane::exportTo(const QString& path, QString* error) {
  const QString ext = QFileInfo(path).suffix().toLower();
  const int w = std::max(plot_->width(), 640), h = std::max(plot_->height(), 400);
  bool ok = false;
  if (ext == QLatin1String("png")) {
    ok = plot_->savePng(path, w, h, 2.0);
  } else if (ext == QLatin1String("pdf")) {
    ok = plot_->savePdf(path, w, h, QCP::epNoCosmetic, QStringLiteral("Tally"), title_->text());
  } else if (ext == QLatin1String("svg")) {
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(QSize(w, h));
    svg.setViewBox(QRect(0, 0, w, h));
    svg.setTitle(title_->text());
    svg.setDescription(qs(spec_.source_sql));
    QCPPainter painter;
    ok = painter.begin(&svg);
    if (ok) {
      plot_->toPainter(&painter, w, h);
      ok = painter.end();
    }
    ok = ok && QFileInfo(path).size() > 0;
  } else {
    if (error) *error = tr("Cannot export to %1: use a .png, .svg or .pdf file name").arg(path);
    return false;
  }
  if (!ok && error) *error = tr("Could not write %1").arg(path);
  if (ok) emit statusMessage(tr("Chart saved to %1").arg(path));
  return ok;
}

bool ChartPane::exportData(const QString& path) {
  if (spec_.series.empty() || dataExport_->running()) return false;
  if (!dataExport_->startTable(chart_data_table(spec_), path, {})) return false;
  exportData_->setEnabled(false);
  return true;
}

void ChartPane::onExportDataClicked() {
  const QString filters = excel_file_filter() + QStringLiteral(";;") + csv_file_filter();
  QString selected;
  QString path = QFileDialog::getSaveFileName(this, tr("Export chart data"), QString(), filters, &selected);
  if (path.isEmpty()) return;
  if (!tally::data::export_format_for_path(path.toStdString()))
    path += selected == csv_file_filter() ? QStringLiteral(".csv") : QStringLiteral(".xlsx");
  dataExportInteractive_ = true;
  if (!exportData(path)) dataExportInteractive_ = false;
}

void ChartPane::onExportClicked() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), QString(),
                                                    tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
  if (path.isEmpty()) return;
  QString error;
  if (!exportTo(path, &error)) emit statusMessage(error);
}

}  // namespace tally::ui
