// The fast path's linear kernels against the exact kernel, and the SIMD set against the scalar set.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/fast_kernels.h"
#include "backend/cpu/fast_linear.h"
#include "synthetic_weights.h"

namespace tally::backend::cpu {
namespace {

using model::DType;
using testing::make_activations;
using testing::make_matrix;
using testing::relative_l2;

struct Outputs {
  std::vector<float> exact, fast;
};

// Whether linear_fast takes int8 activations for n tokens: the MXFP4 decode kernels (TALLY_CPU_ACT=int8) or the
// prefill GEMM (every block-quantized type, in the same nibble order).
bool uses_int8(DType type, int64_t n) {
  const bool decode = (type == DType::MXFP4 || type == DType::MXFP4_SPLIT) && n <= fast::kInt8MaxTokens &&
                      fast::int8_decode_enabled();
  const bool gemm = fast::is_block_quantized(type) && n >= fast::kGemmMinTokens &&
                    fast::prefill_kernel() == fast::PrefillKernel::GemmI8;
  return decode || gemm;
}

// x after int8 block quantization and back: what the int8 kernels multiply, so that comparing them with the exact
// kernel on it checks the kernels alone, without the activations' rounding.
std::vector<float> int8_roundtrip(const std::vector<float>& x, int64_t cols, DType type) {
  std::vector<float> out(x.size());
  const int64_t blocks = cols / 32;
  std::vector<int8_t> q(static_cast<size_t>(cols));
  std::vector<float> d(static_cast<size_t>(blocks));
  std::vector<int32_t> sums(static_cast<size_t>(blocks));
  const auto& perm = fast::block_permutation(fast::nibble_order(type));
  for (size_t r = 0; r * cols < x.size(); ++r) {
    fast::quantize_row_i8(x.data() + r * cols, cols, fast::nibble_order(type), q.data(), d.data(), sums.data());
    for (int64_t b = 0; b < blocks; ++b) {
      int32_t sum = 0;
      for (int p = 0; p < 32; ++p) {
        out[r * cols + b * 32 + perm[p]] = static_cast<float>(q[b * 32 + p]) * d[b];
        sum += q[b * 32 + p];
      }
      EXPECT_EQ(sum, sums[b]);
    }
  }
  return out;
}

// With `kernel_only`, the exact kernel gets the activations as the int8 path rounds them (where that path applies).
Outputs run_both(const fast::KernelSet& kernels, ThreadPool& pool, const model::WeightMatrix& w, int64_t matrix,
                 int64_t n, bool with_bias, uint32_t seed, bool kernel_only = false) {
  std::vector<float> x = make_activations(n, w.cols, seed);
  std::vector<float> x_exact = kernel_only && uses_int8(w.type, n) ? int8_roundtrip(x, w.cols, w.type) : x;
  std::vector<float> bias;
  if (with_bias) {
    for (int64_t r = 0; r < w.rows; ++r) bias.push_back(0.01f * static_cast<float>(r % 7) - 0.03f);
  }
  Outputs o;
  o.exact.assign(static_cast<size_t>(n * w.rows), 0.0f);
  o.fast.assign(static_cast<size_t>(n * w.rows), -1.0f);
  const Act xa{x.data(), n, w.cols};
  linear_exact(pool, w, matrix, bias, Act{x_exact.data(), n, w.cols}, Act{o.exact.data(), n, w.rows});
  linear_fast_with(kernels, pool, w, matrix, bias, xa, Act{o.fast.data(), n, w.rows});
  return o;
}

std::vector<const fast::KernelSet*> all_sets() {
  std::vector<const fast::KernelSet*> sets{&fast::scalar_kernels()};
  if (fast::avx2_kernels() != nullptr) sets.push_back(fast::avx2_kernels());
  return sets;
}

// int16 activation blocks: ~3e-5 on 2880 columns, up to ~9e-4 on a single short row whose exact output happens to be
// small; float weights: only the summation order differs from the exact kernel.
double tolerance(DType t) { return fast::is_block_quantized(t) ? 2e-3 : 2e-6; }

// (type, rows, cols, tokens)
class FastLinearShapes : public ::testing::TestWithParam<std::tuple<DType, int64_t, int64_t, int64_t>> {};

TEST_P(FastLinearShapes, EverySetMatchesExactKernel) {
  const auto [type, rows, cols, n] = GetParam();
  const auto m = make_matrix(type, rows, cols, 2, 1234u + static_cast<uint32_t>(rows), type == DType::MXFP4_SPLIT);
  for (int threads : {1, 2}) {
    ThreadPool pool(threads);
    for (const auto* set : all_sets()) {
      const Outputs o =
          run_both(*set, pool, m.w, 1, n, /*with_bias=*/true, 99u + static_cast<uint32_t>(n), /*kernel_only=*/true);
      const double err = relative_l2(o.fast, o.exact);
      EXPECT_LT(err, tolerance(type)) << set->name << " " << model::dtype_name(type) << " " << rows << "x" << cols
                                      << " n=" << n << " threads=" << threads;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, FastLinearShapes,
    ::testing::Combine(::testing::Values(DType::Q8_0, DType::MXFP4, DType::MXFP4_SPLIT, DType::F32, DType::F16,
                                         DType::BF16),
                       ::testing::Values<int64_t>(1, 3, 37, 64), ::testing::Values<int64_t>(32, 96, 2880),
                       ::testing::Values<int64_t>(1, 2, 7, 64)),
    [](const auto& p) {
      return std::string(model::dtype_name(std::get<0>(p.param))) + "_r" + std::to_string(std::get<1>(p.param)) +
             "_c" + std::to_string(std::get<2>(p.param)) + "_n" + std::to_string(std::get<3>(p.param));
    });

// Float columns need not be a multiple of 8 (the SIMD loop's width) or 32.
TEST(FastLinear, FloatWeightsWithOddColumnCount) {
  ThreadPool pool(2);
  for (DType type : {DType::F32, DType::F16, DType::BF16}) {
    const auto m = make_matrix(type, 13, 45, 1, 7u);
    for (const auto* set : all_sets()) {
      for (int64_t n : {1, 5}) {
        const Outputs o = run_both(*set, pool, m.w, 0, n, false, 3u);
        EXPECT_LT(relative_l2(o.fast, o.exact), 2e-6) << set->name << " " << model::dtype_name(type);
      }
    }
  }
}

// The accuracy figure to report: 20b-like shape, outlier-heavy activations. Also bounds it tighter than the shape
// sweep, because long rows average the rounding out. The int8 decode path (MXFP4, n = 1) measured ~1.1e-2: an
// outlier channel leaves its block's other 31 values a few int8 levels (llama.cpp's q8 activations do the same).
TEST(FastLinear, RelativeErrorOnModelShapes) {
  ThreadPool pool(2);
  for (DType type : {DType::Q8_0, DType::MXFP4, DType::MXFP4_SPLIT}) {
    const auto m = make_matrix(type, 512, 2880, 1, 77u, type == DType::MXFP4_SPLIT);
    for (int64_t n : {1, 16}) {
      const Outputs o = run_both(fast::active_kernels(), pool, m.w, 0, n, false, 8u);
      const double err = relative_l2(o.fast, o.exact);
      std::printf("[ measure  ] %s %s 512x2880 n=%lld: relative L2 error vs exact %.3g\n", fast::active_kernels().name,
                  model::dtype_name(type), static_cast<long long>(n), err);
      EXPECT_LT(err, uses_int8(type, n) ? 2e-2 : 1e-4);
    }
  }
}

TEST(FastLinear, SimdAgreesWithScalarFallback) {
  const fast::KernelSet* simd = fast::avx2_kernels();
  if (simd == nullptr) GTEST_SKIP() << "no AVX2 on this CPU";
  ThreadPool pool(2);
  for (DType type : {DType::Q8_0, DType::MXFP4, DType::MXFP4_SPLIT, DType::F16, DType::BF16, DType::F32}) {
    for (int64_t cols : {320, 96}) {  // an even and an odd number of blocks (the int8 kernels pair them)
      const auto m = make_matrix(type, 41, cols, 1, 11u, type == DType::MXFP4_SPLIT);
      for (int64_t n : {1, 2, 7, 64}) {
        const std::vector<float> x = make_activations(n, m.w.cols, 5u);
        std::vector<float> a(static_cast<size_t>(n * m.w.rows)), b(a.size());
        const Act xa{const_cast<float*>(x.data()), n, m.w.cols};
        linear_fast_with(fast::scalar_kernels(), pool, m.w, 0, {}, xa, Act{a.data(), n, m.w.rows});
        linear_fast_with(*simd, pool, m.w, 0, {}, xa, Act{b.data(), n, m.w.rows});
        // Same integer block sums; only the f32 accumulation order differs.
        EXPECT_LT(relative_l2(b, a), 1e-5) << model::dtype_name(type) << " n=" << n << " cols=" << cols;
      }
    }
  }
}

// The int8 MXFP4 kernels called directly (whatever TALLY_CPU_ACT says): every set against the exact kernel on the
// activations as int8 blocks round them, and the SIMD set against the scalar one, on even and odd block counts.
TEST(FastInt8, KernelsMatchExactOnRoundedActivations) {
  ThreadPool pool(1);
  for (DType type : {DType::MXFP4, DType::MXFP4_SPLIT}) {
    for (int64_t cols : {32, 96, 2880}) {
      const auto m = make_matrix(type, 37, cols, 2, 31u, type == DType::MXFP4_SPLIT);
      for (int64_t n : {1, 2, 3}) {
        const std::vector<float> x = make_activations(n, cols, 13u);
        std::vector<float> xr = int8_roundtrip(x, cols, type);
        std::vector<float> exact(static_cast<size_t>(n * 37));
        linear_exact(pool, m.w, 1, {}, Act{xr.data(), n, cols}, Act{exact.data(), n, 37});
        const int64_t blocks = cols / 32;
        std::vector<int8_t> q(static_cast<size_t>(n * cols));
        std::vector<float> d(static_cast<size_t>(n * blocks));
        std::vector<int32_t> sums(d.size());
        for (int64_t t = 0; t < n; ++t) {
          fast::quantize_row_i8(x.data() + t * cols, cols, fast::nibble_order(type), q.data() + t * cols,
                                d.data() + t * blocks, sums.data() + t * blocks);
        }
        const fast::Int8Rows rows{q.data(), d.data(), sums.data(), n, blocks};
        std::vector<std::vector<float>> outs;
        for (const auto* set : all_sets()) {
          std::vector<float> out(exact.size(), -1.0f);
          set->matmul_mxfp4_i8(fast::RowRange{&m.w, 1, 0, 37}, rows, out.data(), 37);
          EXPECT_LT(relative_l2(out, exact), 2e-3) << set->name << " " << model::dtype_name(type) << " cols=" << cols
                                                   << " n=" << n;
          outs.push_back(std::move(out));
        }
        if (outs.size() == 2) {
          EXPECT_LT(relative_l2(outs[1], outs[0]), 1e-5) << model::dtype_name(type);
        }
      }
    }
  }
}

TEST(FastQuantize, SimdCodesEqualScalarCodes) {
  const fast::KernelSet* simd = fast::avx2_kernels();
  if (simd == nullptr) GTEST_SKIP() << "no AVX2 on this CPU";
  std::vector<float> x = make_activations(1, 2880, 17u);
  x[40] = 0.0f;
  for (int i = 64; i < 96; ++i) x[i] = 0.0f;         // an all-zero block: scale 0, codes 0
  for (int i = 96; i < 128; ++i) x[i] = 1e-40f;      // subnormal block
  x[130] = 2.5f * (x[131] = 1.0f);                   // exact .5 ties after scaling are possible
  for (auto order : {fast::BlockOrder::Natural, fast::BlockOrder::Mxfp4, fast::BlockOrder::Mxfp4Split}) {
    std::vector<int16_t> qa(2880), qb(2880);
    std::vector<float> da(90), db(90);
    fast::scalar_kernels().quantize_row(x.data(), 2880, order, qa.data(), da.data());
    simd->quantize_row(x.data(), 2880, order, qb.data(), db.data());
    EXPECT_EQ(qa, qb);
    EXPECT_EQ(da, db);
    for (int16_t v : qa) ASSERT_GE(v, -32767);
  }
}

// Position p of a quantized block holds element perm[p]: the low nibbles of bytes 0-7 first. For ggml MXFP4 that is
// elements 0-7, then their partners 16-23; for the HF layout elements 0, 2, .., 14, then 1, 3, .., 15.
TEST(FastQuantize, BlockOrdersFollowNibbleChunks) {
  const auto& mx = fast::block_permutation(fast::BlockOrder::Mxfp4);
  const auto& split = fast::block_permutation(fast::BlockOrder::Mxfp4Split);
  EXPECT_EQ(mx[0], 0);
  EXPECT_EQ(mx[8], 16);
  EXPECT_EQ(mx[16], 8);
  EXPECT_EQ(mx[31], 31);
  EXPECT_EQ(split[1], 2);
  EXPECT_EQ(split[8], 1);
  EXPECT_EQ(split[16], 16);
  EXPECT_EQ(split[24], 17);
  std::vector<float> x(32);
  for (int i = 0; i < 32; ++i) x[i] = static_cast<float>(i * 1000);
  x[31] = 32767.0f;  // scale exactly 1
  std::vector<int16_t> q(32);
  float d = 0.0f;
  for (const auto* set : all_sets()) {
    set->quantize_row(x.data(), 32, fast::BlockOrder::Mxfp4Split, q.data(), &d);
    EXPECT_FLOAT_EQ(d, 1.0f);
    for (int p = 0; p < 32; ++p) EXPECT_EQ(q[p], static_cast<int16_t>(x[split[p]])) << set->name << " " << p;
  }
}

// decode_block's doubled integers times its halved scale are exactly the exact path's weights, in block order.
TEST(FastBlocks, DecodedBlocksEqualExactDequantization) {
  for (DType type : {DType::Q8_0, DType::MXFP4, DType::MXFP4_SPLIT}) {
    const auto m = make_matrix(type, 3, 128, 2, 21u, type == DType::MXFP4_SPLIT);
    const fast::RowRange range{&m.w, 1, 0, 3};
    std::vector<float> ref(128);
    for (int64_t r = 0; r < 3; ++r) {
      dequantize_row(m.w, 1, r, ref.data());
      for (int64_t b = 0; b < 4; ++b) {
        int8_t w[32];
        float scale;
        fast::decode_block(range, r, b, w, &scale);
        for (int i = 0; i < 32; ++i) {
          const int element = fast::block_permutation(fast::block_order(type))[i];
          ASSERT_EQ(static_cast<float>(w[i]) * scale, ref[b * 32 + element])
              << model::dtype_name(type) << " row " << r << " block " << b << " i " << i;
        }
      }
    }
  }
}

TEST(FastBlocks, E8M0TablesArePowersOfTwo) {
  EXPECT_EQ(fast::kE8M0Over512[136], 1.0f);
  EXPECT_EQ(fast::kE8M0Over512[0], std::ldexp(1.0f, -136));
  EXPECT_EQ(fast::kHalfE8M0[128], 1.0f);
  EXPECT_EQ(fast::kHalfE8M0[127], 0.5f);
  EXPECT_EQ(fast::kHalfE8M0[0], std::ldexp(1.0f, -128));
  EXPECT_EQ(fast::kHalfE8M0[254], std::ldexp(1.0f, 126));
  EXPECT_TRUE(std::isnan(fast::kHalfE8M0[255]));
}

}  // namespace
}  // namespace tally::backend::cpu

namespace tally::backend::cpu {
namespace {

// The mixture of experts through the fast kernels (both MXFP4 layouts, biases, several tokens sharing experts)
// stays within the kernels' error of the exact path.
TEST(FastMoe, MatchesExactPath) {
  for (DType type : {DType::MXFP4, DType::MXFP4_SPLIT}) {
    model::ModelConfig config;
    config.hidden = 96;
    config.expert_ffn = 64;
    config.n_experts = 4;
    config.n_experts_used = 2;
    config.swiglu_limit = 7.0f;
    const bool strided = type == DType::MXFP4_SPLIT;
    const auto gate = make_matrix(type, 64, 96, 4, 1u, strided);
    const auto up = make_matrix(type, 64, 96, 4, 2u, strided);
    const auto down = make_matrix(type, 96, 64, 4, 3u, strided);
    model::LayerWeights layer;
    layer.gate = gate.w;
    layer.up = up.w;
    layer.down = down.w;
    for (int i = 0; i < 4 * 64; ++i) {
      layer.gate_bias.push_back(0.001f * static_cast<float>(i % 13));
      layer.up_bias.push_back(-0.002f * static_cast<float>(i % 5));
    }
    for (int i = 0; i < 4 * 96; ++i) layer.down_bias.push_back(0.003f * static_cast<float>(i % 3));
    const int64_t n = 5;
    std::vector<float> x = make_activations(n, 96, 4u);
    for (auto& v : x) v *= 20.0f;  // large enough that the clamp and the gate nonlinearity matter
    std::vector<int32_t> experts = {0, 2, 1, 2, 3, 0, 2, 1, 2, 3};
    std::vector<float> weights = {0.7f, 0.3f, 0.6f, 0.4f, 0.5f, 0.5f, 0.9f, 0.1f, 0.8f, 0.2f};
    const Routes routes{experts.data(), weights.data(), n, 2};
    std::vector<float> exact(static_cast<size_t>(n * 96), 0.5f), fast_out(exact);
    ThreadPool pool(2);
    const Act xa{x.data(), n, 96};
    moe_cpu(pool, true, layer, config, xa, routes, Act{exact.data(), n, 96});
    moe_cpu(pool, false, layer, config, xa, routes, Act{fast_out.data(), n, 96});
    // Each expert here sees one to three tokens: the int8 decode kernels or the int8 prefill GEMM, whose activation
    // rounding compounds over the two products (measured 3.8e-2 on these x20 activations; int16 blocks stay under
    // 1e-3).
    const bool int8 = fast::int8_decode_enabled() || fast::prefill_kernel() == fast::PrefillKernel::GemmI8;
    EXPECT_LT(relative_l2(fast_out, exact), int8 ? 6e-2 : 1e-3) << model::dtype_name(type);
  }
}

}  // namespace
}  // namespace tally::backend::cpu

namespace tally::backend::cpu {
namespace {

// A batch gives each job exactly what a call of its own gives, whether the jobs share a type (one loop) or not.
TEST(FastLinearBatch, EqualsOneCallPerJob) {
  ThreadPool pool(2);
  const auto a = make_matrix(DType::MXFP4, 37, 96, 2, 5u);
  const auto b = make_matrix(DType::MXFP4, 20, 96, 2, 6u);
  const auto c = make_matrix(DType::F16, 9, 96, 2, 7u);
  std::vector<float> x = make_activations(3, 96, 8u);
  const Act xa{x.data(), 3, 96};
  std::vector<float> bias(37, 0.25f);
  for (const auto* set : all_sets()) {
    for (bool mixed : {false, true}) {
      const model::WeightMatrix& second = mixed ? c.w : b.w;
      std::vector<float> o1(3 * 37), o2(3 * second.rows), r1(o1.size()), r2(o2.size());
      const FastLinearJob jobs[2] = {{&a.w, bias, Act{o1.data(), 3, 37}}, {&second, {}, Act{o2.data(), 3, second.rows}}};
      linear_fast_batch(*set, pool, jobs, 1, xa);
      linear_fast_with(*set, pool, a.w, 1, bias, xa, Act{r1.data(), 3, 37});
      linear_fast_with(*set, pool, second, 1, {}, xa, Act{r2.data(), 3, second.rows});
      EXPECT_EQ(o1, r1) << set->name << " mixed=" << mixed;
      EXPECT_EQ(o2, r2) << set->name << " mixed=" << mixed;
    }
  }
}

}  // namespace
}  // namespace tally::backend::cpu
