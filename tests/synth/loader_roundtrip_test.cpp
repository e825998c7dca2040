// Both synth outputs must open with Tally's own loader and describe the same model: the same config, bit-equal
// experts, biases, norms and sinks (MXFP4 and F32 carry the recipe's values exactly), and Q8_0 matrices within
// Q8_0 rounding of the HF bf16 values.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "fixtures.h"
#include "loader/dequantize.h"
#include "loader/model_file.h"
#include "synth/gptoss_gguf.h"
#include "synth/hf_checkpoint.h"

namespace tally::synth {
namespace {

// Largest |a - b| over every row, relative to the row's largest |a|.
double worst_relative_error(const model::WeightMatrix& a, const model::WeightMatrix& b) {
  std::vector<float> ra(static_cast<size_t>(a.cols)), rb(ra.size());
  double worst = 0;
  for (int64_t e = 0; e < a.count; ++e) {
    for (int64_t r = 0; r < a.rows; ++r) {
      loader::dequantize_row(a, e, r, ra.data());
      loader::dequantize_row(b, e, r, rb.data());
      float peak = 0;
      for (float v : ra) peak = std::max(peak, std::fabs(v));
      for (size_t i = 0; i < ra.size(); ++i) {
        worst = std::max(worst, static_cast<double>(std::fabs(ra[i] - rb[i])) / std::max(peak, 1e-30f));
      }
    }
  }
  return worst;
}

class SynthThroughLoader : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = testing::scratch_dir("synth_loader_roundtrip");
    const Preset tiny = *find_preset("tiny");
    HfCheckpointOptions hf_opt;
    hf_opt.seed = kDefaultSeed;
    GgufOptions gguf_opt;
    gguf_opt.seed = kDefaultSeed;
    written_ = write_hf_checkpoint(tiny, dir + "/hf", hf_opt).ok() &&
               write_gptoss_gguf(tiny, dir + "/tiny.gguf", gguf_opt).ok();
    if (!written_) return;
    auto h = loader::load_model(dir + "/hf");
    auto g = loader::load_model(dir + "/tiny.gguf");
    if (h.ok()) hf_ = new loader::LoadedModel(std::move(h).value());
    else hf_error_ = h.error().message;
    if (g.ok()) gguf_ = new loader::LoadedModel(std::move(g).value());
    else gguf_error_ = g.error().message;
  }
  static void TearDownTestSuite() {
    delete hf_;
    delete gguf_;
    hf_ = gguf_ = nullptr;
  }
  static bool written_;
  static loader::LoadedModel* hf_;
  static loader::LoadedModel* gguf_;
  static std::string hf_error_, gguf_error_;
};
bool SynthThroughLoader::written_ = false;
loader::LoadedModel* SynthThroughLoader::hf_ = nullptr;
loader::LoadedModel* SynthThroughLoader::gguf_ = nullptr;
std::string SynthThroughLoader::hf_error_;
std::string SynthThroughLoader::gguf_error_;

TEST_F(SynthThroughLoader, BothFormatsLoad) {
  ASSERT_TRUE(written_);
  EXPECT_NE(hf_, nullptr) << hf_error_;
  EXPECT_NE(gguf_, nullptr) << gguf_error_;
}

TEST_F(SynthThroughLoader, ConfigIsTheTinyPreset) {
  for (const loader::LoadedModel* m : {hf_, gguf_}) {
    ASSERT_NE(m, nullptr);
    const model::ModelConfig& c = m->weights.config;
    EXPECT_EQ(c.n_layers, 4);
    EXPECT_EQ(c.hidden, 32);
    EXPECT_EQ(c.n_heads, 8);
    EXPECT_EQ(c.n_kv_heads, 2);
    EXPECT_EQ(c.head_dim, 64);
    EXPECT_EQ(c.n_experts, 8);
    EXPECT_EQ(c.n_experts_used, 4);
    EXPECT_EQ(c.expert_ffn, 64);
    EXPECT_EQ(c.vocab, 201088);
    EXPECT_EQ(c.sliding_window, 16);
    EXPECT_EQ(c.context_length, 131072);
    EXPECT_EQ(c.rope_original_context, 4096);
    EXPECT_FLOAT_EQ(c.rope_theta, 150000.f);
    EXPECT_FLOAT_EQ(c.rope_scaling_factor, 32.f);
    ASSERT_EQ(c.layer_sliding.size(), 4u);
    EXPECT_TRUE(c.layer_sliding[0]);
    EXPECT_FALSE(c.layer_sliding[1]);
    ASSERT_NE(m->tokenizer, nullptr);
    EXPECT_EQ(m->tokenizer->vocab_size(), 201088);
  }
}

TEST_F(SynthThroughLoader, ExactTensorsAgreeBitForBit) {
  ASSERT_NE(hf_, nullptr);
  ASSERT_NE(gguf_, nullptr);
  ASSERT_EQ(hf_->weights.layers.size(), gguf_->weights.layers.size());
  EXPECT_EQ(hf_->weights.final_norm, gguf_->weights.final_norm);
  for (size_t n = 0; n < hf_->weights.layers.size(); ++n) {
    const auto& a = hf_->weights.layers[n];
    const auto& b = gguf_->weights.layers[n];
    EXPECT_EQ(worst_relative_error(a.gate, b.gate), 0.0) << n;
    EXPECT_EQ(worst_relative_error(a.up, b.up), 0.0) << n;
    EXPECT_EQ(worst_relative_error(a.down, b.down), 0.0) << n;
    EXPECT_EQ(worst_relative_error(a.router, b.router), 0.0) << n;
    EXPECT_EQ(a.gate_bias, b.gate_bias) << n;
    EXPECT_EQ(a.up_bias, b.up_bias) << n;
    EXPECT_EQ(a.down_bias, b.down_bias) << n;
    EXPECT_EQ(a.router_bias, b.router_bias) << n;
    EXPECT_EQ(a.sinks, b.sinks) << n;
    EXPECT_EQ(a.attn_norm, b.attn_norm) << n;
    EXPECT_EQ(a.post_norm, b.post_norm) << n;
    EXPECT_EQ(a.bq, b.bq) << n;
  }
}

TEST_F(SynthThroughLoader, Q8_0MatricesStayWithinRounding) {
  ASSERT_NE(hf_, nullptr);
  ASSERT_NE(gguf_, nullptr);
  // Half a Q8_0 step is 1/254 of the block's peak; the f16 scale adds a little.
  constexpr double kQ8 = 0.5 / 127 + 1e-3;
  EXPECT_LT(worst_relative_error(hf_->weights.embed, gguf_->weights.embed), kQ8);
  EXPECT_LT(worst_relative_error(hf_->weights.output, gguf_->weights.output), kQ8);
  for (size_t n = 0; n < hf_->weights.layers.size(); ++n) {
    EXPECT_LT(worst_relative_error(hf_->weights.layers[n].wq, gguf_->weights.layers[n].wq), kQ8) << n;
    EXPECT_LT(worst_relative_error(hf_->weights.layers[n].wo, gguf_->weights.layers[n].wo), kQ8) << n;
  }
}

}  // namespace
}  // namespace tally::synth
