// CSV import speed: a generated 1,000,000-row, 12-column file (~120 MB) imported into a fresh store.
// Target: < 10 s and < 200 MB peak RSS on 2 cores. Rows/s and peak RSS are reported as counters.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "fixtures.h"
#include "tally/data/csv_import.h"
#include "tally/data/store.h"

namespace {

constexpr int kRows = 1'000'000;

// 4550000 -> "4,550,000"
std::string grouped(int v) {
  std::string digits = std::to_string(v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

const std::string& big_csv() {
  static const std::string path = [] {
    const std::string dir = tally::testing::scratch_dir("bench_data_csv");
    const std::string p = dir + "/sales_1m.csv";
    std::FILE* f = std::fopen(p.c_str(), "wb");
    std::fputs("id,date,month,region,product,qty,unit_price,amount,discount,returned,channel,note\n", f);
    static const char* kRegions[] = {"서울", "부산", "대구", "인천", "광주", "대전", "울산", "Jeju"};
    static const char* kProducts[] = {"Widget", "Gadget", "Doohickey", "Sprocket", "Gizmo"};
    char line[256];
    for (int i = 0; i < kRows; ++i) {
      const int qty = 1 + i % 50;
      const int price = 1000 + (i * 37) % 90000;
      const int n = std::snprintf(line, sizeof line,
                                  "%d,2026-%02d-%02d,2026-%02d,%s,%s %d,%d,\"%d,%03d.50\",\"₩%s\",%d.5%%,%s,"
                                  "online,\"order %d, batch %d\"\n",
                                  i, 1 + i % 12, 1 + i % 28, 1 + i % 12, kRegions[i % 8], kProducts[i % 5], i % 1000,
                                  qty, price / 1000, price % 1000, grouped(qty * price).c_str(), i % 30,
                                  i % 7 ? "no" : "yes", i, i / 1000);
      std::fwrite(line, 1, static_cast<std::size_t>(n), f);
    }
    std::fclose(f);
    return p;
  }();
  return path;
}

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;  // Linux reports KiB
}

void BM_ImportMillionRows(benchmark::State& state) {
  const std::string csv = big_csv();
  const auto file_mb = static_cast<double>(std::filesystem::file_size(csv)) / 1e6;
  std::int64_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string dir = tally::testing::scratch_dir("bench_data_csv_db");
    auto store = tally::data::Store::open(dir + "/tally.db");
    if (!store) {
      state.SkipWithError(store.error().message.c_str());
      return;
    }
    state.ResumeTiming();
    tally::data::CsvImporter importer(*store);
    auto r = importer.import_file(csv);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    rows = r->report.rows;
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["file_MB"] = file_mb;
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.counters["peak_RSS_MB"] = static_cast<double>(peak_rss_mb());
}
BENCHMARK(BM_ImportMillionRows)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

void BM_ParseOnly(benchmark::State& state) {
  const std::string csv = big_csv();
  for (auto _ : state) {
    auto p = tally::data::CsvImporter::preview(csv, {}, 10);
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
