#pragma once
// What the engine's golden tests (CPU, CUDA, Vulkan) share around the comparison: loading a model on a named backend,
// the parameter naming one tiny-fixture model, and wall time for their logs. Header-only: the support library does
// not link the engine, those test binaries do.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "golden.h"
#include "tally/engine.h"

namespace tally::testing {

// The model at `path` on `backend` ("cpu", "cuda", "vulkan", "auto"); a load failure is a test failure with the
// loader's message, and null.
inline std::shared_ptr<Model> load_on_backend(const std::string& path, const std::string& backend, bool exact = false) {
  EngineOptions o;
  o.backend = backend;
  o.exact = exact;
  auto m = Model::load(path, o);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return m.ok() ? m.value() : nullptr;
}

// One tiny-fixture model for a parameterized golden test: its file format's name, where it is, and the KV cache type.
struct GoldenCase {
  const char* name;
  std::string (*path)();
  bool kv_f16;
};
// Names the parameter in test listings (ctest otherwise shows the struct's bytes).
inline void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }
inline std::string golden_case_name(const ::testing::TestParamInfo<GoldenCase>& p) { return p.param.name; }

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Greedy decoding after the golden harmony_ko prompt gives the reference's tokens, compared up to the first step
// that differs or whose reference margin is below 0.2 (a near-tie may flip under honest rounding).
inline void expect_greedy_follows_reference(const std::shared_ptr<Model>& model, bool kv_f16) {
  const Golden& golden = tiny_golden();
  ASSERT_FALSE(golden.sequences.empty());
  const auto& seq = golden.sequences[0];
  ASSERT_EQ(seq.name, "harmony_ko");
  Session s(model, {.context = 512, .kv_f16 = kv_f16});
  ASSERT_TRUE(s.prefill(seq.ids).ok());
  std::vector<int32_t> got;
  GenerateOptions g;
  g.temperature = 0;
  g.max_tokens = static_cast<int>(golden.greedy_harmony_ko.size());
  ASSERT_TRUE(s.generate(g, [&](int32_t id) { got.push_back(id); return true; }).ok());
  ASSERT_EQ(got.size(), golden.greedy_harmony_ko.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const auto [id, margin] = golden.greedy_harmony_ko[i];
    EXPECT_EQ(got[i], id) << "step " << i;
    if (margin < 0.2 || got[i] != id) break;
  }
}

}  // namespace tally::testing
