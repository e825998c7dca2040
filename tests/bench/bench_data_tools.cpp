// Speed of the analysis tools on a generated 1,000,000-row, 12-column sales table (built once per build tree).
// Targets (2 cores): the month x region aggregation under 300 ms, describe_dataset under 1 s.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>

#include "fixtures.h"
#include "store/schema_v1.h"
#include "store/schema_v3.h"
#include "tally/data/column_chunks.h"
#include "tally/data/tools.h"

namespace {

constexpr int kRows = 1'000'000;

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error(msg);
  }
}

std::string build_store() {
  const std::string dir = tally::testing::build_dir() + "/bench-data";
  const std::string path = dir + "/sales_1m_v3.db";
  if (std::filesystem::exists(path)) return path;
  std::filesystem::create_directories(dir);
  const std::string tmp = path + ".tmp";
  std::filesystem::remove(tmp);
  sqlite3* db = nullptr;
  sqlite3_open(tmp.c_str(), &db);
  exec(db, tally::data::schema::kV1);
  exec(db, "CREATE TABLE sales (day TEXT, region TEXT, product TEXT, channel TEXT, customer TEXT, units INTEGER, "
           "revenue REAL, cost REAL, discount REAL, margin REAL, returned INTEGER, note TEXT)");
  exec(db, "INSERT INTO datasets(name, table_name, row_count) VALUES ('sales', 'sales', " + std::to_string(kRows) + ")");
  const char* cols[][2] = {{"day", "date"},       {"region", "text"},  {"product", "text"},   {"channel", "text"},
                           {"customer", "text"},  {"units", "integer"}, {"revenue", "currency"}, {"cost", "currency"},
                           {"discount", "percent"}, {"margin", "decimal"}, {"returned", "boolean"}, {"note", "text"}};
  for (int i = 0; i < 12; ++i)
    exec(db, "INSERT INTO dataset_columns(dataset_id, ordinal, name, sql_name, type) VALUES (1, " + std::to_string(i) +
                 ", '" + cols[i][0] + "', '" + cols[i][0] + "', '" + cols[i][1] + "')");
  const char* regions[] = {"서울", "부산", "대구", "인천", "광주", "대전", "울산", "경기", "강원", "제주"};
  const char* channels[] = {"온라인", "오프라인", "B2B"};
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0, 1);
  exec(db, "BEGIN");
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO sales VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, nullptr);
  for (int i = 0; i < kRows; ++i) {
    char day[16], product[16], customer[16];
    std::snprintf(day, sizeof day, "%04d-%02d-%02d", 2023 + (i / 7) % 4, 1 + (i / 3) % 12, 1 + i % 28);
    std::snprintf(product, sizeof product, "P%03d", static_cast<int>(rng() % 200));
    std::snprintf(customer, sizeof customer, "C%05d", static_cast<int>(rng() % 20000));
    const int units = 1 + static_cast<int>(rng() % 50);
    const double revenue = units * (10000 + 90000 * u(rng));
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, regions[rng() % 10], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, product, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, channels[rng() % 3], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, customer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, units);
    sqlite3_bind_double(st, 7, revenue);
    sqlite3_bind_double(st, 8, revenue * (0.5 + 0.3 * u(rng)));
    sqlite3_bind_double(st, 9, std::floor(u(rng) * 30));
    sqlite3_bind_double(st, 10, u(rng));
    sqlite3_bind_int(st, 11, u(rng) < 0.03 ? 1 : 0);
    if (i % 10 == 0) sqlite3_bind_text(st, 12, "배송 지연", -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, 12);
    sqlite3_step(st);
  }
  sqlite3_finalize(st);
  exec(db, "COMMIT");
  // What the importer writes beside the rows since schema v3.
  exec(db, tally::data::schema::kV3);
  if (!tally::data::build_column_chunks(db, 1, "sales", 12)) throw std::runtime_error("building column chunks failed");
  sqlite3_close(db);
  std::filesystem::rename(tmp, path);
  return path;
}

struct BenchStore {
  sqlite3* db = nullptr;
  std::unique_ptr<tally::data::tools::ToolSession> session;       // column chunks (what the app does)
  std::unique_ptr<tally::data::tools::ToolSession> rows_session;  // scans of the rows table, for comparison
  BenchStore() {
    sqlite3_open(build_store().c_str(), &db);
    session = std::make_unique<tally::data::tools::ToolSession>(db);
    tally::data::tools::QueryLimits rows;
    rows.use_column_chunks = false;
    rows_session = std::make_unique<tally::data::tools::ToolSession>(db, rows);
  }
  ~BenchStore() {
    session.reset();
    rows_session.reset();
    sqlite3_close(db);
  }
};

BenchStore& store() {
  static BenchStore s;
  return s;
}

void run_tool(benchmark::State& state, const char* tool, const nlohmann::json& args) {
  auto& s = store();
  // Argument 0: the rows table scanned through SQLite; 1: the import-time column chunks where the tool has a
  // chunk path (timeseries, describe_dataset). The others read rows either way, so they run with 1 only.
  auto& session = state.range(0) == 0 ? *s.rows_session : *s.session;
  for (auto _ : state) {
    auto r = session.call(tool, args);
    if (!r["ok"].get<bool>()) {
      state.SkipWithError(r["error"].get<std::string>().c_str());
      break;
    }
    benchmark::DoNotOptimize(r);
  }
}

void BM_TimeseriesMonthByRegion(benchmark::State& state) {
  run_tool(state, "timeseries",
           {{"dataset", "sales"}, {"date_column", "day"}, {"value_column", "revenue"}, {"grain", "month"},
            {"group_by", "region"}, {"max_groups", 10}});
}
BENCHMARK(BM_TimeseriesMonthByRegion)->ArgName("chunks")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_CompareGroupsRegion(benchmark::State& state) {
  run_tool(state, "compare_groups", {{"dataset", "sales"}, {"group_by", "region"}, {"value_column", "revenue"}});
}
BENCHMARK(BM_CompareGroupsRegion)->ArgName("chunks")->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_DescribeDataset(benchmark::State& state) {
  run_tool(state, "describe_dataset", {{"dataset", "sales"}});
}
BENCHMARK(BM_DescribeDataset)->ArgName("chunks")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_AnomaliesRows(benchmark::State& state) {
  run_tool(state, "anomalies", {{"dataset", "sales"}, {"value_column", "revenue"}});
}
BENCHMARK(BM_AnomaliesRows)->ArgName("chunks")->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

// For comparison: the same month x region aggregation written as SQL by the model (SQLite sorts for GROUP BY).
void BM_SqlQueryGroupByMonthRegion(benchmark::State& state) {
  run_tool(state, "sql_query",
           {{"sql", "SELECT substr(day, 1, 7) AS month, region, SUM(revenue) FROM sales GROUP BY 1, 2"}});
}
BENCHMARK(BM_SqlQueryGroupByMonthRegion)->ArgName("chunks")->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
