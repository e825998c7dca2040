// The CUDA backend against the float64 reference (tiny fixture, both file formats) and against the CPU. Every test
// skips with the reason when no usable GPU is present (CI), or when ../shared is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "backend/cuda/cuda_backend.h"
#include "backend_golden_case.h"
#include "engine_internal.h"
#include "fixtures.h"
#include "golden.h"
#include "logit_agreement.h"
#include "model/config.h"

namespace tally {
namespace {

using testing::load_on_backend;
using testing::tiny_golden;

#define REQUIRE_GPU()                                                                          \
  do {                                                                                         \
    if (!backend::cuda_probe().usable)                                                         \
      GTEST_SKIP() << "no usable CUDA device: " << backend::cuda_probe().reason;               \
  } while (0)

TEST(CudaProbe, ExplainsItself) {
  const auto& p = backend::cuda_probe();
  if (p.usable) {
    EXPECT_FALSE(p.device.empty());
  } else {
    EXPECT_FALSE(p.reason.empty());
    auto b = backend::make_cuda_backend();
    ASSERT_FALSE(b.ok());
    EXPECT_NE(b.error().message.find("CUDA"), std::string::npos) << b.error().message;
  }
}

TEST(CudaBackend, AutoFallsBackToCpuWithoutGpu) {
  if (backend::cuda_probe().usable) GTEST_SKIP() << "a GPU is present: auto picks CUDA";
  TALLY_REQUIRE_SHARED();
  auto m = load_on_backend(testing::tiny_fixture_gguf(), "auto");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->backend_name(), "cpu");
}

class CudaGolden : public ::testing::TestWithParam<testing::GoldenCase> {
 protected:
  void SetUp() override {
    REQUIRE_GPU();
    TALLY_REQUIRE_SHARED();
    path_ = GetParam().path();
    ASSERT_FALSE(path_.empty());
  }
  std::string path_;
};

// The fixture README's fast-path rule: mean KL < 5e-3 per sequence, top-1 equal where the reference margin >= 0.5.
// Prefill path (batched GEMM kernels).
TEST_P(CudaGolden, PrefillMeetsFastPathRules) {
  auto model = load_on_backend(path_, "cuda");
  ASSERT_TRUE(model);
  ASSERT_EQ(model->backend_name(), "cuda");
  const int vocab = model->config().vocab;
  for (const auto& seq : tiny_golden().sequences) {
    Session s(model, {.context = 512, .kv_f16 = GetParam().kv_f16});
    auto logits = s.logits_all(seq.ids);
    ASSERT_TRUE(logits.ok());
    const auto check = testing::compare_fast(seq, logits.value(), vocab);
    EXPECT_TRUE(testing::meets_fast_path_rule(check)) << seq.name;
    std::printf("[ cuda %s ] prefill %s %s\n", GetParam().name, seq.name.c_str(), testing::describe(check).c_str());
  }
}

// Decode path (GEMV kernels, split-K attention): the same sequence fed 1 and 3 tokens at a time.
TEST_P(CudaGolden, DecodeMeetsFastPathRules) {
  auto model = load_on_backend(path_, "cuda");
  ASSERT_TRUE(model);
  const int vocab = model->config().vocab;
  for (const size_t step : {size_t{1}, size_t{3}}) {
    for (const auto& seq : tiny_golden().sequences) {
      Session s(model, {.context = 512, .kv_f16 = GetParam().kv_f16});
      std::vector<float> all;
      for (size_t i = 0; i < seq.ids.size(); i += step) {
        const size_t n = std::min(step, seq.ids.size() - i);
        auto logits = s.logits_all(std::span<const int32_t>(seq.ids.data() + i, n));
        ASSERT_TRUE(logits.ok());
        all.insert(all.end(), logits->begin(), logits->end());
      }
      const auto check = testing::compare_fast(seq, all, vocab);
      EXPECT_TRUE(testing::meets_fast_path_rule(check)) << seq.name + " step " + std::to_string(step);
      std::printf("[ cuda %s ] decode x%zu %s %s\n", GetParam().name, step, seq.name.c_str(),
                  testing::describe(check).c_str());
    }
  }
}

TEST_P(CudaGolden, GreedyDecodeFollowsReference) {
  auto model = load_on_backend(path_, "cuda");
  ASSERT_TRUE(model);
  testing::expect_greedy_follows_reference(model, GetParam().kv_f16);
}

// The session picks the cache type (f32 by default); both are covered.
const testing::GoldenCase kCases[] = {{"gguf", &testing::tiny_fixture_gguf, false},
                                      {"hf", &testing::tiny_hf_dir, false},
                                      {"gguf_kv16", &testing::tiny_fixture_gguf, true}};
INSTANTIATE_TEST_SUITE_P(TinyFixture, CudaGolden, ::testing::ValuesIn(kCases),
                         testing::golden_case_name);

// The official-layout model (Q8_0 attention and embeddings, MXFP4 experts) from synth, which every fresh clone can
// generate: GPU against the CPU exact path, full rows. The 20b acceptance run uses the same check on a
// `synth --preset 20b` file named by TALLY_CUDA_MODEL (TALLY_CUDA_TOKENS tokens, default 256).

// Logits of every position, fed `step` tokens at a time.
std::vector<float> session_logits(const std::shared_ptr<Model>& model, const std::vector<int32_t>& ids, size_t step,
                                  bool kv_f16) {
  Session s(model, {.context = static_cast<int64_t>(ids.size()) + 16, .kv_f16 = kv_f16});
  std::vector<float> all;
  for (size_t i = 0; i < ids.size(); i += step) {
    auto part = s.logits_all(std::span<const int32_t>(ids.data() + i, std::min(step, ids.size() - i)));
    EXPECT_TRUE(part.ok());
    if (!part.ok()) return {};
    all.insert(all.end(), part->begin(), part->end());
  }
  return all;
}

// The CPU's logits (exact path unless `exact` is false). TALLY_CUDA_CPU_CACHE=FILE keeps them between runs: the
// exact path takes minutes on the 20b.
std::vector<float> cpu_logits(const std::string& path, const std::vector<int32_t>& ids, bool exact, size_t expect) {
  const char* cache = std::getenv("TALLY_CUDA_CPU_CACHE");
  const std::string file = cache && exact ? cache : "";
  if (!file.empty()) {
    if (auto kept = testing::read_f32_rows(file, expect); !kept.empty()) return kept;
  }
  auto cpu = load_on_backend(path, "cpu", exact);
  if (!cpu) return {};
  auto out = session_logits(cpu, ids, ids.size(), false);
  if (!file.empty() && out.size() == expect) (void)testing::write_f32_rows(file, out);
  return out;
}

// One GPU configuration: "prefill" (all tokens in one pass) or "stepN" (N at a time), then options: ":kv16" (f16 KV
// cache; f32 otherwise, the sessions' default), ":fast" (plain f16 GEMM operands).
std::vector<float> gpu_variant(const std::shared_ptr<Model>& gpu, const std::vector<int32_t>& ids,
                               const std::string& variant) {
  size_t step = ids.size();
  if (variant.rfind("step", 0) == 0) step = static_cast<size_t>(std::max(1, std::atoi(variant.c_str() + 4)));
  const bool kv16 = variant.find(":kv16") != std::string::npos;
  const bool fast = variant.find(":fast") != std::string::npos;
  if (fast) setenv("TALLY_CUDA_GEMM", "fast", 1);
  auto out = session_logits(gpu, ids, step, kv16);
  unsetenv("TALLY_CUDA_GEMM");
  return out;
}

// GPU against the CPU exact path over `tokens` tokens. TALLY_CUDA_VARIANTS (comma-separated, see gpu_variant;
// "cpufast" = the CPU fast path, the noise floor) adds reports; only the default configuration is asserted.
void compare_with_cpu(const std::string& path, size_t tokens, const std::vector<std::string>& also_asserted = {}) {
  auto t0 = std::chrono::steady_clock::now();
  auto gpu = load_on_backend(path, "cuda");
  ASSERT_TRUE(gpu);
  std::printf("[ cuda vs cpu-exact ] GPU load %.1f s\n", testing::seconds_since(t0));
  const int vocab = gpu->config().vocab;
  const std::vector<int32_t> ids = testing::comparison_tokens(tokens);
  std::vector<std::string> variants = {"prefill"};
  if (const char* v = std::getenv("TALLY_CUDA_STEP")) variants[0] = std::string("step") + v;
  variants.insert(variants.end(), also_asserted.begin(), also_asserted.end());
  const size_t asserted = variants.size();
  if (const char* extra = std::getenv("TALLY_CUDA_VARIANTS")) {
    std::string list = extra;
    for (size_t at = 0; at < list.size();) {
      const size_t comma = std::min(list.find(',', at), list.size());
      if (comma > at) variants.push_back(list.substr(at, comma - at));
      at = comma + 1;
    }
  }
  std::vector<std::vector<float>> results;
  for (const std::string& v : variants) {
    if (v == "cpufast") {
      results.push_back({});
      continue;
    }
    t0 = std::chrono::steady_clock::now();
    results.push_back(gpu_variant(gpu, ids, v));
    std::printf("[ cuda vs cpu-exact ] GPU %s logits %.2f s\n", v.c_str(), testing::seconds_since(t0));
    std::fflush(stdout);
  }
  gpu.reset();
  t0 = std::chrono::steady_clock::now();
  // TALLY_CUDA_REFERENCE=fast compares with the CPU fast path instead (the exact path is slow on the 20b).
  const char* ref = std::getenv("TALLY_CUDA_REFERENCE");
  const bool exact = !(ref && std::string(ref) == "fast");
  const size_t expect = tokens * static_cast<size_t>(vocab);
  const std::vector<float> lc = cpu_logits(path, ids, exact, expect);
  ASSERT_EQ(lc.size(), expect);
  std::printf("[ cuda vs cpu-exact ] CPU %s logits %.1f s\n", exact ? "exact" : "fast", testing::seconds_since(t0));
  for (size_t i = 0; i < variants.size(); ++i) {
    if (variants[i] == "cpufast") results[i] = cpu_logits(path, ids, false, expect);
    if (results[i].size() != expect) {
      ADD_FAILURE() << variants[i] << ": no logits";
      continue;
    }
    const auto a = testing::agreement_over_rows(lc, results[i], vocab);
    std::printf("[ cuda vs cpu-%s ] %s %s: %zu tokens, %s (margin >= 0.5)\n", exact ? "exact" : "fast",
                variants[i].c_str(), path.c_str(), tokens, testing::describe(a).c_str());
    if (i < asserted) {
      EXPECT_TRUE(testing::meets_fast_path_rule(a)) << variants[i];
    }
  }
}

TEST(CudaVsCpu, SynthOfficialLayoutTiny) {
  REQUIRE_GPU();
  const std::string path = testing::tiny_synth_gguf();
  if (path.empty()) GTEST_SKIP() << "synth unavailable";
  // Past 256 tokens, so the 16-token sliding rings wrap many times and the decode and 3-token paths are covered.
  compare_with_cpu(path, 300, {"step1", "step3"});
}

TEST(CudaVsCpu, ModelFromEnvironment) {
  REQUIRE_GPU();
  const char* path = std::getenv("TALLY_CUDA_MODEL");
  if (!path || !*path) GTEST_SKIP() << "set TALLY_CUDA_MODEL to a gpt-oss file (e.g. synth --preset 20b)";
  const char* n = std::getenv("TALLY_CUDA_TOKENS");
  compare_with_cpu(path, n ? static_cast<size_t>(std::atoi(n)) : 256);
}

}  // namespace
}  // namespace tally
