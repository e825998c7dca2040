// The analysis tools end to end through ToolSession, on small datasets whose answers are worked out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "tally/data/tools.h"
#include "test_store.h"

namespace {

using tally::data::tools::ToolSession;
using tally::testing::TestStore;
using J = nlohmann::json;

// shop: 2023-01 .. 2024-12; region A earns 100 + 10 i in month i (i = 0..23), region B 50 every month.
// So the monthly total is 150 + 10 i.
// Every test runs twice: over the rows table (SQL scans) and over the import-time column chunks; both must agree.
class AnalysisToolsTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (auto& ch : name) ch = ch == '/' ? '_' : ch;
    store_ = std::make_unique<TestStore>(name, GetParam());
    std::vector<std::vector<J>> rows;
    for (int i = 0; i < 24; ++i) {
      char month[8];
      std::snprintf(month, sizeof month, "%04d-%02d", 2023 + i / 12, i % 12 + 1);
      rows.push_back({month, "A", 100.0 + 10 * i, 1});
      rows.push_back({month, "B", 50.0, 2});
    }
    store_->add_dataset("shop", {{"month", "month"}, {"region", "text"}, {"revenue", "currency"}, {"units", "integer"}},
                        rows);
    session_ = std::make_unique<ToolSession>(store_->db());
  }
  nlohmann::ordered_json ok(const std::string& tool, const J& args) {
    auto r = session_->call(tool, args);
    EXPECT_TRUE(r["ok"].get<bool>()) << r.dump(1);
    return r.value("result", nlohmann::ordered_json::object());
  }
  std::string error(const std::string& tool, const J& args) {
    auto r = session_->call(tool, args);
    EXPECT_FALSE(r["ok"].get<bool>()) << r.dump(1);
    return r.value("error", "");
  }
  std::unique_ptr<TestStore> store_;
  std::unique_ptr<ToolSession> session_;
};

TEST_P(AnalysisToolsTest, RegistryListsSixToolsWithJsonSchemas) {
  const auto specs = tally::data::tools::tool_specs_json();
  ASSERT_EQ(specs.size(), 6u);
  std::vector<std::string> names;
  for (const auto& s : specs) {
    names.push_back(s["name"]);
    EXPECT_FALSE(s["description"].get<std::string>().empty());
    EXPECT_EQ(s["parameters"]["type"], "object");
    EXPECT_TRUE(s["parameters"]["properties"].is_object());
    if (s["parameters"].contains("required")) {
      EXPECT_TRUE(s["parameters"]["required"].is_array()) << s.dump();
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"list_datasets", "describe_dataset", "sql_query", "timeseries",
                                             "compare_groups", "anomalies"}));
}

TEST_P(AnalysisToolsTest, ListDatasetsShowsColumnsAndTypes) {
  const auto r = ok("list_datasets", J::object());
  ASSERT_EQ(r["datasets"].size(), 1u);
  EXPECT_EQ(r["datasets"][0]["name"], "shop");
  EXPECT_EQ(r["datasets"][0]["rows"], 48);
  EXPECT_EQ(r["datasets"][0]["columns"][2]["type"], "currency");
}

TEST_P(AnalysisToolsTest, DescribeDatasetComputesColumnStatistics) {
  store_->add_dataset("small", {{"x", "decimal"}, {"tag", "text"}, {"day", "date"}},
                      {{1.0, "a", "2024-01-05"}, {2.0, "a", "2023-12-31"}, {3.0, "b", nullptr}, {4.0, "a", "2024-02-01"},
                       {nullptr, nullptr, "2024-01-05"}});
  const auto r = ok("describe_dataset", {{"dataset", "small"}});
  EXPECT_EQ(r["rows"], 5);
  const auto& x = r["columns"][0];
  EXPECT_EQ(x["count"], 4);
  EXPECT_EQ(x["nulls"], 1);
  EXPECT_EQ(x["distinct"], 4);
  EXPECT_DOUBLE_EQ(x["min"].get<double>(), 1);
  EXPECT_DOUBLE_EQ(x["max"].get<double>(), 4);
  EXPECT_DOUBLE_EQ(x["mean"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(x["median"].get<double>(), 2.5);
  EXPECT_NEAR(x["stddev"].get<double>(), std::sqrt(5.0 / 3.0), 1e-9);  // (2.25 + 0.25 + 0.25 + 2.25) / 3
  const auto& tag = r["columns"][1];
  EXPECT_EQ(tag["distinct"], 2);
  EXPECT_EQ(tag["top"][0]["value"], "a");
  EXPECT_EQ(tag["top"][0]["count"], 3);
  const auto& day = r["columns"][2];
  EXPECT_EQ(day["min"], "2023-12-31");
  EXPECT_EQ(day["max"], "2024-02-01");
  EXPECT_EQ(day["distinct"], 3);
  ASSERT_FALSE(r.empty());
}

TEST_P(AnalysisToolsTest, TimeseriesGrowthTrendAndMovingAverage) {
  const auto r = ok("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"value_column", "revenue"}});
  EXPECT_EQ(r["periods"], 24);
  EXPECT_EQ(r["first_period"], "2023-01");
  const auto& s = r["series"][0];
  const auto& p = s["points"];
  EXPECT_DOUBLE_EQ(p[0]["value"].get<double>(), 150);
  EXPECT_TRUE(p[0]["change_pct"].is_null());
  EXPECT_NEAR(p[1]["change_pct"].get<double>(), 6.667, 1e-3);   // 160 / 150 - 1
  EXPECT_TRUE(p[11]["yoy_pct"].is_null());
  EXPECT_NEAR(p[12]["yoy_pct"].get<double>(), 80.0, 1e-9);     // 2024-01: 270 vs 150
  EXPECT_TRUE(p[1]["moving_avg"].is_null());
  EXPECT_DOUBLE_EQ(p[2]["moving_avg"].get<double>(), 160);      // (150 + 160 + 170) / 3
  EXPECT_NEAR(s["trend"]["slope_per_period"].get<double>(), 10, 1e-9);
  EXPECT_NEAR(s["trend"]["intercept"].get<double>(), 150, 1e-9);
  EXPECT_NEAR(s["trend"]["r2"].get<double>(), 1, 1e-9);
  EXPECT_EQ(s["summary"]["max"]["period"], "2024-12");
  EXPECT_DOUBLE_EQ(s["summary"]["total"].get<double>(), 6360);  // 24 * 150 + 10 * 276
  // A straight line has no seasonality.
  EXPECT_NEAR(s["seasonality"]["strength"].get<double>(), 0, 1e-9);
}

TEST_P(AnalysisToolsTest, TimeseriesByQuarterAndYear) {
  auto q = ok("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"value_column", "revenue"}, {"grain", "quarter"}});
  EXPECT_EQ(q["series"][0]["points"][0]["period"], "2023-Q1");
  EXPECT_DOUBLE_EQ(q["series"][0]["points"][0]["value"].get<double>(), 480);  // 150 + 160 + 170
  auto y = ok("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"value_column", "revenue"}, {"grain", "year"}});
  // 2023: 12 * 150 + 10 * 66 = 2460; 2024: 1800 + 10 * 210 = 3900; growth 1440 / 2460.
  EXPECT_DOUBLE_EQ(y["series"][0]["points"][0]["value"].get<double>(), 2460);
  EXPECT_DOUBLE_EQ(y["series"][0]["points"][1]["value"].get<double>(), 3900);
  EXPECT_NEAR(y["series"][0]["points"][1]["yoy_pct"].get<double>(), 58.5366, 1e-3);
}

TEST_P(AnalysisToolsTest, TimeseriesFilterRangeAndGroups) {
  auto b = ok("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"value_column", "revenue"},
                             {"filter", {{"region", "B"}}}});
  EXPECT_DOUBLE_EQ(b["series"][0]["summary"]["total"].get<double>(), 1200);
  auto range = ok("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"value_column", "revenue"},
                                 {"from", "2024-01"}, {"to", "2024-03"}});
  ASSERT_EQ(range["periods"], 3);
  EXPECT_DOUBLE_EQ(range["series"][0]["points"][2]["value"].get<double>(), 290);
  auto g = ok("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"value_column", "revenue"},
                             {"group_by", "region"}});
  ASSERT_EQ(g["series"].size(), 2u);
  EXPECT_EQ(g["series"][0]["group"], "A");  // largest first
  EXPECT_NEAR(g["series"][0]["trend"]["slope_per_period"].get<double>(), 10, 1e-9);
  EXPECT_NEAR(g["series"][1]["trend"]["slope_per_period"].get<double>(), 0, 1e-12);
  auto mean = ok("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"value_column", "revenue"},
                                {"aggregate", "mean"}, {"grain", "year"}});
  EXPECT_DOUBLE_EQ(mean["series"][0]["points"][0]["value"].get<double>(), 2460.0 / 24);
  auto count = ok("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"grain", "year"}});
  EXPECT_DOUBLE_EQ(count["series"][0]["points"][0]["value"].get<double>(), 24);
}

TEST_P(AnalysisToolsTest, TimeseriesForecastAndProvenance) {
  auto r = session_->call("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"value_column", "revenue"},
                                         {"forecast_periods", 3}});
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  const auto& f = r["result"]["series"][0]["forecast"];
  EXPECT_EQ(f["method"], "Holt-Winters additive");
  ASSERT_EQ(f["points"].size(), 3u);
  EXPECT_EQ(f["points"][0]["period"], "2025-01");
  EXPECT_NEAR(f["points"][0]["value"].get<double>(), 390, 1.0);  // the line goes on: 150 + 10 * 24
  EXPECT_LE(f["points"][0]["lower"].get<double>(), f["points"][0]["value"].get<double>());
  const auto& q = r["provenance"]["queries"];
  ASSERT_GE(q.size(), 3u);  // the catalog's two queries, then the scan
  const auto& scan = q[q.size() - 1];
  EXPECT_NE(scan["sql"].get<std::string>().find("FROM \"shop\""), std::string::npos) << scan.dump();
  EXPECT_NE(scan["equivalent_sql"].get<std::string>().find("GROUP BY period"), std::string::npos);
}

TEST_P(AnalysisToolsTest, TimeseriesSeasonalityFindsTheDecemberPeak) {
  std::vector<std::vector<J>> rows;
  for (int i = 0; i < 36; ++i) {
    char day[16];
    std::snprintf(day, sizeof day, "%04d-%02d-15", 2022 + i / 12, i % 12 + 1);
    rows.push_back({day, 100.0 + (i % 12 == 11 ? 60 : 0) + (i % 2 ? 1 : -1)});
  }
  store_->add_dataset("seasonal", {{"day", "date"}, {"sales", "decimal"}}, rows);
  auto r = ok("timeseries", {{"dataset", "seasonal"}, {"date_column", "day"}, {"value_column", "sales"}});
  const auto& s = r["series"][0]["seasonality"];
  EXPECT_GT(s["strength"].get<double>(), 0.9);
  EXPECT_EQ(s["peak"], "12");
}

TEST_P(AnalysisToolsTest, CompareGroupsSharesRanksAndBaseline) {
  // A: 2400 + 10 * 276 = 5160, B: 1200, total 6360.
  auto r = ok("compare_groups", {{"dataset", "shop"}, {"group_by", "region"}, {"value_column", "revenue"}});
  EXPECT_DOUBLE_EQ(r["total"].get<double>(), 6360);
  EXPECT_EQ(r["groups"][0]["group"], "A");
  EXPECT_EQ(r["groups"][0]["rank"], 1);
  EXPECT_NEAR(r["groups"][0]["share_pct"].get<double>(), 5160.0 / 6360 * 100, 1e-2);
  EXPECT_NEAR(r["groups"][1]["share_pct"].get<double>(), 1200.0 / 6360 * 100, 1e-2);
  EXPECT_DOUBLE_EQ(r["groups"][1]["diff_from_leader"].get<double>(), -3960);
  EXPECT_DOUBLE_EQ(r["groups"][0]["diff_from_mean"].get<double>(), 5160 - 3180);
  const double a = 5160.0 / 6360 * 100, b = 1200.0 / 6360 * 100;
  EXPECT_NEAR(r["concentration"]["hhi"].get<double>(), a * a + b * b, 1e-2);
  EXPECT_EQ(r["leader"], "A");
  // 2024 against 2023: A 1200 + 10 * 210 = 3300 vs 1200 + 10 * 66 = 1860 -> +77.419 %; B 600 vs 600.
  auto c = ok("compare_groups", {{"dataset", "shop"}, {"group_by", "region"}, {"value_column", "revenue"},
                                 {"date_column", "month"}, {"from", "2024"}, {"to", "2024"},
                                 {"baseline_from", "2023"}, {"baseline_to", "2023"}});
  EXPECT_DOUBLE_EQ(c["groups"][0]["value"].get<double>(), 3300);
  EXPECT_DOUBLE_EQ(c["groups"][0]["baseline_value"].get<double>(), 1860);
  EXPECT_NEAR(c["groups"][0]["change_pct"].get<double>(), 77.419, 1e-3);
  EXPECT_DOUBLE_EQ(c["groups"][1]["change_pct"].get<double>(), 0);
}

TEST_P(AnalysisToolsTest, AnomaliesOnRowsWithContext) {
  std::vector<std::vector<J>> rows;
  for (int v : {1, 2, 3, 4, 5, 6, 7, 8, 100}) rows.push_back({"item" + std::to_string(v), static_cast<double>(v)});
  store_->add_dataset("items", {{"label", "text"}, {"amount", "decimal"}}, rows);
  auto r = ok("anomalies", {{"dataset", "items"}, {"value_column", "amount"}});
  EXPECT_DOUBLE_EQ(r["stats"]["median"].get<double>(), 5);
  EXPECT_DOUBLE_EQ(r["stats"]["mad"].get<double>(), 2);
  EXPECT_DOUBLE_EQ(r["stats"]["lower_fence"].get<double>(), -3);
  EXPECT_DOUBLE_EQ(r["stats"]["upper_fence"].get<double>(), 13);
  ASSERT_EQ(r["anomalies"].size(), 1u);
  EXPECT_DOUBLE_EQ(r["anomalies"][0]["value"].get<double>(), 100);
  EXPECT_NEAR(r["anomalies"][0]["robust_z"].get<double>(), 32.04, 1e-2);
  EXPECT_EQ(r["anomalies"][0]["iqr_fence"], "above");
  EXPECT_EQ(r["anomalies"][0]["context"]["label"], "item100");
}

TEST_P(AnalysisToolsTest, AnomaliesOnPeriodsPerGroup) {
  store_->exec("UPDATE shop SET revenue = 5000 WHERE region = 'B' AND month = '2024-06'");
  store_->rebuild_column_chunks("shop");
  auto r = ok("anomalies", {{"dataset", "shop"}, {"value_column", "revenue"}, {"date_column", "month"},
                            {"grain", "month"}, {"group_by", "region"}});
  ASSERT_GE(r["anomalies"].size(), 1u);
  EXPECT_EQ(r["anomalies"][0]["period"], "2024-06");
  EXPECT_EQ(r["anomalies"][0]["group"], "B");
  EXPECT_DOUBLE_EQ(r["anomalies"][0]["value"].get<double>(), 5000);
}

TEST_P(AnalysisToolsTest, BadArgumentsAreNamed) {
  EXPECT_NE(error("timeseries", {{"dataset", "shopp"}, {"date_column", "month"}}).find("no dataset named 'shopp' (datasets: shop)"),
            std::string::npos);
  const auto col = error("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"value_column", "revenu"}});
  EXPECT_NE(col.find("argument 'value_column'"), std::string::npos) << col;
  EXPECT_NE(col.find("revenue (currency)"), std::string::npos) << col;
  EXPECT_NE(error("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"value_column", "region"}}).find("not a number"),
            std::string::npos);
  EXPECT_NE(error("timeseries", {{"dataset", "shop"}, {"date_column", "region"}}).find("not a date"), std::string::npos);
  EXPECT_NE(error("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"grain", "monthly"}}).find("argument 'grain' must be one of"),
            std::string::npos);
  EXPECT_NE(error("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"grain", "week"}}).find("holds months"),
            std::string::npos);
  EXPECT_NE(error("timeseries", {{"dataset", "shop"}}).find("missing required argument 'date_column'"), std::string::npos);
  EXPECT_NE(error("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"colour", 1}}).find("unknown argument 'colour'"),
            std::string::npos);
  EXPECT_NE(error("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"forecast_periods", 99}}).find("at most 36"),
            std::string::npos);
  EXPECT_NE(error("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"from", "Jan 2024"}}).find("argument 'from'"),
            std::string::npos);
  EXPECT_NE(error("compare_groups", {{"dataset", "shop"}, {"group_by", "region"}, {"filter", {{"units", "many"}}}}).find("must be a number"),
            std::string::npos);
  EXPECT_NE(error("compare_groups", {{"dataset", "shop"}, {"group_by", "region"}, {"from", "2024"}}).find("'date_column' is required"),
            std::string::npos);
  EXPECT_NE(error("describe_dataset", J::array({1})).find("must be a JSON object"), std::string::npos);
  EXPECT_NE(error("nonsense", J::object()).find("unknown tool 'nonsense'"), std::string::npos);
}

TEST_P(AnalysisToolsTest, MalformedJsonArgumentsAreReportedAndAudited) {
  auto r = session_->call_text("timeseries", "{\"dataset\": ");
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_NE(r["error"].get<std::string>().find("not valid JSON"), std::string::npos);
  EXPECT_EQ(store_->count("SELECT count(*) FROM audit_log WHERE tool = 'timeseries' AND error LIKE '%not valid JSON%'"), 1);
}

TEST_P(AnalysisToolsTest, AuditLogHasOneRowPerCallWithSummary) {
  (void)session_->call("list_datasets", J::object());
  (void)session_->call("compare_groups", {{"dataset", "shop"}, {"group_by", "region"}, {"value_column", "revenue"}});
  (void)session_->call("timeseries", {{"dataset", "nope"}, {"date_column", "month"}});
  EXPECT_EQ(store_->count("SELECT count(*) FROM audit_log"), 3);
  EXPECT_EQ(store_->count("SELECT count(*) FROM audit_log WHERE tool = 'list_datasets' AND result_summary = '1 datasets'"), 1);
  EXPECT_EQ(store_->count("SELECT count(*) FROM audit_log WHERE tool = 'compare_groups' AND result_summary = '2 groups of region' AND error IS NULL"), 1);
  EXPECT_EQ(store_->count("SELECT count(*) FROM audit_log WHERE tool = 'timeseries' AND error LIKE '%no dataset named%' AND arguments LIKE '%nope%'"), 1);
}

}  // namespace

namespace {

// The same answers when the scans are split over several connections by rowid range.
TEST_P(AnalysisToolsTest, SplitScansGiveTheSameAnswers) {
  tally::data::tools::QueryLimits split;
  split.scan_workers = 3;
  split.split_min_rows = 1;
  ToolSession parallel(store_->db(), split);
  const J ts = {{"dataset", "shop"}, {"date_column", "month"}, {"value_column", "revenue"}, {"group_by", "region"}};
  const J cg = {{"dataset", "shop"}, {"group_by", "region"}, {"value_column", "revenue"}};
  const J ds = {{"dataset", "shop"}};
  const J an = {{"dataset", "shop"}, {"value_column", "revenue"}};
  for (const auto& [tool, args] : std::vector<std::pair<std::string, J>>{
           {"timeseries", ts}, {"compare_groups", cg}, {"describe_dataset", ds}, {"anomalies", an}}) {
    const auto a = session_->call(tool, args);
    const auto b = parallel.call(tool, args);
    ASSERT_TRUE(b["ok"].get<bool>()) << b.dump();
    EXPECT_EQ(a["result"], b["result"]) << tool;
    const bool chunked = GetParam() && (tool == "timeseries" || tool == "describe_dataset");
    EXPECT_NE(b["provenance"].dump().find(chunked ? "read_from" : "rowid ranges"), std::string::npos) << tool;
  }
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(ScanPaths, AnalysisToolsTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "ColumnChunks" : "Rows"; });

TEST_P(AnalysisToolsTest, ProvenanceSaysWhichScanAnsweredTheCall) {
  auto r = session_->call("timeseries", {{"dataset", "shop"}, {"date_column", "month"}, {"value_column", "revenue"},
                                         {"group_by", "region"}});
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump(1);
  bool from_chunks = false;
  for (const auto& q : r["provenance"]["queries"]) from_chunks = from_chunks || q.contains("read_from");
  EXPECT_EQ(from_chunks, GetParam()) << r["provenance"].dump(1);
}
