// make_chart: from rows (sql_query's shape) to a ChartSpec, and the errors the model gets back to fix its call.
#include <gtest/gtest.h>

#include <cmath>

#include "copilot/make_chart.h"
#include "copilot_fixture.h"

namespace tally::app {
namespace {

using nlohmann::json;

ChartData rows() {
  ChartData d;
  d.columns = {"month", "region", "revenue", "units"};
  d.rows = json::parse(R"([["2023-01","서울",10,1],["2023-01","부산",20,2],["2023-02","서울",30,3],
                           ["2023-03","부산",40,4],["2023-03","부산",5,5]])");
  d.sql = "SELECT ...";
  return d;
}

ChartSpec chart(const std::string& args) {
  auto r = build_chart(json::parse(args), rows());
  if (auto* e = std::get_if<std::string>(&r)) {
    ADD_FAILURE() << *e;
    return {};
  }
  return std::get<ChartSpec>(r);
}

std::string error(const std::string& args) {
  auto r = build_chart(json::parse(args), rows());
  auto* e = std::get_if<std::string>(&r);
  EXPECT_TRUE(e) << args;
  return e ? *e : "";
}

TEST(MakeChart, GroupByMakesOneSeriesPerValueAlignedOnCategories) {
  const ChartSpec s = chart(R"({"type":"bar","x":"month","y":["revenue"],"group_by":"region","y_unit":"KRW"})");
  EXPECT_EQ(s.categories, (std::vector<std::string>{"2023-01", "2023-02", "2023-03"}));
  ASSERT_EQ(s.series.size(), 2u);
  EXPECT_EQ(s.series[0].name, "서울");
  EXPECT_EQ(s.series[0].y[0], 10);
  EXPECT_EQ(s.series[0].y[1], 30);
  EXPECT_TRUE(std::isnan(s.series[0].y[2]));
  EXPECT_EQ(s.series[1].name, "부산");
  EXPECT_TRUE(std::isnan(s.series[1].y[1]));
  EXPECT_EQ(s.series[1].y[2], 45) << "duplicate (category, series) rows are summed";
  EXPECT_EQ(s.y_unit, "KRW");
  EXPECT_EQ(s.source_sql, "SELECT ...");
}

TEST(MakeChart, SeveralYColumnsAndCaselessNames) {
  const ChartSpec s = chart(R"({"type":"line","x":"Month","y":["revenue","UNITS"]})");
  ASSERT_EQ(s.series.size(), 2u);
  EXPECT_EQ(s.series[0].name, "revenue");
  EXPECT_EQ(s.series[1].name, "units");
  EXPECT_EQ(s.series[1].y[2], 9);
}

TEST(MakeChart, ScatterAndHistogramUseNumericX) {
  const ChartSpec sc = chart(R"({"type":"scatter","x":"units","y":"revenue"})");
  ASSERT_EQ(sc.series.size(), 1u);
  EXPECT_EQ(sc.series[0].x, (std::vector<double>{1, 2, 3, 4, 5}));
  EXPECT_EQ(sc.series[0].y, (std::vector<double>{10, 20, 30, 40, 5}));
  const ChartSpec h = chart(R"({"type":"histogram","x":"revenue","bins":4})");
  EXPECT_EQ(h.bins, 4);
  EXPECT_EQ(h.series[0].x.size(), 5u);
}

TEST(MakeChart, ErrorsTellTheModelWhatToFix) {
  EXPECT_NE(error(R"({"type":"pie","x":"month","y":["revenue"]})").find("'type'"), std::string::npos);
  EXPECT_NE(error(R"({"type":"bar","y":["revenue"]})").find("'x'"), std::string::npos);
  EXPECT_NE(error(R"({"type":"bar","x":"month"})").find("'y'"), std::string::npos);
  const std::string unknown = error(R"({"type":"bar","x":"monht","y":["revenue"]})");
  EXPECT_NE(unknown.find("'monht'"), std::string::npos);
  EXPECT_NE(unknown.find("month, region, revenue, units"), std::string::npos);
  EXPECT_NE(error(R"({"type":"bar","x":"month","y":["region"]})").find("no numeric"), std::string::npos);
  EXPECT_NE(error(R"({"type":"bar","x":"month","y":["revenue","units"],"group_by":"region"})").find("single"),
            std::string::npos);
}

TEST(MakeChart, DescriptionTellsWhatWasDrawn) {
  const ChartSpec s = chart(R"({"type":"bar","x":"month","y":["revenue"],"group_by":"region","title":"T"})");
  const auto d = describe_chart(s, rows());
  EXPECT_EQ(d["series"].size(), 2u);
  EXPECT_EQ(d["series"][0]["points"], 2);
  EXPECT_EQ(d["series"][0]["min"], 10.0);
  EXPECT_EQ(d["series"][0]["max"], 30.0);
  EXPECT_EQ(d["categories"], 3);
  EXPECT_EQ(d["first_category"], "2023-01");
}

TEST(MakeChart, RunsItsSqlReadOnlyAndTakesEarlierResults) {
  auto s = testing::sample_store("make_chart");
  ASSERT_TRUE(s.store);
  data::tools::ToolSession tools(s.store->db().handle());
  const std::string sql = "SELECT region, SUM(units) AS units FROM \"" + s.table + "\" GROUP BY region ORDER BY region";
  ChartOutcome out = run_make_chart(json({{"type", "bar"}, {"sql", sql}, {"x", "region"}, {"y", {"units"}}}).dump(),
                                    tools, nullptr);
  ASSERT_TRUE(out.chart) << out.envelope.dump();
  EXPECT_TRUE(out.envelope["ok"].get<bool>());
  EXPECT_EQ(out.envelope["chart"]["type"], "bar");
  EXPECT_FALSE(out.chart->categories.empty());

  ChartOutcome write = run_make_chart(
      json({{"type", "bar"}, {"sql", "DELETE FROM \"" + s.table + "\""}, {"x", "a"}, {"y", {"b"}}}).dump(), tools,
      nullptr);
  EXPECT_FALSE(write.envelope["ok"].get<bool>());
  EXPECT_NE(write.envelope["error"].get<std::string>().find("SQL failed"), std::string::npos);

  ChartOutcome bad = run_make_chart("{\"type\": \"bar\", ", tools, nullptr);
  EXPECT_NE(bad.envelope["error"].get<std::string>().find("not valid JSON"), std::string::npos);

  auto lookup = [](const std::string& id) -> std::optional<ChartData> {
    if (id == "call_7") return rows();
    return std::nullopt;
  };
  ChartOutcome earlier = run_make_chart(R"({"type":"line","result_of":"call_7","x":"month","y":["units"]})", tools, lookup);
  ASSERT_TRUE(earlier.chart) << earlier.envelope.dump();
  ChartOutcome missing = run_make_chart(R"({"type":"line","result_of":"call_8","x":"month","y":["units"]})", tools, lookup);
  EXPECT_NE(missing.envelope["error"].get<std::string>().find("call_8"), std::string::npos);
}

}  // namespace
}  // namespace tally::app
