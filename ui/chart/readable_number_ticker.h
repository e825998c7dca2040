#pragma once
// Axis tick labels an analyst reads at a glance: thousands separators below a million, then 1.2M / 3.4B
// (a revenue axis in won reaches billions, where a full number no longer fits between ticks).
#include <QString>
#include <qcustomplot.h>

namespace tally::ui {

QString readable_number(double value, int maxDecimals = 2);

class ReadableNumberTicker : public QCPAxisTicker {
 protected:
  QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override;
};

}  // namespace tally::ui
