// The CUDA backend against the float64 reference (tiny fixture, both file formats) and against the CPU. Every test
// skips with the reason when no usable GPU is present (CI), or when ../shared is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "../runtime/golden.h"
#include "backend/cuda/cuda_backend.h"
#include "engine_internal.h"
#include "fixtures.h"
#include "model/config.h"

namespace tally {
namespace {

using testing::Golden;

#define REQUIRE_GPU()                                                                          \
  do {                                                                                         \
    if (!backend::cuda_probe().usable)                                                         \
      GTEST_SKIP() << "no usable CUDA device: " << backend::cuda_probe().reason;               \
  } while (0)

const Golden& golden() {
  static const Golden g = testing::load_golden();
  return g;
}

std::string gguf_path() {
  const std::string dir = testing::tiny_fixture_dir();
  return dir.empty() ? dir : dir + "/tiny-gptoss-f16.gguf";
}

std::shared_ptr<Model> load(const std::string& path, const std::string& backend, bool exact = false) {
  EngineOptions o;
  o.backend = backend;
  o.exact = exact;
  auto m = Model::load(path, o);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return m.ok() ? m.value() : nullptr;
}

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
  auto m = load(gguf_path(), "auto");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->backend_name(), "cpu");
}

struct Case {
  const char* name;
  std::string (*path)();
  bool kv_f16;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class CudaGolden : public ::testing::TestWithParam<Case> {
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
  auto model = load(path_, "cuda");
  ASSERT_TRUE(model);
  ASSERT_EQ(model->backend_name(), "cuda");
  const int vocab = model->config().vocab;
  for (const auto& seq : golden().sequences) {
    Session s(model, {.context = 512, .kv_f16 = GetParam().kv_f16});
    auto logits = s.logits_all(seq.ids);
    ASSERT_TRUE(logits.ok());
    const auto check = testing::compare_fast(seq, logits.value(), vocab);
    EXPECT_LT(check.mean_kl, 5e-3) << seq.name;
    EXPECT_EQ(check.top1_misses, 0) << seq.name << " of " << check.top1_checked;
    std::printf("[ cuda %s ] prefill %s mean KL %.3e, top-1 misses %d of %d\n", GetParam().name, seq.name.c_str(),
                check.mean_kl, check.top1_misses, check.top1_checked);
  }
}

// Decode path (GEMV kernels, split-K attention): the same sequence fed 1 and 3 tokens at a time.
TEST_P(CudaGolden, DecodeMeetsFastPathRules) {
  auto model = load(path_, "cuda");
  ASSERT_TRUE(model);
  const int vocab = model->config().vocab;
  for (const size_t step : {size_t{1}, size_t{3}}) {
    for (const auto& seq : golden().sequences) {
      Session s(model, {.context = 512, .kv_f16 = GetParam().kv_f16});
      std::vector<float> all;
      for (size_t i = 0; i < seq.ids.size(); i += step) {
        const size_t n = std::min(step, seq.ids.size() - i);
        auto logits = s.logits_all(std::span<const int32_t>(seq.ids.data() + i, n));
        ASSERT_TRUE(logits.ok());
        all.insert(all.end(), logits->begin(), logits->end());
      }
      const auto check = testing::compare_fast(seq, all, vocab);
      EXPECT_LT(check.mean_kl, 5e-3) << seq.name << " step " << step;
      EXPECT_EQ(check.top1_misses, 0) << seq.name << " step " << step << " of " << check.top1_checked;
      std::printf("[ cuda %s ] decode x%zu %s mean KL %.3e, top-1 misses %d of %d\n", GetParam().name, step,
                  seq.name.c_str(), check.mean_kl, check.top1_misses, check.top1_checked);
    }
  }
}

TEST_P(CudaGolden, GreedyDecodeFollowsReference) {
  auto model = load(path_, "cuda");
  ASSERT_TRUE(model);
  const auto& seq = golden().sequences[0];
  Session s(model, {.context = 512, .kv_f16 = GetParam().kv_f16});
  ASSERT_TRUE(s.prefill(seq.ids).ok());
  std::vector<int32_t> got;
  GenerateOptions g;
  g.temperature = 0;
  g.max_tokens = static_cast<int>(golden().greedy_harmony_ko.size());
  ASSERT_TRUE(s.generate(g, [&](int32_t id) { got.push_back(id); return true; }).ok());
  ASSERT_EQ(got.size(), golden().greedy_harmony_ko.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const auto [id, margin] = golden().greedy_harmony_ko[i];
    EXPECT_EQ(got[i], id) << "step " << i;
    if (margin < 0.2 || got[i] != id) break;
  }
}

// The session picks the cache type (f32 by default); both are covered.
const Case kCases[] = {{"gguf", &gguf_path, false}, {"hf", &testing::tiny_hf_dir, false},
                       {"gguf_kv16", &gguf_path, true}};
std::string case_name(const ::testing::TestParamInfo<Case>& p) { return p.param.name; }
INSTANTIATE_TEST_SUITE_P(TinyFixture, CudaGolden, ::testing::ValuesIn(kCases), case_name);

// The official-layout model (Q8_0 attention and embeddings, MXFP4 experts) from synth, which every fresh clone can
// generate: GPU against the CPU exact path, full rows. The 20b acceptance run uses the same check on a
// `synth --preset 20b` file named by TALLY_CUDA_MODEL (TALLY_CUDA_TOKENS tokens, default 256).
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Agreement {
  double mean_kl = 0;
  int checked = 0, misses = 0;
};

// The rule for GPU against CPU: mean KL(cpu || gpu) < 5e-3, top-1 equal where the CPU margin >= 0.5.
Agreement agreement(const std::vector<float>& ref, const std::vector<float>& got, size_t tokens, int vocab) {
  Agreement a;
  double kl_sum = 0;
  for (size_t p = 0; p < tokens; ++p) {
    const float* c = ref.data() + p * vocab;
    const float* g = got.data() + p * vocab;
    double mc = c[0], mg = g[0];
    for (int i = 1; i < vocab; ++i) {
      mc = std::max<double>(mc, c[i]);
      mg = std::max<double>(mg, g[i]);
    }
    double sc = 0, sg = 0;
    for (int i = 0; i < vocab; ++i) {
      sc += std::exp(c[i] - mc);
      sg += std::exp(g[i] - mg);
    }
    const double lc = mc + std::log(sc), lg = mg + std::log(sg);
    double kl = 0;
    for (int i = 0; i < vocab; ++i) {
      const double lp = c[i] - lc, lq = g[i] - lg;
      kl += std::exp(lp) * (lp - lq);
    }
    kl_sum += kl;
    const int top_c = static_cast<int>(std::max_element(c, c + vocab) - c);
    const int top_g = static_cast<int>(std::max_element(g, g + vocab) - g);
    std::vector<float> row(c, c + vocab);
    std::nth_element(row.begin(), row.begin() + 1, row.end(), std::greater<float>());
    if (row[0] - row[1] >= 0.5f) {
      ++a.checked;
      if (top_c != top_g) ++a.misses;
    }
  }
  a.mean_kl = kl_sum / static_cast<double>(tokens);
  return a;
}

std::vector<int32_t> test_tokens(size_t tokens) {
  std::vector<int32_t> ids(tokens);
  uint64_t state = 12345;
  for (auto& id : ids) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    id = static_cast<int32_t>((state >> 33) % 199998);
  }
  return ids;
}

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
  std::vector<float> out(expect);
  if (!file.empty()) {
    if (FILE* f = std::fopen(file.c_str(), "rb")) {
      const size_t got = std::fread(out.data(), sizeof(float), expect, f);
      std::fclose(f);
      if (got == expect) return out;
    }
  }
  auto cpu = load(path, "cpu", exact);
  if (!cpu) return {};
  out = session_logits(cpu, ids, ids.size(), false);
  if (!file.empty() && out.size() == expect) {
    if (FILE* f = std::fopen(file.c_str(), "wb")) {
      std::fwrite(out.data(), sizeof(float), out.size(), f);
      std::fclose(f);
    }
  }
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
  auto gpu = load(path, "cuda");
  ASSERT_TRUE(gpu);
  std::printf("[ cuda vs cpu-exact ] GPU load %.1f s\n", seconds_since(t0));
  const int vocab = gpu->config().vocab;
  const std::vector<int32_t> ids = test_tokens(tokens);
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
    std::printf("[ cuda vs cpu-exact ] GPU %s logits %.2f s\n", v.c_str(), seconds_since(t0));
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
  std::printf("[ cuda vs cpu-exact ] CPU %s logits %.1f s\n", exact ? "exact" : "fast", seconds_since(t0));
  for (size_t i = 0; i < variants.size(); ++i) {
    if (variants[i] == "cpufast") results[i] = cpu_logits(path, ids, false, expect);
    if (results[i].size() != expect) {
      ADD_FAILURE() << variants[i] << ": no logits";
      continue;
    }
    const Agreement a = agreement(lc, results[i], tokens, vocab);
    std::printf("[ cuda vs cpu-%s ] %s %s: %zu tokens, mean KL %.3e, top-1 misses %d of %d (margin >= 0.5)\n",
                exact ? "exact" : "fast", variants[i].c_str(), path.c_str(), tokens, a.mean_kl, a.misses, a.checked);
    if (i < asserted) {
      EXPECT_LT(a.mean_kl, 5e-3) << variants[i];
      EXPECT_EQ(a.misses, 0) << variants[i];
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
