#include "ui/chart/readable_number_ticker.h"

#include <cmath>

#include "ui/document/cell_format.h"

namespace tally::ui {

QString readable_number(double value, int maxDecimals) {
  const double a = std::fabs(value);
  if (a >= 1e12) return format_number(value / 1e12, maxDecimals) + QLatin1Char('T');
  if (a >= 1e9) return format_number(value / 1e9, maxDecimals) + QLatin1Char('B');
  if (a >= 1e6) return format_number(value / 1e6, maxDecimals) + QLatin1Char('M');
  return format_number(value, maxDecimals);
}

QString ReadableNumberTicker::getTickLabel(double tick, const QLocale&, QChar, int) {
  // Tick steps are "nice" numbers; floating-point noise near zero would otherwise print as 1.2e-13.
  if (std::fabs(tick) < 1e-9) tick = 0;
  return readable_number(tick, 3);
}

}  // namespace tally::ui
