// Workbook import speed: a 100,000-row x 12-column .xlsx (1.2 M cells: numbers, dates, short strings; written once
// per build tree by python3-openpyxl through tests/data/workbook/make_workbooks.py --bench) imported into a fresh
// store. Target: < 2 s and < 300 MB peak RSS on 2 cores, and >= 10x faster than openpyxl's read-only mode merely
// iterating the same cells (tests/bench/openpyxl_read_bench.py, run in the same process's run and reported as
// counters openpyxl_s and speedup). The machine's load average is reported too (it is shared).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "fixtures.h"
#include "tally/data/store.h"
#include "tally/data/workbook.h"
#include "tally/data/workbook_import.h"

namespace {

constexpr int kRows = 100'000;

std::string python_with_openpyxl() {
  for (const char* py : {"python3", "/usr/bin/python3"}) {
    if (std::system((std::string(py) + " -c 'import openpyxl' >/dev/null 2>&1").c_str()) == 0) return py;
  }
  return "";
}

const std::string& bench_xlsx() {
  static const std::string path = []() -> std::string {
    const std::string py = python_with_openpyxl();
    if (py.empty()) return "";
    const std::filesystem::path dir = std::filesystem::path(tally::testing::build_dir()) / "fixtures" / "bench_workbook";
    const std::string p = (dir / "bench.xlsx").string();
    if (std::filesystem::exists(p)) return p;
    const std::string script = tally::testing::source_dir() + "/tests/data/workbook/make_workbooks.py";
    const std::string cmd = py + " '" + script + "' '" + dir.string() + "' --bench " + std::to_string(kRows);
    if (std::system(cmd.c_str()) != 0) return "";
    return p;
  }();
  return path;
}

// CPU seconds of every thread of this process (the import runs on two): beside wall time, what the machine's load
// cannot inflate much.
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;  // Linux reports KiB
}

double load_average() {
  double load[1] = {0};
  return getloadavg(load, 1) == 1 ? load[0] : -1;
}

// openpyxl's read-only iteration of the same file: seconds, or -1.
double openpyxl_seconds(const std::string& xlsx, long& cells) {
  const std::string py = python_with_openpyxl();
  if (py.empty() || std::getenv("TALLY_BENCH_SKIP_OPENPYXL")) return -1;  // quick runs while tuning
  const std::string cmd = py + " '" + tally::testing::source_dir() + "/tests/bench/openpyxl_read_bench.py' '" + xlsx + "'";
  std::FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return -1;
  double seconds = -1;
  if (std::fscanf(pipe, "%lf %ld", &seconds, &cells) != 2) seconds = -1;
  pclose(pipe);
  return seconds;
}

void BM_ImportWorkbook(benchmark::State& state) {
  const std::string xlsx = bench_xlsx();
  if (xlsx.empty()) {
    state.SkipWithError("python3-openpyxl is missing: cannot generate the benchmark workbook");
    return;
  }
  std::int64_t rows = 0;
  double seconds = 0, cpu = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string dir = tally::testing::scratch_dir("bench_data_workbook_db");
    auto store = tally::data::Store::open(dir + "/tally.db");
    if (!store) {
      state.SkipWithError(store.error().message.c_str());
      return;
    }
    state.ResumeTiming();
    const auto started = std::chrono::steady_clock::now();
    const double cpu_started = process_cpu_seconds();
    tally::data::WorkbookImporter importer(*store);
    // Argument 1: a buffer too small for the sheet, so the second pass reads it again (the path of huge sheets).
    tally::data::WorkbookImportOptions options;
    if (state.range(0) == 1) options.limits.max_buffer_bytes = std::size_t{1} << 20;
    auto r = importer.import_sheet(xlsx, options);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    cpu = process_cpu_seconds() - cpu_started;
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    rows = r->report.rows;
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(xlsx)) / 1e6;
  state.counters["cpu_s"] = cpu;
  state.counters["peak_RSS_MB"] = static_cast<double>(peak_rss_mb());
  state.counters["load_avg"] = load_average();
  if (state.range(0) == 1) return;
  long cells = 0;
  const double py = openpyxl_seconds(xlsx, cells);
  state.counters["openpyxl_s"] = py;
  state.counters["openpyxl_cells"] = static_cast<double>(cells);
  if (py > 0 && seconds > 0) state.counters["speedup"] = py / seconds;
}
BENCHMARK(BM_ImportWorkbook)->Arg(0)->Arg(1)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

// The reader alone (unzip, XML, typed cells), no SQLite: what the import's two passes each cost.
void BM_ReadSheetOnly(benchmark::State& state) {
  const std::string xlsx = bench_xlsx();
  if (xlsx.empty()) {
    state.SkipWithError("python3-openpyxl is missing");
    return;
  }
  std::int64_t cells = 0;
  for (auto _ : state) {
    auto reader = tally::data::open_workbook(xlsx);
    if (!reader) {
      state.SkipWithError(reader.error().message.c_str());
      return;
    }
    cells = 0;
    auto s = (*reader)->read_sheet(0, [&](std::int64_t, std::span<const tally::data::SheetCell> row) -> tally::data::Status {
      for (const auto& c : row) cells += c.kind != tally::data::SheetCellKind::Empty;
      return {};
    });
    if (!s) {
      state.SkipWithError(s.error().message.c_str());
      return;
    }
  }
  state.counters["cells"] = static_cast<double>(cells);
  state.counters["cells_per_s"] = benchmark::Counter(static_cast<double>(cells), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ReadSheetOnly)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
