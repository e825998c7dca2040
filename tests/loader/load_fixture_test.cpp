// Loading both formats of the tiny-gptoss fixture: config values, tensor tables, views, tokenizer, progress.
#include <gtest/gtest.h>

#include <filesystem>

#include "fixtures.h"
#include "loader/model_file.h"
#include "tiny_hf_checkpoint.h"

namespace tally::loader {
namespace {

std::string tiny_gguf() { return testing::tiny_fixture_dir() + "/tiny-gptoss-f16.gguf"; }

void expect_tiny_config(const model::ModelConfig& c) {
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
  EXPECT_EQ(c.layer_sliding, (std::vector<bool>{true, false, true, false}));
  EXPECT_EQ(c.context_length, 131072);
  EXPECT_FLOAT_EQ(c.rms_eps, 1e-5f);
  EXPECT_FLOAT_EQ(c.rope_theta, 150000.f);
  EXPECT_FLOAT_EQ(c.rope_scaling_factor, 32.f);
  EXPECT_EQ(c.rope_original_context, 4096);
  EXPECT_FLOAT_EQ(c.yarn_beta_fast, 32.f);
  EXPECT_FLOAT_EQ(c.yarn_beta_slow, 1.f);
  EXPECT_FLOAT_EQ(c.swiglu_limit, 7.f);
}

void expect_tiny_vectors(const model::ModelWeights& w) {
  ASSERT_EQ(w.layers.size(), 4u);
  for (const auto& L : w.layers) {
    EXPECT_EQ(L.attn_norm.size(), 32u);
    EXPECT_EQ(L.post_norm.size(), 32u);
    EXPECT_EQ(L.bq.size(), 512u);
    EXPECT_EQ(L.bk.size(), 128u);
    EXPECT_EQ(L.bv.size(), 128u);
    EXPECT_EQ(L.bo.size(), 32u);
    EXPECT_EQ(L.sinks.size(), 8u);
    EXPECT_EQ(L.router_bias.size(), 8u);
    EXPECT_EQ(L.gate_bias.size(), 8u * 64);
    EXPECT_EQ(L.up_bias.size(), 8u * 64);
    EXPECT_EQ(L.down_bias.size(), 8u * 32);
    EXPECT_EQ(L.gate.count, 8);
    EXPECT_EQ(L.gate.rows, 64);
    EXPECT_EQ(L.gate.cols, 32);
    EXPECT_EQ(L.down.rows, 32);
    EXPECT_EQ(L.down.cols, 64);
    EXPECT_EQ(L.wo.rows, 32);
    EXPECT_EQ(L.wo.cols, 512);
  }
  EXPECT_EQ(w.final_norm.size(), 32u);
  EXPECT_EQ(w.embed.rows, 201088);
  EXPECT_EQ(w.output.rows, 201088);
  EXPECT_FALSE(w.files.empty());
}

TEST(LoadGguf, TinyFixtureConfigAndTensors) {
  TALLY_REQUIRE_SHARED();
  auto m = load_model(tiny_gguf());
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->format, ModelFormat::Gguf);
  expect_tiny_config(m->weights.config);
  EXPECT_EQ(m->weights.config.name, "Tiny");
  expect_tiny_vectors(m->weights);
  EXPECT_EQ(m->tensors.size(), 79u);
  EXPECT_EQ(m->file_bytes, std::filesystem::file_size(tiny_gguf()));
  EXPECT_EQ(m->metadata.at("general.architecture"), "gpt-oss");
  EXPECT_EQ(m->metadata.at("tokenizer.ggml.tokens"), "[string x 201088]");
  const auto& L = m->weights.layers[0];
  EXPECT_EQ(L.gate.type, model::DType::MXFP4);
  EXPECT_EQ(L.wq.type, model::DType::F16);
  EXPECT_EQ(L.router.type, model::DType::F32);
  EXPECT_EQ(m->weights.embed.type, model::DType::F16);
  ASSERT_TRUE(m->tokenizer);
  EXPECT_EQ(m->tokenizer->vocab_size(), 201088);
}

TEST(LoadGguf, MatricesAreViewsIntoTheMapping) {
  TALLY_REQUIRE_SHARED();
  auto m = load_model(tiny_gguf());
  ASSERT_TRUE(m.ok()) << m.error().message;
  // No copies: every matrix points inside the one mapped file.
  const auto& f = m->tensors;
  uint64_t total = 0;
  for (const auto& t : f) total += t.bytes;
  EXPECT_LE(total, m->file_bytes);
  EXPECT_TRUE(m->weights.owned.empty());
  const auto& L = m->weights.layers[1];
  EXPECT_EQ(L.gate.row_stride, 17u);  // 32 values = one MXFP4 block
  EXPECT_EQ(L.gate.mat_stride, 17u * 64);
  EXPECT_EQ(L.wq.row_stride, 64u);
}

TEST(LoadGguf, ProgressIsMonotonicAndCancelWorks) {
  TALLY_REQUIRE_SHARED();
  std::vector<float> seen;
  auto m = load_model(tiny_gguf(), [&](float f) {
    seen.push_back(f);
    return true;
  });
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_FALSE(seen.empty());
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i], seen[i - 1]);
  EXPECT_FLOAT_EQ(seen.back(), 1.f);
  int calls = 0;
  auto cancelled = load_model(tiny_gguf(), [&](float) { return ++calls < 3; });
  ASSERT_FALSE(cancelled.ok());
  EXPECT_NE(cancelled.error().message.find("cancelled"), std::string::npos);
}

TEST(LoadHf, TinyCheckpointConfigAndViews) {
  TALLY_REQUIRE_SHARED();
  const std::string dir = loader_test::recipe_hf_dir();
  ASSERT_FALSE(dir.empty()) << "could not regenerate model.safetensors";
  auto m = load_model(dir);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->format, ModelFormat::HuggingFace);
  expect_tiny_config(m->weights.config);
  expect_tiny_vectors(m->weights);
  EXPECT_EQ(m->tensors.size(), 79u);
  EXPECT_EQ(m->file_bytes, 26199360u);
  EXPECT_EQ(m->metadata.at("model_type"), "gpt_oss");
  EXPECT_EQ(m->metadata.at("safetensors.format"), "pt");
  const auto& L = m->weights.layers[2];
  EXPECT_EQ(L.gate.type, model::DType::MXFP4_SPLIT);
  EXPECT_EQ(L.gate.row_stride, 32u);  // interleaved: every other 16-byte row
  EXPECT_EQ(L.up.data, L.gate.data + 16);
  EXPECT_EQ(L.up.scales, L.gate.scales + 1);
  EXPECT_EQ(L.down.row_stride, 32u);  // 64 columns = two blocks
  EXPECT_EQ(m->weights.embed.type, model::DType::BF16);
  ASSERT_TRUE(m->tokenizer);
  EXPECT_EQ(m->tokenizer->vocab_size(), 201088);
}

TEST(LoadHf, AcceptsConfigJsonOrSafetensorsPath) {
  TALLY_REQUIRE_SHARED();
  const std::string dir = loader_test::recipe_hf_dir();
  ASSERT_FALSE(dir.empty());
  for (const char* f : {"/config.json", "/model.safetensors"}) {
    auto m = load_model(dir + f);
    ASSERT_TRUE(m.ok()) << f << ": " << m.error().message;
    EXPECT_EQ(m->format, ModelFormat::HuggingFace);
  }
}

TEST(LoadModel, MissingPathNamesIt) {
  auto m = load_model("/nonexistent/model.gguf");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("/nonexistent/model.gguf"), std::string::npos);
}

}  // namespace
}  // namespace tally::loader
