#pragma once
// How stored values read in the table and the statistics panel: numbers with thousands separators (in the user's
// locale, or en-US when the locale is "C", which would print none), percent cells with their sign, booleans as
// words. Currency units go in the column header, not in every cell.
#include <QLocale>
#include <QString>
#include <QVariant>

namespace tally::ui {

QLocale display_locale();
QString format_number(double value, int maxDecimals = -1);  // -1: shortest exact form
QString format_cell(const QVariant& value, const QString& columnType);
// "revenue_krw (KRW)"; the bare name without a unit.
QString title_with_unit(const QString& name, const QString& unit);

}  // namespace tally::ui
