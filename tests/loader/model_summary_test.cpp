// `tally-cli info` numbers: KV cache estimate, type histogram, parameter count (equal across formats).
#include <gtest/gtest.h>

#include "fixtures.h"
#include "loader/model_summary.h"
#include "tiny_hf_checkpoint.h"

namespace tally::loader {
namespace {

model::ModelConfig gpt_oss_20b() {
  model::ModelConfig c;
  c.n_layers = 24;
  c.n_kv_heads = 8;
  c.head_dim = 64;
  c.sliding_window = 128;
  c.context_length = 131072;
  c.layer_sliding.assign(24, false);
  for (int i = 0; i < 24; i += 2) c.layer_sliding[static_cast<size_t>(i)] = true;
  return c;
}

TEST(ModelSummary, KvCacheKeepsOnlyTheWindowOnSlidingLayers) {
  const auto c = gpt_oss_20b();
  // gptoss.md: 24.6 KB per position for the 12 full layers at f16.
  EXPECT_EQ(kv_cache_bytes(c, 1), 12u * 2048 + 12u * 2048);
  EXPECT_EQ(kv_cache_bytes(c, 8192), 12u * 2048 * 8192 + 12u * 2048 * 128);
  EXPECT_EQ(kv_cache_bytes(c, 100), 24u * 2048 * 100);  // shorter than the window
}

TEST(ModelSummary, TinyFixtureHistogramAndParametersAgreeAcrossFormats) {
  TALLY_REQUIRE_SHARED();
  auto g = load_model(tally::testing::tiny_fixture_dir() + "/tiny-gptoss-f16.gguf");
  ASSERT_TRUE(g.ok()) << g.error().message;
  const ModelSummary s = summarize(*g);
  EXPECT_EQ(s.types.at("MXFP4").count, 12);
  EXPECT_EQ(s.types.at("F16").count, 4 * 4 + 2);  // q, k, v, o per layer + embedding + output
  EXPECT_EQ(s.types.at("F32").count, 79 - 12 - 18);
  EXPECT_EQ(s.kv_context, 8192);
  // K and V of 2 heads x 64 at 2 bytes: 512 bytes per position; 2 full layers x 8192, 2 sliding x 16.
  EXPECT_EQ(s.kv_bytes, 2u * 512 * 8192 + 2u * 512 * 16);
  EXPECT_EQ(s.memory_bytes, s.weight_bytes + s.kv_bytes);
  EXPECT_LE(s.weight_bytes, g->file_bytes);
  const std::string hf = loader_test::recipe_hf_dir();
  ASSERT_FALSE(hf.empty());
  auto h = load_model(hf);
  ASSERT_TRUE(h.ok()) << h.error().message;
  const ModelSummary t = summarize(*h);
  EXPECT_EQ(t.parameters, s.parameters);
  EXPECT_EQ(t.types.at("U8").count, 16);
  EXPECT_EQ(t.types.at("BF16").count, 63);
}

}  // namespace
}  // namespace tally::loader
