#include <gtest/gtest.h>

#include "tally/data/cell_value.h"
#include "tally/data/column_profile.h"

namespace tally::data {
namespace {

double num(std::string_view s) {
  auto n = parse_number(s);
  EXPECT_TRUE(n) << s;
  return n ? n->value : -999;
}
std::string unit(std::string_view s) {
  auto n = parse_number(s);
  return n ? std::string(n->unit) : "<none>";
}
std::string date(std::string_view s, bool day_first = false) {
  auto d = parse_date(s, day_first);
  if (!d) return "<none>";
  char buf[11];
  return std::string(buf, format_date(*d, buf));
}
std::string month(std::string_view s) {
  auto d = parse_month(s);
  if (!d) return "<none>";
  char buf[8];
  return std::string(buf, format_month(*d, buf));
}
std::string datetime(std::string_view s) {
  auto d = parse_datetime(s);
  if (!d) return "<none>";
  char buf[20];
  return std::string(buf, format_datetime(*d, buf));
}

TEST(NumberCells, IntegersAndDecimalsWithThousandsSeparators) {
  EXPECT_EQ(parse_number("1234")->integer, 1234);
  EXPECT_TRUE(parse_number("1234")->integral);
  EXPECT_DOUBLE_EQ(num("1,234.5"), 1234.5);
  EXPECT_DOUBLE_EQ(num("-1,234"), -1234);
  EXPECT_DOUBLE_EQ(num("(1,234)"), -1234);
  EXPECT_DOUBLE_EQ(num(" 42 "), 42);
  EXPECT_DOUBLE_EQ(num(".5"), 0.5);
  EXPECT_DOUBLE_EQ(num("1.5e3"), 1500);
  EXPECT_FALSE(parse_number("1,23"));
  EXPECT_FALSE(parse_number("12,34,567"));
  EXPECT_FALSE(parse_number("1.2.3"));
  EXPECT_FALSE(parse_number("abc"));
  EXPECT_FALSE(parse_number("-"));
  EXPECT_FALSE(parse_number("1234567890123456789"));  // 19 digits: an ID, not a quantity
}

TEST(NumberCells, LeadingZerosMarkCodes) {
  EXPECT_TRUE(parse_number("00123")->leading_zero);
  EXPECT_FALSE(parse_number("0")->leading_zero);
  EXPECT_FALSE(parse_number("0.5")->leading_zero);
}

TEST(NumberCells, PercentAndCurrencyUnits) {
  EXPECT_EQ(unit("12.5%"), "%");
  EXPECT_DOUBLE_EQ(num("12.5%"), 12.5);
  EXPECT_EQ(unit("₩1,200"), "KRW");
  EXPECT_DOUBLE_EQ(num("₩1,200"), 1200);
  EXPECT_EQ(unit("￦500"), "KRW");
  EXPECT_EQ(unit("1,200원"), "KRW");
  EXPECT_EQ(unit("1,200 원"), "KRW");
  EXPECT_EQ(unit("$3.50"), "USD");
  EXPECT_DOUBLE_EQ(num("-$3.50"), -3.5);
  EXPECT_DOUBLE_EQ(num("$-3.50"), -3.5);
  EXPECT_EQ(unit("€9"), "EUR");
  EXPECT_EQ(unit("¥100"), "JPY");
  EXPECT_EQ(unit("£7"), "GBP");
  EXPECT_EQ(unit("$"), "<none>");
}

TEST(BooleanCells, ConservativeWords) {
  EXPECT_EQ(parse_boolean("TRUE"), true);
  EXPECT_EQ(parse_boolean("no"), false);
  EXPECT_EQ(parse_boolean("Y"), true);
  EXPECT_EQ(parse_boolean("예"), true);
  EXPECT_EQ(parse_boolean("아니오"), false);
  EXPECT_FALSE(parse_boolean("1"));
  EXPECT_FALSE(parse_boolean("ok"));
}

TEST(DateCells, CommonForms) {
  EXPECT_EQ(date("2026-07-01"), "2026-07-01");
  EXPECT_EQ(date("2026/7/1"), "2026-07-01");
  EXPECT_EQ(date("2026.07.01"), "2026-07-01");
  EXPECT_EQ(date("2026. 7. 1."), "2026-07-01");
  EXPECT_EQ(date("2026년 7월 1일"), "2026-07-01");
  EXPECT_EQ(date("07/01/2026"), "2026-07-01");
  EXPECT_EQ(date("07/01/2026", true), "2026-01-07");
  EXPECT_EQ(date("13/07/2026"), "2026-07-13");
  EXPECT_EQ(date("2026-02-30"), "<none>");
  EXPECT_EQ(date("2024-02-29"), "2024-02-29");
  EXPECT_EQ(date("2026-07"), "<none>");
  EXPECT_EQ(date("20260701"), "<none>");
}

TEST(MonthCells, CommonForms) {
  EXPECT_EQ(month("2026-07"), "2026-07");
  EXPECT_EQ(month("2026/07"), "2026-07");
  EXPECT_EQ(month("2026년 7월"), "2026-07");
  EXPECT_EQ(month("Jul 2026"), "2026-07");
  EXPECT_EQ(month("july 2026"), "2026-07");
  EXPECT_EQ(month("2026-13"), "<none>");
  EXPECT_EQ(month("2026.07"), "<none>");  // a decimal number, not a month
}

TEST(DateTimeCells, CommonForms) {
  EXPECT_EQ(datetime("2026-07-01 09:30:00"), "2026-07-01 09:30:00");
  EXPECT_EQ(datetime("2026-07-01T09:30:00Z"), "2026-07-01 09:30:00");
  EXPECT_EQ(datetime("2026-07-01 9:30"), "2026-07-01 09:30:00");
  EXPECT_EQ(datetime("2026-07-01 09:30:00.123"), "2026-07-01 09:30:00");
  EXPECT_EQ(datetime("2026-07-01 25:00"), "<none>");
}

ColumnChoice choose(std::initializer_list<const char*> cells) {
  ColumnProfile p;
  for (const char* c : cells) p.add(c);
  return p.choose();
}

TEST(ColumnTypeRule, PicksTheFirstTypeThatFits) {
  EXPECT_EQ(choose({"1", "2", "3"}).type, ColumnType::Integer);
  EXPECT_EQ(choose({"1", "2.5"}).type, ColumnType::Decimal);
  EXPECT_EQ(choose({"yes", "no"}).type, ColumnType::Boolean);
  EXPECT_EQ(choose({"10%", "5%", "0"}).type, ColumnType::Percent);
  auto krw = choose({"₩100", "200원"});
  EXPECT_EQ(krw.type, ColumnType::Currency);
  EXPECT_EQ(krw.unit, "KRW");
  EXPECT_EQ(choose({"$1", "€2"}).type, ColumnType::Text);  // mixed currencies
  EXPECT_EQ(choose({"2026-07-01", "2026/07/02"}).type, ColumnType::Date);
  EXPECT_EQ(choose({"2026-07", "2026-08"}).type, ColumnType::Month);
  EXPECT_EQ(choose({"2026-07-01 10:00", "2026-07-02"}).type, ColumnType::DateTime);
  EXPECT_EQ(choose({"a", "b"}).type, ColumnType::Text);
  EXPECT_EQ(choose({"", ""}).type, ColumnType::Text);
}

TEST(ColumnTypeRule, LeadingZeroCodesStayText) { EXPECT_EQ(choose({"00123", "456", "789"}).type, ColumnType::Text); }

TEST(ColumnTypeRule, MissingMarkersDoNotCountAgainstAType) {
  EXPECT_EQ(choose({"1", "N/A", "2", "null"}).type, ColumnType::Integer);
  EXPECT_EQ(choose({"None", "null", "N/A"}).type, ColumnType::Text);
}

TEST(ColumnTypeRule, AtMostFivePercentUnparsable) {
  ColumnProfile p;
  for (int i = 0; i < 19; ++i) p.add(std::to_string(i));
  p.add("unknown");  // 1 of 20 = 5%: still integer
  EXPECT_EQ(p.choose().type, ColumnType::Integer);
  p.add("oops");  // 2 of 21 > 5%: text
  EXPECT_EQ(p.choose().type, ColumnType::Text);
}

TEST(ColumnTypeRule, DayFirstWhenOnlyThatReadingFits) {
  auto c = choose({"01/07/2026", "13/07/2026"});
  EXPECT_EQ(c.type, ColumnType::Date);
  EXPECT_TRUE(c.day_first);
  auto us = choose({"01/07/2026", "07/13/2026"});
  EXPECT_FALSE(us.day_first);
}

}  // namespace
}  // namespace tally::data
