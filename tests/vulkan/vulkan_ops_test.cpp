// Each Vulkan op against the CPU exact op on random data, for every weight type the loaders produce (the tiny
// fixture has only F16/BF16 attention, so Q8_0, F32 and both MXFP4 layouts are covered here).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <random>

#include "backend/cpu/dequant.h"
#include "model/config.h"
#include "vulkan_test_support.h"

namespace tally {
namespace {

using backend::Act;
using backend::Backend;
using model::DType;
using model::WeightMatrix;
using testing::get;
using testing::max_rel_diff;
using testing::put;
using testing::random_floats;

// Random weights of one type, owning their bytes. Strided and split layouts leave gaps between rows on purpose.
struct RandomWeights {
  std::vector<uint8_t> bytes, scales;
  WeightMatrix w;
};

RandomWeights make_weights(DType type, int64_t rows, int64_t cols, int64_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::uniform_int_distribution<int> byte(0, 255);
  RandomWeights r;
  WeightMatrix& w = r.w;
  w.name = std::string("test.") + model::dtype_name(type);
  w.type = type;
  w.rows = rows;
  w.cols = cols;
  w.count = count;
  const int64_t blocks = cols / 32;
  switch (type) {
    case DType::F32: w.row_stride = cols * 4 + 8; break;
    case DType::F16:
    case DType::BF16: w.row_stride = cols * 2 + 4; break;
    case DType::Q8_0: w.row_stride = blocks * 34; break;
    case DType::MXFP4: w.row_stride = blocks * 17; break;
    case DType::MXFP4_SPLIT: w.row_stride = blocks * 16 + 16; break;
  }
  w.mat_stride = w.row_stride * rows;
  r.bytes.assign(w.mat_stride * count, 0);
  for (int64_t e = 0; e < count; ++e) {
    for (int64_t row = 0; row < rows; ++row) {
      uint8_t* p = r.bytes.data() + e * w.mat_stride + row * w.row_stride;
      for (int64_t c = 0; c < (type == DType::Q8_0 || type == DType::MXFP4 ? blocks : cols); ++c) {
        if (type == DType::F32) {
          const float f = u(rng);
          std::memcpy(p + c * 4, &f, 4);
        } else if (type == DType::F16) {
          const uint16_t h = backend::cpu::f32_to_f16(u(rng));
          std::memcpy(p + c * 2, &h, 2);
        } else if (type == DType::BF16) {
          const float f = u(rng);
          uint32_t bits;
          std::memcpy(&bits, &f, 4);
          const uint16_t h = static_cast<uint16_t>(bits >> 16);
          std::memcpy(p + c * 2, &h, 2);
        } else if (type == DType::Q8_0) {
          const uint16_t d = backend::cpu::f32_to_f16(0.01f + 0.01f * std::abs(u(rng)));
          std::memcpy(p + c * 34, &d, 2);
          for (int i = 0; i < 32; ++i) p[c * 34 + 2 + i] = static_cast<uint8_t>(byte(rng));
        } else if (type == DType::MXFP4) {
          p[c * 17] = static_cast<uint8_t>(120 + byte(rng) % 6);
          for (int i = 0; i < 16; ++i) p[c * 17 + 1 + i] = static_cast<uint8_t>(byte(rng));
        } else if (type == DType::MXFP4_SPLIT && c < blocks * 16) {
          p[c] = static_cast<uint8_t>(byte(rng));
        }
      }
    }
  }
  w.data = r.bytes.data();
  if (type == DType::MXFP4_SPLIT) {
    w.scale_row_stride = static_cast<size_t>(blocks + 3);
    w.scale_mat_stride = w.scale_row_stride * rows;
    r.scales.resize(w.scale_mat_stride * count);
    for (auto& s : r.scales) s = static_cast<uint8_t>(120 + byte(rng) % 6);
    w.scales = r.scales.data();
  }
  return r;
}

class VulkanOps : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_VULKAN();
    auto g = backend::make_vulkan_backend();
    ASSERT_TRUE(g.ok()) << g.error().message;
    gpu_ = std::move(g).value();
    cpu_ = backend::make_cpu_backend({.exact = true, .threads = 1});
  }
  void TearDown() override {
    if (gpu_) gpu_->release_scratch();
    if (cpu_) cpu_->release_scratch();
  }
  std::unique_ptr<Backend> gpu_, cpu_;
};

struct LinearCase {
  DType type;
  int64_t cols;
};

class VulkanLinear : public VulkanOps, public ::testing::WithParamInterface<LinearCase> {};

TEST_P(VulkanLinear, MatchesCpuExactForFewAndManyRows) {
  const auto [type, cols] = GetParam();
  const int64_t rows = 70;
  const RandomWeights rw = make_weights(type, rows, cols, 1, 7);
  const std::vector<float> bias = random_floats(rows, 8);
  for (const int64_t n : {1, 5, 19, 45}) {
    const std::vector<float> x = random_floats(static_cast<size_t>(n * cols), 9 + static_cast<uint32_t>(n));
    std::vector<float> results[2];
    int i = 0;
    for (Backend* b : {cpu_.get(), gpu_.get()}) {
      Act xa = put(*b, x, n, cols);
      Act out = b->alloc(n, rows);
      b->linear(rw.w, bias, xa, out);
      results[i++] = get(*b, out);
      b->finish();
      b->release_scratch();
    }
    EXPECT_LT(max_rel_diff(results[1], results[0]), 1e-4) << model::dtype_name(type) << " n=" << n;
  }
}

TEST_P(VulkanLinear, EmbedMatchesCpu) {
  const auto [type, cols] = GetParam();
  const RandomWeights rw = make_weights(type, 50, cols, 1, 11);
  const std::vector<int32_t> ids = {3, 0, 49, 17, 17};
  std::vector<float> results[2];
  int i = 0;
  for (Backend* b : {cpu_.get(), gpu_.get()}) {
    Act out = b->alloc(static_cast<int64_t>(ids.size()), cols);
    b->embed(rw.w, ids, out);
    results[i++] = get(*b, out);
    b->release_scratch();
  }
  EXPECT_EQ(results[1], results[0]) << model::dtype_name(type);  // decoding is exact on both
}

const LinearCase kLinearCases[] = {{DType::F32, 44},  {DType::F16, 64},   {DType::BF16, 44},
                                   {DType::Q8_0, 96}, {DType::MXFP4, 96}, {DType::MXFP4_SPLIT, 96}};
std::string linear_name(const ::testing::TestParamInfo<LinearCase>& p) { return model::dtype_name(p.param.type); }
INSTANTIATE_TEST_SUITE_P(AllTypes, VulkanLinear, ::testing::ValuesIn(kLinearCases), linear_name);

TEST_F(VulkanOps, RmsNormRopeAddMatchCpu) {
  model::ModelConfig c;
  c.n_heads = 4;
  c.n_kv_heads = 2;
  c.head_dim = 64;
  c.rope_scaling_factor = 32.f;
  const int64_t n = 3;
  const std::vector<int32_t> positions = {5, 1000, 70000};
  const auto q = random_floats(n * c.q_width(), 1), k = random_floats(n * c.kv_width(), 2);
  const auto w = random_floats(static_cast<size_t>(c.q_width()), 3);
  std::vector<float> results[2][3];
  int i = 0;
  for (Backend* b : {cpu_.get(), gpu_.get()}) {
    Act qa = put(*b, q, n, c.q_width()), ka = put(*b, k, n, c.kv_width());
    Act normed = b->alloc(n, c.q_width());
    b->rmsnorm(qa, w, 1e-5f, normed);
    b->rope(qa, ka, positions, c);
    b->add(qa, normed);
    results[i][0] = get(*b, normed);
    results[i][1] = get(*b, qa);
    results[i][2] = get(*b, ka);
    b->release_scratch();
    ++i;
  }
  EXPECT_LT(max_rel_diff(results[1][0], results[0][0]), 1e-5) << "rmsnorm";
  EXPECT_LT(max_rel_diff(results[1][1], results[0][1]), 1e-5) << "rope q + add";
  EXPECT_LT(max_rel_diff(results[1][2], results[0][2]), 1e-5) << "rope k";
}

// Sliding and full layers, a prefill that wraps the sliding ring (window 16 + 256 slack slots) in three chunks,
// then single-token decode; f32 and f16 caches.
TEST_F(VulkanOps, AttentionMatchesCpuAcrossRingWrap) {
  model::ModelConfig c;
  c.n_layers = 2;
  c.n_heads = 8;
  c.n_kv_heads = 2;
  c.head_dim = 64;
  c.sliding_window = 16;
  c.layer_sliding = {true, false};
  const auto sinks = random_floats(8, 5, 2.0f);
  for (const backend::KvType type : {backend::KvType::F32, backend::KvType::F16}) {
    auto cpu = backend::make_cpu_backend({.exact = type == backend::KvType::F32, .threads = 1});
    auto kv_cpu = cpu->create_kv(c, 400, type);
    auto kv_gpu = gpu_->create_kv(c, 400, type);
    int64_t pos = 0;
    uint32_t seed = 100;
    for (const int64_t n : {150, 150, 1, 1}) {
      const auto q = random_floats(n * c.q_width(), seed++), k = random_floats(n * c.kv_width(), seed++);
      const auto v = random_floats(n * c.kv_width(), seed++);
      std::vector<int32_t> positions(static_cast<size_t>(n));
      std::iota(positions.begin(), positions.end(), static_cast<int32_t>(pos));
      for (int layer = 0; layer < 2; ++layer) {
        std::vector<float> results[2];
        int i = 0;
        for (auto [b, kv] : {std::pair{cpu.get(), kv_cpu.get()}, std::pair{gpu_.get(), kv_gpu.get()}}) {
          Act qa = put(*b, q, n, c.q_width()), ka = put(*b, k, n, c.kv_width()), va = put(*b, v, n, c.kv_width());
          Act out = b->alloc(n, c.q_width());
          b->attention(*kv, layer, qa, ka, va, positions, sinks, c, out);
          results[i++] = get(*b, out);
          b->release_scratch();
        }
        const double tol = type == backend::KvType::F32 ? 1e-4 : 3e-3;
        EXPECT_LT(max_rel_diff(results[1], results[0]), tol)
            << "layer " << layer << " at " << pos << " (" << n << " tokens), f16 " << (type == backend::KvType::F16);
      }
      pos += n;
      kv_cpu->set_size(pos);
      kv_gpu->set_size(pos);
    }
  }
}

// Router top-k and the experts for each expert weight type, including the HF layout's interleaved gate/up rows.
TEST_F(VulkanOps, RouteAndMoeMatchCpuForEveryExpertType) {
  model::ModelConfig c;
  c.hidden = 64;
  c.expert_ffn = 96;
  c.n_experts = 8;
  c.n_experts_used = 4;
  c.swiglu_limit = 7.f;
  const RandomWeights router = make_weights(DType::F32, c.n_experts, c.hidden, 1, 21);
  for (const DType type : {DType::Q8_0, DType::MXFP4, DType::MXFP4_SPLIT, DType::BF16}) {
    model::LayerWeights L;
    L.router = router.w;
    L.router_bias = random_floats(c.n_experts, 22, 0.1f);
    // gate and up as two views of one stack with interleaved rows (how the HF checkpoint stores gate_up).
    RandomWeights gate_up = make_weights(type, 2 * c.expert_ffn, c.hidden, c.n_experts, 23);
    L.gate = gate_up.w;
    L.gate.rows = c.expert_ffn;
    L.gate.row_stride *= 2;
    L.up = L.gate;
    L.up.data += gate_up.w.row_stride;
    if (type == DType::MXFP4_SPLIT) {
      L.gate.scale_row_stride *= 2;
      L.up.scale_row_stride = L.gate.scale_row_stride;
      L.up.scales += gate_up.w.scale_row_stride;
    }
    RandomWeights down = make_weights(type, c.hidden, c.expert_ffn, c.n_experts, 24);
    L.down = down.w;
    L.gate_bias = random_floats(c.n_experts * c.expert_ffn, 25, 0.1f);
    L.up_bias = random_floats(c.n_experts * c.expert_ffn, 26, 0.1f);
    L.down_bias = random_floats(c.n_experts * c.hidden, 27, 0.1f);
    for (const int64_t n : {1, 21}) {
      const auto x = random_floats(n * c.hidden, 30 + static_cast<uint32_t>(n), 4.0f);
      const auto residual = random_floats(n * c.hidden, 40);
      std::vector<float> results[2], experts[2], weights[2];
      int i = 0;
      for (Backend* b : {cpu_.get(), gpu_.get()}) {
        Act xa = put(*b, x, n, c.hidden);
        Act out = put(*b, residual, n, c.hidden);
        backend::Routes routes = b->alloc_routes(n, c.n_experts_used);
        b->route(L.router, L.router_bias, xa, routes);
        b->moe(L, c, xa, routes, out);
        results[i] = get(*b, out);
        weights[i] = get(*b, Act{routes.weights, n, c.n_experts_used});
        std::vector<float> e = get(*b, Act{reinterpret_cast<float*>(routes.experts), n, c.n_experts_used});
        experts[i++] = e;
        b->release_scratch();
      }
      EXPECT_EQ(std::memcmp(experts[0].data(), experts[1].data(), experts[0].size() * 4), 0)
          << model::dtype_name(type) << " n=" << n;
      EXPECT_LT(max_rel_diff(weights[1], weights[0]), 1e-5) << model::dtype_name(type) << " n=" << n;
      // Large expert outputs partly cancel in the residual sum: compare at 1e-3 relative.
      EXPECT_LT(max_rel_diff(results[1], results[0], 1e-3), 1e-3) << model::dtype_name(type) << " n=" << n;
    }
  }
}

}  // namespace
}  // namespace tally
