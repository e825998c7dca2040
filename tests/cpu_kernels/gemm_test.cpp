// The prefill GEMMs (fast_gemm*.cpp): the kernels against the exact op on the activations as their int8 or int16
// blocks round them (so only the kernels are under test), the SIMD set against the scalar one, the worst-case integer
// ranges, and the whole fast path with each prefill kernel against the exact path on the tiny official-layout model.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/fast_kernels.h"
#include "backend/cpu/fast_linear.h"
#include "fixtures.h"
#include "synthetic_weights.h"
#include "tally/engine.h"

namespace tally::backend::cpu {
namespace {

using model::DType;
using testing::make_activations;
using testing::make_matrix;
using testing::relative_l2;

// n token rows quantized to int8 blocks in the GEMM's order, and the floats those codes stand for (natural order).
struct Int8Input {
  std::vector<int8_t> q;
  std::vector<float> d;
  std::vector<int32_t> sums;
  std::vector<float> rounded;
  fast::Int8Rows rows() { return {q.data(), d.data(), sums.data(), static_cast<int64_t>(d.size()) / blocks, blocks}; }
  int64_t blocks = 0;
};

Int8Input quantize(const std::vector<float>& x, int64_t n, int64_t cols, DType type) {
  Int8Input in;
  in.blocks = cols / 32;
  in.q.resize(static_cast<size_t>(n * cols));
  in.d.resize(static_cast<size_t>(n * in.blocks));
  in.sums.resize(in.d.size());
  in.rounded.resize(x.size());
  const auto order = fast::gemm_order(type);
  const auto& perm = fast::block_permutation(order);
  for (int64_t t = 0; t < n; ++t) {
    fast::quantize_row_gemm_i8_scalar(x.data() + t * cols, cols, order, in.q.data() + t * cols,
                                      in.d.data() + t * in.blocks, in.sums.data() + t * in.blocks);
    for (int64_t b = 0; b < in.blocks; ++b) {
      for (int p = 0; p < 32; ++p) {
        in.rounded[t * cols + b * 32 + perm[p]] =
            static_cast<float>(in.q[t * cols + b * 32 + p]) * in.d[t * in.blocks + b];
      }
    }
  }
  return in;
}

struct Int16Input {
  std::vector<int16_t> q;
  std::vector<float> d;
  std::vector<float> rounded;
  int64_t blocks = 0;
  fast::QuantizedRows rows() { return {q.data(), d.data(), static_cast<int64_t>(d.size()) / blocks, blocks}; }
};

Int16Input quantize16(const std::vector<float>& x, int64_t n, int64_t cols, DType type) {
  Int16Input in;
  in.blocks = cols / 32;
  in.q.resize(static_cast<size_t>(n * cols));
  in.d.resize(static_cast<size_t>(n * in.blocks));
  in.rounded.resize(x.size());
  const auto order = fast::gemm_order(type);
  const auto& perm = fast::block_permutation(order);
  for (int64_t t = 0; t < n; ++t) {
    fast::scalar_kernels().quantize_row(x.data() + t * cols, cols, order, in.q.data() + t * cols,
                                        in.d.data() + t * in.blocks);
    for (int64_t b = 0; b < in.blocks; ++b) {
      for (int p = 0; p < 32; ++p) {
        in.rounded[t * cols + b * 32 + perm[p]] =
            static_cast<float>(in.q[t * cols + b * 32 + p]) * in.d[t * in.blocks + b];
      }
    }
  }
  return in;
}

std::vector<const fast::KernelSet*> all_sets() {
  std::vector<const fast::KernelSet*> sets{&fast::scalar_kernels()};
  if (fast::avx2_kernels() != nullptr) sets.push_back(fast::avx2_kernels());
  return sets;
}

// Runs every set's GEMM on rows [r0, r0 + nr) of matrix 1 and checks it against the exact op on the rounded
// activations. Tolerance: the integer block sums are exact, so only f32 rounding of the scale products and of the
// accumulation (~1e-7 per term) remains; 1e-5 relative L2 leaves room for cancellation.
void check_gemm(DType type, int64_t rows, int64_t cols, int64_t n, int64_t r0, uint32_t seed) {
  const auto m = make_matrix(type, rows, cols, 2, seed, type == DType::MXFP4_SPLIT);
  const std::vector<float> x = make_activations(n, cols, seed + 1);
  Int8Input in8 = quantize(x, n, cols, type);
  Int16Input in16 = quantize16(x, n, cols, type);
  const int64_t nr = rows - r0;
  ThreadPool pool(1);
  std::vector<uint8_t> scratch(static_cast<size_t>(fast::gemm_scratch_bytes(cols)));
  for (bool wide16 : {false, true}) {
    const std::vector<float>& rounded = wide16 ? in16.rounded : in8.rounded;
    std::vector<float> full(static_cast<size_t>(n * rows));
    linear_exact(pool, m.w, 1, {}, Act{const_cast<float*>(rounded.data()), n, cols}, Act{full.data(), n, rows});
    std::vector<float> exact;
    for (int64_t t = 0; t < n; ++t) {
      exact.insert(exact.end(), full.begin() + t * rows + r0, full.begin() + (t + 1) * rows);
    }
    std::vector<std::vector<float>> outs;
    for (const auto* set : all_sets()) {
      // A wider output stride with a sentinel between rows: the kernel writes exactly its nr columns.
      const int64_t stride = nr + 3;
      std::vector<float> wide(static_cast<size_t>(n * stride), 12345.0f);
      const fast::RowRange range{&m.w, 1, r0, nr};
      if (wide16) {
        set->gemm_i16(range, in16.rows(), wide.data(), stride, scratch.data());
      } else {
        set->gemm_i8(range, in8.rows(), wide.data(), stride, scratch.data());
      }
      std::vector<float> out;
      for (int64_t t = 0; t < n; ++t) {
        out.insert(out.end(), wide.begin() + t * stride, wide.begin() + t * stride + nr);
        for (int64_t i = nr; i < stride; ++i) ASSERT_EQ(wide[t * stride + i], 12345.0f) << set->name;
      }
      EXPECT_LT(relative_l2(out, exact), 1e-5) << set->name << (wide16 ? " i16 " : " i8 ") << model::dtype_name(type)
                                               << " rows=" << rows << " r0=" << r0 << " cols=" << cols << " n=" << n;
      outs.push_back(std::move(out));
    }
    if (outs.size() == 2) {
      EXPECT_LT(relative_l2(outs[1], outs[0]), 1e-5) << model::dtype_name(type) << " n=" << n;
    }
  }
}

// Row counts around the 8-row tile, token counts 1..9 around the 4-token tile, K a multiple of 32.
TEST(PrefillGemm, MatchesExactOnOddShapes) {
  for (DType type : {DType::Q8_0, DType::MXFP4, DType::MXFP4_SPLIT}) {
    for (int64_t rows : {1, 7, 8, 9, 13, 37}) {
      for (int64_t n = 1; n <= 9; ++n) {
        check_gemm(type, rows, n % 2 == 0 ? 96 : 320, n, 0, static_cast<uint32_t>(rows * 16 + n));
      }
    }
    check_gemm(type, 21, 32, 5, 6, 3u);     // one block, a range that starts mid-matrix
    check_gemm(type, 40, 2880, 9, 3, 4u);   // the 20b width
  }
}

// The largest integer sums the layouts allow: MXFP4 codes of magnitude 12 and Q8_0 -128, against activation codes
// of +-127 with signs that make every product add up (the int16 partial sums of MXFP4 must not wrap).
TEST(PrefillGemm, ExtremeCodesDoNotOverflow) {
  for (DType type : {DType::Q8_0, DType::MXFP4, DType::MXFP4_SPLIT}) {
    auto m = make_matrix(type, 9, 64, 1, 5u, type == DType::MXFP4_SPLIT);
    for (int64_t r = 0; r < 9; ++r) {
      uint8_t* row = m.data.data() + r * m.w.row_stride;
      for (int64_t b = 0; b < 2; ++b) {
        if (type == DType::Q8_0) {
          std::memset(row + b * 34 + 2, r % 2 == 0 ? 0x80 : 0x7f, 32);  // -128 or 127
        } else if (type == DType::MXFP4) {
          std::memset(row + b * 17 + 1, r % 2 == 0 ? 0xff : 0x77, 16);  // -12 or 12 in both nibbles
        } else {
          std::memset(row + b * 16, r % 2 == 0 ? 0xff : 0x77, 16);
        }
      }
    }
    const int64_t n = 5;
    std::vector<float> x(static_cast<size_t>(n * 64));
    for (int64_t t = 0; t < n; ++t) {
      for (int64_t c = 0; c < 64; ++c) x[t * 64 + c] = (t % 2 == 0 ? 1.0f : -1.0f) * 3.0f;
    }
    Int8Input in = quantize(x, n, 64, type);
    ThreadPool pool(1);
    std::vector<float> exact(static_cast<size_t>(n * 9));
    linear_exact(pool, m.w, 0, {}, Act{in.rounded.data(), n, 64}, Act{exact.data(), n, 9});
    std::vector<uint8_t> scratch(static_cast<size_t>(fast::gemm_scratch_bytes(64)));
    Int16Input in16 = quantize16(x, n, 64, type);
    std::vector<float> exact16(exact.size());
    linear_exact(pool, m.w, 0, {}, Act{in16.rounded.data(), n, 64}, Act{exact16.data(), n, 9});
    for (const auto* set : all_sets()) {
      std::vector<float> out(exact.size());
      set->gemm_i8(fast::RowRange{&m.w, 0, 0, 9}, in.rows(), out.data(), 9, scratch.data());
      EXPECT_LT(relative_l2(out, exact), 1e-6) << set->name << " " << model::dtype_name(type);
      set->gemm_i16(fast::RowRange{&m.w, 0, 0, 9}, in16.rows(), out.data(), 9, scratch.data());
      EXPECT_LT(relative_l2(out, exact16), 1e-6) << set->name << " i16 " << model::dtype_name(type);
    }
  }
}

// The accuracy of the whole op on the 20b width with outlier-heavy activations, every prefill kernel side by side:
// the int16 GEMM has the row kernels' integer sums (~4e-5), the int8 one's activation blocks cost ~1e-2 (the price
// llama.cpp's q8 activations pay).
TEST(PrefillGemm, LinearFastPrefillAllPaths) {
  ThreadPool pool(2);
  const fast::PrefillKernel before = fast::prefill_kernel();
  for (DType type : {DType::Q8_0, DType::MXFP4, DType::MXFP4_SPLIT}) {
    const auto m = make_matrix(type, 256, 2880, 1, 41u, type == DType::MXFP4_SPLIT);
    const int64_t n = 16;
    std::vector<float> x = make_activations(n, 2880, 9u);
    std::vector<float> exact(static_cast<size_t>(n * 256)), out(exact.size());
    const Act xa{x.data(), n, 2880};
    linear_exact(pool, m.w, 0, {}, xa, Act{exact.data(), n, 256});
    for (auto k : {fast::PrefillKernel::Rows, fast::PrefillKernel::GemmI16, fast::PrefillKernel::GemmI8}) {
      fast::set_prefill_kernel(k);
      linear_fast(pool, m.w, 0, {}, xa, Act{out.data(), n, 256});
      const double err = relative_l2(out, exact);
      std::printf("[ measure  ] prefill %s %s 256x2880 n=16: relative L2 error vs exact %.3g\n",
                  fast::prefill_kernel_name(k), model::dtype_name(type), err);
      EXPECT_LT(err, k == fast::PrefillKernel::GemmI8 ? 2e-2 : 1e-4);
    }
  }
  fast::set_prefill_kernel(before);
}

TEST(PrefillGemm, SimdQuantizerEqualsScalar) {
  const fast::KernelSet* simd = fast::avx2_kernels();
  if (simd == nullptr) GTEST_SKIP() << "no AVX2 on this CPU";
  std::vector<float> x = make_activations(1, 2880, 17u);
  for (int i = 64; i < 96; ++i) x[i] = 0.0f;     // an all-zero block: scale 0, codes 0
  for (int i = 96; i < 128; ++i) x[i] = 1e-40f;  // subnormal block
  for (auto order : {fast::BlockOrder::Natural, fast::BlockOrder::EvenOdd}) {
    std::vector<int8_t> qa(2880), qb(2880);
    std::vector<float> da(90), db(90);
    std::vector<int32_t> sa(90), sb(90);
    fast::scalar_kernels().quantize_row_gemm_i8(x.data(), 2880, order, qa.data(), da.data(), sa.data());
    simd->quantize_row_gemm_i8(x.data(), 2880, order, qb.data(), db.data(), sb.data());
    EXPECT_EQ(qa, qb);
    EXPECT_EQ(da, db);
    EXPECT_EQ(sa, sb);
  }
}

// The fast path on the tiny official-layout model (Q8_0 attention, MXFP4 experts), every position's logits in one
// prefill, against the exact path: the fast-path rule (mean KL < 5e-3, no top-1 miss where the exact
// path's margin is >= 0.5), with every prefill kernel.
TEST(PrefillGemm, TinyOfficialLayoutFastPathKl) {
  const std::string path = tally::testing::tiny_synth_gguf();
  if (path.empty()) GTEST_SKIP() << "tiny synth model unavailable";
  auto load = [&](bool exact) {
    EngineOptions o;
    o.backend = "cpu";
    o.exact = exact;
    auto m = Model::load(path, o);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    return m.ok() ? m.value() : nullptr;
  };
  auto exact_model = load(true);
  auto fast_model = load(false);
  ASSERT_TRUE(exact_model && fast_model);
  std::vector<int32_t> ids;
  uint32_t state = 12345u;
  for (int i = 0; i < 96; ++i) {
    state = state * 1664525u + 1013904223u;
    ids.push_back(static_cast<int32_t>(1000 + (state >> 8) % 50000));
  }
  auto logits = [&](const std::shared_ptr<Model>& m) {
    Session s(m, {.context = 256});
    auto r = s.logits_all(ids);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : std::vector<float>();
  };
  const std::vector<float> ref = logits(exact_model);
  ASSERT_EQ(ref.size() % ids.size(), 0u);
  const size_t vocab = ref.size() / ids.size();
  const fast::PrefillKernel before = fast::prefill_kernel();
  for (auto k : {fast::PrefillKernel::Rows, fast::PrefillKernel::GemmI16, fast::PrefillKernel::GemmI8}) {
    fast::set_prefill_kernel(k);
    const std::vector<float> got = logits(fast_model);
    ASSERT_EQ(got.size(), ref.size());
    double kl_sum = 0.0;
    int misses = 0;
    for (size_t t = 0; t < ids.size(); ++t) {
      const float* p = ref.data() + t * vocab;
      const float* q = got.data() + t * vocab;
      const float pm = *std::max_element(p, p + vocab);
      const float qm = *std::max_element(q, q + vocab);
      double ps = 0.0, qs = 0.0;
      for (size_t v = 0; v < vocab; ++v) {
        ps += std::exp(static_cast<double>(p[v] - pm));
        qs += std::exp(static_cast<double>(q[v] - qm));
      }
      double kl = 0.0;
      for (size_t v = 0; v < vocab; ++v) {
        const double lp = p[v] - pm - std::log(ps);
        const double lq = q[v] - qm - std::log(qs);
        kl += std::exp(lp) * (lp - lq);
      }
      kl_sum += kl;
      const size_t top_p = static_cast<size_t>(std::max_element(p, p + vocab) - p);
      const size_t top_q = static_cast<size_t>(std::max_element(q, q + vocab) - q);
      std::vector<float> sorted(p, p + vocab);
      std::nth_element(sorted.begin(), sorted.begin() + 1, sorted.end(), std::greater<float>());
      if (sorted[0] - sorted[1] >= 0.5f && top_p != top_q) ++misses;
    }
    const double mean_kl = kl_sum / static_cast<double>(ids.size());
    std::printf("[ measure  ] tiny official layout, %zu tokens, prefill %s: mean KL vs exact %.3e, top-1 misses %d\n",
                ids.size(), fast::prefill_kernel_name(k), mean_kl, misses);
    // The int8 GEMM is opt-in because it does not meet the rule (measured 4.3e-2, one miss): only bounded here.
    if (k == fast::PrefillKernel::GemmI8) {
      EXPECT_LT(mean_kl, 1e-1);
    } else {
      EXPECT_LT(mean_kl, 5e-3);
      EXPECT_EQ(misses, 0);
    }
  }
  fast::set_prefill_kernel(before);
}

}  // namespace
}  // namespace tally::backend::cpu
