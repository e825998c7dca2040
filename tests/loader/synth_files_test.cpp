// The project's own generator (`tally-cli synth`) against the fixture: its HF folder must decode to the fixture's
// values exactly, and its official-layout GGUF (Q8_0 attention) within Q8_0 rounding. Skipped when tally-cli has
// not been built in this tree (the fixtures helpers then return "").
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "fixtures.h"
#include "loader/dequantize.h"
#include "loader/model_file.h"

namespace tally::loader {
namespace {

// Largest |a - b| over all rows relative to the largest |a| of the row.
double worst_relative_error(const model::WeightMatrix& a, const model::WeightMatrix& b) {
  std::vector<float> ra(static_cast<size_t>(a.cols)), rb(ra.size());
  double worst = 0;
  for (int64_t e = 0; e < a.count; ++e) {
    for (int64_t r = 0; r < a.rows; ++r) {
      dequantize_row(a, e, r, ra.data());
      dequantize_row(b, e, r, rb.data());
      float peak = 0;
      for (float v : ra) peak = std::max(peak, std::fabs(v));
      for (size_t i = 0; i < ra.size(); ++i)
        worst = std::max(worst, static_cast<double>(std::fabs(ra[i] - rb[i])) / std::max(peak, 1e-30f));
    }
  }
  return worst;
}

TEST(SynthFiles, HfFolderDecodesToTheFixtureValues) {
  TALLY_REQUIRE_SHARED();
  const std::string hf = tally::testing::tiny_hf_dir();
  if (hf.empty()) GTEST_SKIP() << "tally-cli synth not available in this build tree";
  auto g = load_model(tally::testing::tiny_fixture_dir() + "/tiny-gptoss-f16.gguf");
  auto h = load_model(hf);
  ASSERT_TRUE(g.ok()) << g.error().message;
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_EQ(worst_relative_error(g->weights.embed, h->weights.embed), 0.0);
  for (size_t n = 0; n < g->weights.layers.size(); ++n) {
    const auto& a = g->weights.layers[n];
    const auto& b = h->weights.layers[n];
    EXPECT_EQ(worst_relative_error(a.gate, b.gate), 0.0) << n;
    EXPECT_EQ(worst_relative_error(a.up, b.up), 0.0) << n;
    EXPECT_EQ(worst_relative_error(a.down, b.down), 0.0) << n;
    EXPECT_EQ(worst_relative_error(a.wq, b.wq), 0.0) << n;
    EXPECT_EQ(a.gate_bias, b.gate_bias) << n;
    EXPECT_EQ(a.sinks, b.sinks) << n;
  }
}

TEST(SynthFiles, OfficialLayoutGgufLoadsWithQ8Attention) {
  TALLY_REQUIRE_SHARED();
  const std::string path = tally::testing::tiny_synth_gguf();
  if (path.empty()) GTEST_SKIP() << "tally-cli synth not available in this build tree";
  auto s = load_model(path);
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto g = load_model(tally::testing::tiny_fixture_dir() + "/tiny-gptoss-f16.gguf");
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(s->weights.layers[0].wq.type, model::DType::Q8_0);
  for (size_t n = 0; n < g->weights.layers.size(); ++n) {
    const auto& a = g->weights.layers[n];
    const auto& b = s->weights.layers[n];
    EXPECT_EQ(worst_relative_error(a.gate, b.gate), 0.0) << n;
    EXPECT_EQ(worst_relative_error(a.down, b.down), 0.0) << n;
    // Q8_0: one f16 scale per 32 values, so each value is within half a step (1/254 of the block's peak).
    EXPECT_LT(worst_relative_error(a.wq, b.wq), 1.0 / 200) << n;
    EXPECT_LT(worst_relative_error(a.wo, b.wo), 1.0 / 200) << n;
    EXPECT_EQ(a.bq, b.bq) << n;
  }
}

}  // namespace
}  // namespace tally::loader
