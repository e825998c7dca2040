// The CPU fast path's linear kernels on gpt-oss-20b shapes with random contents: decode (one token, reported as
// weight bytes streamed per second) and prefill (many tokens, reported as GFLOP/s). Two threads, like the target
// machine. TALLY_CPU_KERNELS=scalar runs the fallback; --benchmark_filter=Exact runs linear_exact for comparison.
#include <benchmark/benchmark.h>

#include <atomic>
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "../cpu_kernels/synthetic_weights.h"
#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/fast_kernels.h"
#include "backend/cpu/thread_pool.h"

namespace {

using tally::model::DType;
namespace cpu = tally::backend::cpu;

cpu::ThreadPool& pool() {
  static cpu::ThreadPool p(2);
  return p;
}

// One thread, timed in CPU time: the kernels' own speed per core, which holds up on a loaded machine (the two-thread
// wall-clock runs do not when other processes take the cores).
cpu::ThreadPool& single() {
  static cpu::ThreadPool p(1);
  return p;
}

// Matrices are built once per shape and kept for the whole run (the output projection alone is ~615 MB).
const tally::testing::SyntheticMatrix& matrix(DType type, int64_t rows, int64_t cols, int64_t count) {
  static std::map<std::tuple<int, int64_t, int64_t, int64_t>, std::unique_ptr<tally::testing::SyntheticMatrix>> cache;
  auto& slot = cache[{static_cast<int>(type), rows, cols, count}];
  if (!slot) {
    slot = std::make_unique<tally::testing::SyntheticMatrix>(
        tally::testing::make_matrix(type, rows, cols, count, 42u, type == DType::MXFP4_SPLIT));
  }
  return *slot;
}

// Runs `experts` consecutive matrices of the stack per iteration (1 for plain matrices).
void run_linear(benchmark::State& state, DType type, int64_t rows, int64_t cols, int64_t count, int64_t experts,
                bool exact, bool one_thread = false) {
  const int64_t n = state.range(0);
  const auto& m = matrix(type, rows, cols, count);
  std::vector<float> x = tally::testing::make_activations(n, cols, 7u);
  std::vector<float> y(static_cast<size_t>(n * rows));
  const tally::backend::Act xa{x.data(), n, cols};
  const tally::backend::Act ya{y.data(), n, rows};
  auto lin = exact ? cpu::linear_exact : cpu::linear_fast;
  for (auto _ : state) {
    for (int64_t e = 0; e < experts; ++e) lin(one_thread ? single() : pool(), m.w, (e * 7 + 3) % count, {}, xa, ya);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const int64_t bytes = static_cast<int64_t>(tally::model::dtype_row_bytes(type, cols)) * rows * experts +
                        (type == DType::MXFP4_SPLIT ? rows * cols / 32 * experts : 0);
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(rows * cols * n * experts),
                                                 benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
  state.counters["tokens"] = static_cast<double>(n);
}

// Attention q projection: 2880 -> 4096, Q8_0.
void BM_Q8_0_AttnQ(benchmark::State& s) { run_linear(s, DType::Q8_0, 4096, 2880, 1, 1, false); }
// Output projection: 201088 x 2880, Q8_0 (~615 MB).
void BM_Q8_0_Output(benchmark::State& s) { run_linear(s, DType::Q8_0, 201088, 2880, 1, 1, false); }
// Four routed experts' gate (2880 x 2880, ggml MXFP4) out of a stack of 32.
void BM_MXFP4_Experts4(benchmark::State& s) { run_linear(s, DType::MXFP4, 2880, 2880, 32, 4, false); }
// The same from the HF layout (interleaved gate/up rows: row_stride = 2 rows).
void BM_MXFP4Split_Experts4(benchmark::State& s) { run_linear(s, DType::MXFP4_SPLIT, 2880, 2880, 32, 4, false); }
void BM_Q8_0_AttnQ_1T(benchmark::State& s) { run_linear(s, DType::Q8_0, 4096, 2880, 1, 1, false, true); }
void BM_MXFP4_Experts4_1T(benchmark::State& s) { run_linear(s, DType::MXFP4, 2880, 2880, 32, 4, false, true); }
void BM_MXFP4Split_Experts4_1T(benchmark::State& s) {
  run_linear(s, DType::MXFP4_SPLIT, 2880, 2880, 32, 4, false, true);
}
// One expert's gate read four times: cache-resident (L3), so this is the kernel's arithmetic speed, not memory's.
void BM_MXFP4_HotExpert_1T(benchmark::State& s) { run_linear(s, DType::MXFP4, 2880, 2880, 1, 4, false, true); }
// Prefill A/B in one run: the int16 row kernels (TALLY_CPU_PREFILL=f32), the int16 GEMM (default) and the int8 GEMM,
// one thread, CPU time; 16 tokens per expert is pp128's average group, 128 the dense attention shape.
void prefill_ab(benchmark::State& s, cpu::fast::PrefillKernel k, DType type, int64_t rows, int64_t count,
                int64_t experts) {
  const cpu::fast::PrefillKernel before = cpu::fast::prefill_kernel();
  cpu::fast::set_prefill_kernel(k);
  run_linear(s, type, rows, 2880, count, experts, false, true);
  cpu::fast::set_prefill_kernel(before);
}
using cpu::fast::PrefillKernel;
void BM_Prefill_Rows_MXFP4_Experts4_1T(benchmark::State& s) {
  prefill_ab(s, PrefillKernel::Rows, DType::MXFP4, 2880, 32, 4);
}
void BM_Prefill_GemmI16_MXFP4_Experts4_1T(benchmark::State& s) {
  prefill_ab(s, PrefillKernel::GemmI16, DType::MXFP4, 2880, 32, 4);
}
void BM_Prefill_GemmI8_MXFP4_Experts4_1T(benchmark::State& s) {
  prefill_ab(s, PrefillKernel::GemmI8, DType::MXFP4, 2880, 32, 4);
}
void BM_Prefill_Rows_Q8_0_AttnQ_1T(benchmark::State& s) {
  prefill_ab(s, PrefillKernel::Rows, DType::Q8_0, 4096, 1, 1);
}
void BM_Prefill_GemmI16_Q8_0_AttnQ_1T(benchmark::State& s) {
  prefill_ab(s, PrefillKernel::GemmI16, DType::Q8_0, 4096, 1, 1);
}
void BM_Prefill_GemmI8_Q8_0_AttnQ_1T(benchmark::State& s) {
  prefill_ab(s, PrefillKernel::GemmI8, DType::Q8_0, 4096, 1, 1);
}
void BM_BF16_AttnQ(benchmark::State& s) { run_linear(s, DType::BF16, 4096, 2880, 1, 1, false); }

void BM_Exact_Q8_0_AttnQ(benchmark::State& s) { run_linear(s, DType::Q8_0, 4096, 2880, 1, 1, true); }
void BM_Exact_MXFP4_Experts4(benchmark::State& s) { run_linear(s, DType::MXFP4, 2880, 2880, 32, 4, true); }

// What one parallel loop costs the caller beyond its work (two tasks, one per thread): decode runs ~10 per layer.
void BM_PoolDispatch(benchmark::State& state) {
  std::atomic<int64_t> sink{0};
  for (auto _ : state) pool().parallel_for(2, [&](int64_t task, int) { sink.fetch_add(task); });
  benchmark::DoNotOptimize(sink.load());
}
BENCHMARK(BM_PoolDispatch)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Decode: one token. Prefill: 128 tokens for dense matrices; ~16 per expert (128 tokens x 4 of 32 experts).
BENCHMARK(BM_Q8_0_AttnQ)->Arg(1)->Arg(128)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Q8_0_Output)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MXFP4_Experts4)->Arg(1)->Arg(16)->Arg(128)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MXFP4Split_Experts4)->Arg(1)->Arg(16)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Q8_0_AttnQ_1T)->Arg(1)->Arg(128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MXFP4_Experts4_1T)->Arg(1)->Arg(16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MXFP4Split_Experts4_1T)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MXFP4_HotExpert_1T)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Prefill_Rows_MXFP4_Experts4_1T)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Prefill_GemmI16_MXFP4_Experts4_1T)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Prefill_GemmI8_MXFP4_Experts4_1T)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Prefill_Rows_Q8_0_AttnQ_1T)->Arg(128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Prefill_GemmI16_Q8_0_AttnQ_1T)->Arg(128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Prefill_GemmI8_Q8_0_AttnQ_1T)->Arg(128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BF16_AttnQ)->Arg(1)->Arg(128)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Exact_Q8_0_AttnQ)->Arg(1)->Arg(128)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Exact_MXFP4_Experts4)->Arg(1)->Arg(16)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
