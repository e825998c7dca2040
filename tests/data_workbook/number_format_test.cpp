#include <gtest/gtest.h>

#include "tally/data/workbook.h"
#include "workbook/number_format.h"

namespace tally::data {
namespace {

using K = NumberFormatClass;

K kind(std::string_view code) { return classify_number_format(code).kind; }

std::string serial(double s, bool date1904 = false) {
  auto t = excel_serial_to_datetime(s, date1904);
  if (!t) return "<none>";
  char buf[20];
  return std::string(buf, format_datetime(*t, buf));
}

TEST(NumberFormat, BuiltInIdsIncludingKoreanLocale) {
  for (int id : {14, 15, 16, 17, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58}) {
    EXPECT_EQ(builtin_number_format(id).kind, K::Date) << id;
  }
  for (int id : {18, 19, 20, 21, 32, 33, 45, 46, 47, 55, 56}) EXPECT_EQ(builtin_number_format(id).kind, K::Time) << id;
  EXPECT_EQ(builtin_number_format(22).kind, K::DateTime);
  EXPECT_EQ(builtin_number_format(9).kind, K::Percent);
  EXPECT_EQ(builtin_number_format(10).kind, K::Percent);
  for (int id : {0, 1, 2, 3, 4, 11, 12, 13, 37, 38, 49}) EXPECT_EQ(builtin_number_format(id).kind, K::Plain) << id;
}

TEST(NumberFormat, CustomDateAndTimeCodes) {
  EXPECT_EQ(kind(R"(yyyy"년" m"월")"), K::Date);
  EXPECT_EQ(kind(R"(yyyy"년" m"월" d"일")"), K::Date);
  EXPECT_EQ(kind("yyyy-mm-dd"), K::Date);
  EXPECT_EQ(kind(R"(yyyy\-mm\-dd)"), K::Date);
  EXPECT_EQ(kind("[$-412]yyyy-mm-dd"), K::Date);
  EXPECT_EQ(kind("[$-F800]dddd, mmmm dd, yyyy"), K::Date);
  EXPECT_EQ(kind("yyyy-mm-dd hh:mm"), K::DateTime);
  EXPECT_EQ(kind("m/d/yy h:mm AM/PM"), K::DateTime);
  EXPECT_EQ(kind("h:mm"), K::Time);
  EXPECT_EQ(kind("mm:ss"), K::Time);
  EXPECT_EQ(kind("[h]:mm:ss"), K::Time);
  EXPECT_EQ(kind(R"(h"시" mm"분")"), K::Time);
  EXPECT_EQ(kind("mmm-yy"), K::Date);
}

TEST(NumberFormat, QuotedTextColoursAndEscapesDoNotMakeDates) {
  EXPECT_EQ(kind(R"(0"days")"), K::Plain);
  EXPECT_EQ(kind(R"(#,##0" ea")"), K::Plain);
  EXPECT_EQ(kind("[Red]0.00"), K::Plain);
  EXPECT_EQ(kind("0.00E+00"), K::Plain);
  EXPECT_EQ(kind("General"), K::Plain);
  EXPECT_EQ(kind(R"(\d0)"), K::Plain);
  EXPECT_EQ(kind("_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)"), K::Plain);
}

TEST(NumberFormat, PercentAndCurrency) {
  EXPECT_EQ(classify_number_format("0.0%").kind, K::Percent);
  EXPECT_EQ(classify_number_format("0.0%").unit, "%");
  EXPECT_EQ(classify_number_format(R"("%"0)").kind, K::Plain);  // a quoted % is text
  EXPECT_EQ(classify_number_format("[$₩-412]#,##0").unit, "KRW");
  EXPECT_EQ(classify_number_format("₩#,##0").unit, "KRW");
  EXPECT_EQ(classify_number_format(R"(#,##0"원")").unit, "KRW");
  EXPECT_EQ(classify_number_format("$#,##0.00").unit, "USD");
  EXPECT_EQ(classify_number_format("[$USD] #,##0").unit, "USD");
  EXPECT_EQ(classify_number_format("#,##0 €").unit, "EUR");
  EXPECT_EQ(classify_number_format("[$-412]#,##0").kind, K::Plain);  // a locale tag alone
}

TEST(ExcelSerial, The1900SystemAndItsLeapYearBug) {
  EXPECT_EQ(serial(1), "1900-01-01 00:00:00");
  EXPECT_EQ(serial(59), "1900-02-28 00:00:00");
  EXPECT_EQ(serial(60), "1900-02-28 00:00:00");  // Lotus's 1900-02-29, which never was
  EXPECT_EQ(serial(61), "1900-03-01 00:00:00");
  EXPECT_EQ(serial(45658), "2025-01-01 00:00:00");
  EXPECT_EQ(serial(46204.39600694444), "2026-07-01 09:30:15");
  EXPECT_EQ(serial(45351.99999999), "2024-03-01 00:00:00");  // rounds into the next day
  EXPECT_EQ(serial(2958465), "9999-12-31 00:00:00");
  EXPECT_EQ(serial(-1), "<none>");
  EXPECT_EQ(serial(1e300), "<none>");
}

TEST(ExcelSerial, The1904System) {
  EXPECT_EQ(serial(0, true), "1904-01-01 00:00:00");
  EXPECT_EQ(serial(1, true), "1904-01-02 00:00:00");
  EXPECT_EQ(serial(43889, true), "2024-02-29 00:00:00");
}

TEST(CellRange, ParsesA1Ranges) {
  auto r = CellRange::parse("A3:H200");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (CellRange{2, 0, 199, 7}));
  EXPECT_EQ(r->to_string(), "A3:H200");
  EXPECT_EQ(*CellRange::parse("$b$2:$c$9"), (CellRange{1, 1, 8, 2}));
  EXPECT_EQ(*CellRange::parse("B2"), (CellRange{1, 1, 1, 1}));
  EXPECT_EQ(*CellRange::parse("H200:A3"), (CellRange{2, 0, 199, 7}));
  EXPECT_EQ(CellRange::parse("XFD1048576")->last_col, 16383);
  EXPECT_FALSE(CellRange::parse("XFE1"));
  EXPECT_FALSE(CellRange::parse("A1048577"));
  EXPECT_FALSE(CellRange::parse("A0"));
  EXPECT_FALSE(CellRange::parse(""));
  EXPECT_FALSE(CellRange::parse("A1:"));
  EXPECT_FALSE(CellRange::parse("A1:B2x"));
  EXPECT_FALSE(CellRange::parse("3:7"));
  EXPECT_EQ(cell_reference(0, 0), "A1");
  EXPECT_EQ(cell_reference(6, 27), "AB7");
  EXPECT_EQ(cell_reference(0, 16383), "XFD1");
}

}  // namespace
}  // namespace tally::data
