// How fast synth generates each kind of 20b tensor on one core (no disk): the 20b GGUF is ~10.2 GB of MXFP4
// experts and ~1.2 GB of Q8_0 embeddings/output, so these rates bound the whole file's generation time.
#include <benchmark/benchmark.h>

#include <vector>

#include "synth/gptoss_gguf.h"
#include "synth/hf_tensor_plan.h"

namespace {

using namespace tally::synth;

const std::vector<GgufTensor>& tensors_20b() {
  static const std::vector<GgufTensor> t = gptoss_tensors(*find_preset("20b"), kDefaultSeed, DenseType::Q8_0);
  return t;
}

void fill_tensor(benchmark::State& state, const char* name) {
  const Payload* p = nullptr;
  for (const GgufTensor& t : tensors_20b()) {
    if (t.name == name) p = &t.payload;
  }
  const uint64_t units = (1u << 20) / p->unit_bytes;
  std::vector<uint8_t> buf(units * p->unit_bytes);
  uint64_t first = 0;
  for (auto _ : state) {
    p->fill(first, units, buf.data());
    first = (first + units) % (p->units - units);
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buf.size()));
}

void BM_Mxfp4GateFromInterleavedRows(benchmark::State& s) { fill_tensor(s, "blk.0.ffn_gate_exps.weight"); }
void BM_Mxfp4Down(benchmark::State& s) { fill_tensor(s, "blk.0.ffn_down_exps.weight"); }
void BM_Q8_0Embedding(benchmark::State& s) { fill_tensor(s, "token_embd.weight"); }
void BM_F32ExpertBias(benchmark::State& s) { fill_tensor(s, "blk.0.ffn_up_exps.bias"); }

void BM_HfBf16Embedding(benchmark::State& state) {
  const auto plan = hf_tensor_plan(*find_preset("20b"));
  const HfTensor& t = hf_tensor(plan, "model.embed_tokens.weight");
  std::vector<uint8_t> buf(1u << 20);
  for (auto _ : state) {
    t.fill(kDefaultSeed, 0, buf.size() / 2, buf.data());
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buf.size()));
}

BENCHMARK(BM_Mxfp4GateFromInterleavedRows);
BENCHMARK(BM_Mxfp4Down);
BENCHMARK(BM_Q8_0Embedding);
BENCHMARK(BM_F32ExpertBias);
BENCHMARK(BM_HfBf16Embedding);

}  // namespace

BENCHMARK_MAIN();
