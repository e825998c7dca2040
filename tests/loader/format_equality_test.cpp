// The rule: GGUF and Hugging Face files of the same model give the same numbers. The tiny fixture's GGUF (F16 +
// ggml MXFP4, gate/up split) and its HF checkpoint (BF16 + split-plane MXFP4, gate/up interleaved) hold identical
// values, so every decoded row and every vector must match exactly.
#include <gtest/gtest.h>

#include <cstring>

#include "fixtures.h"
#include "loader/dequantize.h"
#include "loader/model_file.h"
#include "tiny_hf_checkpoint.h"

namespace tally::loader {
namespace {

void expect_same_matrix(const model::WeightMatrix& a, const model::WeightMatrix& b, const std::string& what) {
  ASSERT_EQ(a.count, b.count) << what;
  ASSERT_EQ(a.rows, b.rows) << what;
  ASSERT_EQ(a.cols, b.cols) << what;
  std::vector<float> ra(static_cast<size_t>(a.cols)), rb(ra.size());
  int64_t mismatched_rows = 0;
  for (int64_t e = 0; e < a.count; ++e) {
    for (int64_t r = 0; r < a.rows; ++r) {
      dequantize_row(a, e, r, ra.data());
      dequantize_row(b, e, r, rb.data());
      if (std::memcmp(ra.data(), rb.data(), ra.size() * sizeof(float)) != 0) {
        if (mismatched_rows++ == 0) {
          for (size_t i = 0; i < ra.size(); ++i)
            ASSERT_EQ(ra[i], rb[i]) << what << " (" << a.name << " vs " << b.name << ") matrix " << e << " row " << r
                                    << " col " << i;
        }
      }
    }
  }
  EXPECT_EQ(mismatched_rows, 0) << what;
}

void expect_same_vector(const std::vector<float>& a, const std::vector<float>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << what << " index " << i;
}

TEST(FormatEquality, GgufAndHfDecodeToIdenticalValues) {
  TALLY_REQUIRE_SHARED();
  const std::string hf_dir = loader_test::recipe_hf_dir();
  ASSERT_FALSE(hf_dir.empty());
  auto g = load_model(testing::tiny_fixture_dir() + "/tiny-gptoss-f16.gguf");
  ASSERT_TRUE(g.ok()) << g.error().message;
  auto h = load_model(hf_dir);
  ASSERT_TRUE(h.ok()) << h.error().message;
  const model::ModelWeights& G = g->weights;
  const model::ModelWeights& H = h->weights;
  expect_same_matrix(G.embed, H.embed, "embed");
  expect_same_matrix(G.output, H.output, "output");
  expect_same_vector(G.final_norm, H.final_norm, "final_norm");
  ASSERT_EQ(G.layers.size(), H.layers.size());
  for (size_t n = 0; n < G.layers.size(); ++n) {
    const auto& a = G.layers[n];
    const auto& b = H.layers[n];
    const std::string l = "layer " + std::to_string(n) + " ";
    expect_same_matrix(a.wq, b.wq, l + "wq");
    expect_same_matrix(a.wk, b.wk, l + "wk");
    expect_same_matrix(a.wv, b.wv, l + "wv");
    expect_same_matrix(a.wo, b.wo, l + "wo");
    expect_same_matrix(a.router, b.router, l + "router");
    expect_same_matrix(a.gate, b.gate, l + "gate");
    expect_same_matrix(a.up, b.up, l + "up");
    expect_same_matrix(a.down, b.down, l + "down");
    expect_same_vector(a.attn_norm, b.attn_norm, l + "attn_norm");
    expect_same_vector(a.post_norm, b.post_norm, l + "post_norm");
    expect_same_vector(a.bq, b.bq, l + "bq");
    expect_same_vector(a.bk, b.bk, l + "bk");
    expect_same_vector(a.bv, b.bv, l + "bv");
    expect_same_vector(a.bo, b.bo, l + "bo");
    expect_same_vector(a.sinks, b.sinks, l + "sinks");
    expect_same_vector(a.router_bias, b.router_bias, l + "router_bias");
    expect_same_vector(a.gate_bias, b.gate_bias, l + "gate_bias");
    expect_same_vector(a.up_bias, b.up_bias, l + "up_bias");
    expect_same_vector(a.down_bias, b.down_bias, l + "down_bias");
  }
}

// The MXFP4 tables themselves: E2M1 codes and E8M0 scales.
TEST(Dequantize, E2m1AndE8m0Tables) {
  const float want[16] = {0, 0.5f, 1, 1.5f, 2, 3, 4, 6, -0.f, -0.5f, -1, -1.5f, -2, -3, -4, -6};
  for (uint8_t c = 0; c < 16; ++c) EXPECT_EQ(e2m1_value(c), want[c]) << int(c);
  EXPECT_EQ(e8m0_value(127), 1.f);
  EXPECT_EQ(e8m0_value(128), 2.f);
  EXPECT_EQ(e8m0_value(120), 1.f / 128);
}

// Nibble orders differ between the formats: ggml puts element i and i+16 in byte i, HF puts 2i and 2i+1.
TEST(Dequantize, NibbleOrderOfBothMxfp4Layouts) {
  uint8_t ggml[17] = {128};
  for (int i = 0; i < 16; ++i) ggml[1 + i] = static_cast<uint8_t>((i % 8) | ((7 - i % 8) << 4));
  model::WeightMatrix g{"g", model::DType::MXFP4, 1, 32, 1, ggml, 17, 17};
  float out[32];
  dequantize_row(g, 0, 0, out);
  EXPECT_EQ(out[3], 2 * e2m1_value(3));
  EXPECT_EQ(out[16 + 3], 2 * e2m1_value(4));
  uint8_t split[16];
  uint8_t scale = 126;
  for (int i = 0; i < 16; ++i) split[i] = static_cast<uint8_t>((i % 8) | ((7 - i % 8) << 4));
  model::WeightMatrix s{"s", model::DType::MXFP4_SPLIT, 1, 32, 1, split, 16, 16, &scale, 1, 1};
  dequantize_row(s, 0, 0, out);
  EXPECT_EQ(out[2 * 3], 0.5f * e2m1_value(3));
  EXPECT_EQ(out[2 * 3 + 1], 0.5f * e2m1_value(4));
}

TEST(Weights, DTypeTables) {
  using model::DType;
  EXPECT_STREQ(model::dtype_name(DType::Q8_0), "Q8_0");
  EXPECT_STREQ(model::dtype_name(DType::MXFP4_SPLIT), "MXFP4_SPLIT");
  EXPECT_EQ(model::dtype_row_bytes(DType::F32, 10), 40u);
  EXPECT_EQ(model::dtype_row_bytes(DType::BF16, 10), 20u);
  EXPECT_EQ(model::dtype_row_bytes(DType::Q8_0, 64), 68u);
  EXPECT_EQ(model::dtype_row_bytes(DType::MXFP4, 2880), 90u * 17);
  EXPECT_EQ(model::dtype_row_bytes(DType::MXFP4_SPLIT, 2880), 90u * 16);
  EXPECT_EQ(model::dtype_block_size(DType::F16), 1);
  EXPECT_EQ(model::dtype_block_size(DType::MXFP4), 32);
}

}  // namespace
}  // namespace tally::loader
