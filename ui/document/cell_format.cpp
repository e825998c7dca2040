#include "ui/document/cell_format.h"

#include <QCoreApplication>
#include <cmath>

namespace tally::ui {

QLocale display_locale() {
  QLocale l;
  if (l.language() == QLocale::C) l = QLocale(QLocale::English, QLocale::UnitedStates);
  l.setNumberOptions(l.numberOptions() & ~QLocale::OmitGroupSeparator);
  return l;
}

QString format_number(double value, int maxDecimals) {
  if (std::isnan(value)) return QString();
  if (std::isinf(value)) return value > 0 ? QStringLiteral("∞") : QStringLiteral("-∞");
  const QLocale l = display_locale();
  if (maxDecimals < 0) {
    if (std::fabs(value) < 1e15 && value == std::trunc(value)) return l.toString(static_cast<qlonglong>(value));
    return l.toString(value, 'f', QLocale::FloatingPointShortest);
  }
  QString s = l.toString(value, 'f', maxDecimals);
  // Trailing zeros after the decimal point carry no information in a summary.
  const QString point = l.decimalPoint();
  if (maxDecimals > 0 && s.contains(point)) {
    while (s.endsWith(QLatin1Char('0'))) s.chop(1);
    if (s.endsWith(point)) s.chop(point.size());
  }
  return s;
}

QString format_cell(const QVariant& value, const QString& columnType) {
  if (!value.isValid() || value.isNull()) return QString();
  const auto id = value.typeId();
  const bool isNumber = id == QMetaType::LongLong || id == QMetaType::Int || id == QMetaType::Double;
  if (!isNumber) return value.toString();
  if (columnType == QLatin1String("boolean") && id != QMetaType::Double)
    return value.toLongLong() != 0 ? QCoreApplication::translate("tally::ui::DocumentPane", "true")
                                   : QCoreApplication::translate("tally::ui::DocumentPane", "false");
  if (id == QMetaType::Double) {
    QString s = format_number(value.toDouble());
    return columnType == QLatin1String("percent") ? s + QLatin1Char('%') : s;
  }
  QString s = display_locale().toString(value.toLongLong());
  return columnType == QLatin1String("percent") ? s + QLatin1Char('%') : s;
}

QString title_with_unit(const QString& name, const QString& unit) {
  if (unit.isEmpty()) return name;
  return QStringLiteral("%1 (%2)").arg(name, unit);
}

}  // namespace tally::ui
