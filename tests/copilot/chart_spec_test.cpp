// ChartSpec <-> JSON: what make_chart stores in the tool message must redraw the same chart after a restart, and a
// damaged stored spec must be rejected with the offending field named (never read out of bounds in the pane).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "copilot/chart_spec.h"

namespace tally::app {
namespace {

ChartSpec sample() {
  ChartSpec s;
  s.type = ChartType::StackedBar;
  s.title = "월별 매출";
  s.x_title = "month";
  s.y_title = "revenue_krw";
  s.y_unit = "KRW";
  s.categories = {"2023-01", "2023-02", "2023-03"};
  s.series.push_back({"서울", {}, {1.5, std::numeric_limits<double>::quiet_NaN(), 3}});
  s.series.push_back({"부산", {}, {4, 5, 6}});
  s.bins = 0;
  s.source_sql = "SELECT 1";
  return s;
}

TEST(ChartSpec, RoundTripKeepsEveryFieldAndMissingValues) {
  const ChartSpec s = sample();
  const std::string text = to_json(s).dump();
  std::string error;
  auto back = chart_spec_from_json(nlohmann::json::parse(text), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->type, ChartType::StackedBar);
  EXPECT_EQ(back->title, s.title);
  EXPECT_EQ(back->y_unit, "KRW");
  EXPECT_EQ(back->categories, s.categories);
  ASSERT_EQ(back->series.size(), 2u);
  EXPECT_EQ(back->series[0].name, "서울");
  EXPECT_DOUBLE_EQ(back->series[0].y[0], 1.5);
  EXPECT_TRUE(std::isnan(back->series[0].y[1]));
  EXPECT_EQ(back->series[1].y, (std::vector<double>{4, 5, 6}));
  EXPECT_EQ(back->source_sql, "SELECT 1");
}

TEST(ChartSpec, EveryTypeNameRoundTrips) {
  for (auto t : {ChartType::Line, ChartType::Bar, ChartType::StackedBar, ChartType::Area, ChartType::Scatter,
                 ChartType::Histogram}) {
    EXPECT_EQ(chart_type_from_string(to_string(t)), t);
  }
  EXPECT_FALSE(chart_type_from_string("pie"));
}

TEST(ChartSpec, ScatterKeepsNumericX) {
  ChartSpec s;
  s.type = ChartType::Scatter;
  s.series.push_back({"units", {1, 2, 3}, {10, 20, 30}});
  std::string error;
  auto back = chart_spec_from_json(nlohmann::json::parse(to_json(s).dump()), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->series[0].x, (std::vector<double>{1, 2, 3}));
}

std::string error_of(const std::string& text) {
  std::string error;
  auto spec = chart_spec_from_json(nlohmann::json::parse(text), &error);
  EXPECT_FALSE(spec) << text;
  return error;
}

TEST(ChartSpec, ErrorsNameTheField) {
  EXPECT_NE(error_of("[]").find("object"), std::string::npos);
  EXPECT_NE(error_of(R"({"series":[]})").find("'type'"), std::string::npos);
  EXPECT_NE(error_of(R"({"type":"pie","series":[]})").find("'type'"), std::string::npos);
  EXPECT_NE(error_of(R"({"type":"bar"})").find("'series'"), std::string::npos);
  EXPECT_NE(error_of(R"({"type":"bar","title":3,"series":[]})").find("'title'"), std::string::npos);
  EXPECT_NE(error_of(R"({"type":"bar","categories":["a",1],"series":[]})").find("'categories[1]'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type":"bar","series":[{"name":"a","y":[1,"x"]}]})").find("'series[0].y[1]'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type":"bar","categories":["a","b"],"series":[{"y":[1]}]})").find("'series[0].y'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type":"scatter","series":[{"x":[1,2],"y":[1]}]})").find("'series[0].x'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"type":"histogram","bins":-1,"series":[]})").find("'bins'"), std::string::npos);
}

TEST(ChartSpec, NullErrorPointerIsAllowed) { EXPECT_FALSE(chart_spec_from_json(nlohmann::json(1), nullptr)); }

}  // namespace
}  // namespace tally::app
