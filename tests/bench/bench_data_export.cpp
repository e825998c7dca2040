// Export of 1,000,000 rows x 6 columns (a streamed query: no table is built first) to .xlsx (libxlsxwriter's
// constant-memory mode) and to CSV. The point is bounded memory: peak RSS is reported as a counter and must stay far
// below the data's size (an in-memory workbook of 6 M cells would take well over 1 GB).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <filesystem>
#include <string>

#include "fixtures.h"
#include "tally/data/database.h"
#include "tally/data/export.h"

namespace {

constexpr const char* kMillionRows =
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) "
    "SELECT i AS id, i * 1.25 AS amount, 'item ' || (i % 977) AS name, '서울 ' || (i % 13) AS region, "
    "i % 2 AS flag, date('2020-01-01', '+' || (i % 3650) || ' days') AS day FROM n";

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

void run(benchmark::State& state, const char* ext) {
  const std::string dir = tally::testing::scratch_dir(std::string("bench_data_export_") + ext);
  auto db = tally::data::Database::open(dir + "/empty.db");
  if (!db) {
    state.SkipWithError(db.error().message.c_str());
    return;
  }
  const std::string out = dir + "/million." + ext;
  std::int64_t rows = 0;
  for (auto _ : state) {
    auto r = tally::data::export_query(*db, kMillionRows, out);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    rows = r->rows;
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(out)) / (1024.0 * 1024.0);
  state.counters["peak_rss_MB"] = peak_rss_mb();
}

void BM_ExportMillionRowsXlsx(benchmark::State& state) { run(state, "xlsx"); }
void BM_ExportMillionRowsCsv(benchmark::State& state) { run(state, "csv"); }

}  // namespace

// Peak RSS is per process: run the .xlsx case first (or alone, --benchmark_filter) to read its own peak.
BENCHMARK(BM_ExportMillionRowsXlsx)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_ExportMillionRowsCsv)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_MAIN();
