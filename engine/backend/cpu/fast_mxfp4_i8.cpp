// MXFP4 weights against int8 activations: the decode shape, where each expert row is read once per token and the
// int16 kernels are bound by widening nibbles (four unpacks and four vpmaddwd per 32 values) rather than by memory.
//
// Here one vpshufb per 32 nibbles turns them into doubled E2M1 values offset by +12 (unsigned, 0..24), so vpmaddubsw
// multiplies them with the int8 activations directly: |pair| <= 2 * 24 * 127 = 6096, two of them summed stay far
// below int16 saturation. The offset's contribution, 12 * (sum of the block's codes), comes back out in int32
// before the block's scales are applied, so the integer block sums equal the scalar kernel's exactly.
//
// int8 activation blocks lose precision next to int16 ones (an outlier channel rounds its 31 neighbours to a few
// levels): ~1e-2 relative L2 error per product against ~4e-5 (tests/cpu_kernels). On dev-2c, whose memory bandwidth
// bounds decode, no speed-up stood out of the noise, so the int16 kernels stay the default and TALLY_CPU_ACT=int8
// opts in.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "backend/cpu/fast_kernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TALLY_HAVE_AVX2_I8 1
#define TALLY_AVX2_I8 __attribute__((target("avx2,fma,f16c")))
#endif

namespace tally::backend::cpu::fast {

BlockOrder nibble_order(model::DType t) {
  return t == model::DType::MXFP4_SPLIT ? BlockOrder::EvenOdd : BlockOrder::Natural;
}

bool int8_decode_enabled() {
  static const bool enabled = [] {
    const char* v = std::getenv("TALLY_CPU_ACT");
    return v != nullptr && std::string_view(v) == "int8";
  }();
  return enabled;
}

void quantize_row_i8(const float* x, int64_t cols, BlockOrder order, int8_t* q, float* d, int32_t* sums) {
  const auto& perm = block_permutation(order);
  for (int64_t b = 0; b < cols / 32; ++b) {
    const float* src = x + b * 32;
    float amax = 0.0f;
    for (int i = 0; i < 32; ++i) amax = std::max(amax, std::fabs(src[i]));
    const float scale = amax / 127.0f;
    const float inv = scale > 0.0f ? 127.0f / amax : 0.0f;
    d[b] = scale;
    int32_t sum = 0;
    for (int p = 0; p < 32; ++p) {
      float r = std::nearbyint(src[perm[p]] * inv);
      if (std::isnan(r)) r = 0.0f;  // garbage in, but no undefined conversion
      const int8_t c = static_cast<int8_t>(std::clamp(r, -127.0f, 127.0f));
      q[b * 32 + p] = c;
      sum += c;
    }
    sums[b] = sum;
  }
}

namespace {

// Block b of row r: its 16 nibble bytes and its E8M0 scale byte, in either MXFP4 layout.
struct Mxfp4Block {
  const uint8_t* bytes;
  uint8_t e;
};

inline Mxfp4Block mxfp4_block(const RowRange& rows, int64_t r, int64_t b) {
  const model::WeightMatrix& m = *rows.w;
  const uint8_t* row = m.row(rows.e, r);
  if (m.type == model::DType::MXFP4) return {row + b * 17 + 1, row[b * 17]};
  return {row + b * 16, m.scales[rows.e * m.scale_mat_stride + r * m.scale_row_stride + b]};
}

}  // namespace

void matmul_mxfp4_i8_scalar(const RowRange& rows, const Int8Rows& x, float* out, int64_t out_stride) {
  for (int64_t i = 0; i < rows.nr; ++i) {
    for (int64_t t = 0; t < x.rows; ++t) {
      const int8_t* a = x.row_q(t);
      const float* ad = x.row_d(t);
      float acc = 0.0f;
      for (int64_t b = 0; b < x.blocks; ++b) {
        const Mxfp4Block blk = mxfp4_block(rows, rows.r0 + i, b);
        int32_t sum = 0;
        for (int p = 0; p < 16; ++p) {
          sum += kE2M1Doubled[blk.bytes[p] & 0xf] * a[b * 32 + p];
          sum += kE2M1Doubled[blk.bytes[p] >> 4] * a[b * 32 + 16 + p];
        }
        acc += static_cast<float>(sum) * (kHalfE8M0[blk.e] * ad[b]);
      }
      out[t * out_stride + i] = acc;
    }
  }
}

#ifdef TALLY_HAVE_AVX2_I8
namespace {

constexpr int kRows = 4;
constexpr int64_t kPrefetchPairs = 32;

TALLY_AVX2_I8 inline float hsum8(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// Doubled E2M1 values + 12, per 128-bit lane.
TALLY_AVX2_I8 inline __m256i offset_lut() {
  return _mm256_setr_epi8(12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0,  //
                          12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0);
}

// Where blocks b and b + 1 of a row start, and their scales, for both layouts.
struct GgmlRow {
  const uint8_t* p;
  TALLY_AVX2_I8 __m256i pair(int64_t b) const {
    return _mm256_loadu2_m128i(reinterpret_cast<const __m128i*>(p + b * 17 + 18),
                               reinterpret_cast<const __m128i*>(p + b * 17 + 1));
  }
  TALLY_AVX2_I8 __m128i one(int64_t b) const {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + b * 17 + 1));
  }
  float scale(int64_t b) const { return kHalfE8M0[p[b * 17]]; }
  void prefetch(int64_t b) const { _mm_prefetch(reinterpret_cast<const char*>(p + b * 17), _MM_HINT_T0); }
};

struct SplitRow {
  const uint8_t* p;
  const uint8_t* s;
  TALLY_AVX2_I8 __m256i pair(int64_t b) const {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + b * 16));
  }
  TALLY_AVX2_I8 __m128i one(int64_t b) const { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + b * 16)); }
  float scale(int64_t b) const { return kHalfE8M0[s[b]]; }
  void prefetch(int64_t b) const { _mm_prefetch(reinterpret_cast<const char*>(p + b * 16), _MM_HINT_T0); }
};

// out[i] = row i . token (a, ad, sums) for kRows rows.
template <class Row>
TALLY_AVX2_I8 void rows_dot(const Row* rows, int64_t nb, const int8_t* a, const float* ad, const int32_t* sums,
                            float* out) {
  const __m256i lut = offset_lut();
  const __m256i low4 = _mm256_set1_epi8(0x0f);
  const __m256i ones = _mm256_set1_epi16(1);
  __m256 acc[kRows];
#pragma GCC unroll 4
  for (int i = 0; i < kRows; ++i) acc[i] = _mm256_setzero_ps();
  int64_t b = 0;
  for (; b + 2 <= nb; b += 2) {
#pragma GCC unroll 4
    for (int i = 0; i < kRows; ++i) rows[i].prefetch(b + 2 * kPrefetchPairs);
    // Lane 0: block b, lane 1: block b + 1. lo = positions 0-15 (low nibbles), hi = 16-31.
    const int8_t* a0 = a + b * 32;
    const __m256i a_lo =
        _mm256_loadu2_m128i(reinterpret_cast<const __m128i*>(a0 + 32), reinterpret_cast<const __m128i*>(a0));
    const __m256i a_hi =
        _mm256_loadu2_m128i(reinterpret_cast<const __m128i*>(a0 + 48), reinterpret_cast<const __m128i*>(a0 + 16));
    const __m256i corr = _mm256_setr_epi32(12 * sums[b], 0, 0, 0, 12 * sums[b + 1], 0, 0, 0);
    const __m256 dx = _mm256_set_m128(_mm_set1_ps(ad[b + 1]), _mm_set1_ps(ad[b]));
#pragma GCC unroll 4
    for (int i = 0; i < kRows; ++i) {
      const __m256i bytes = rows[i].pair(b);
      const __m256i lo = _mm256_shuffle_epi8(lut, _mm256_and_si256(bytes, low4));
      const __m256i hi = _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low4));
      const __m256i p16 = _mm256_add_epi16(_mm256_maddubs_epi16(lo, a_lo), _mm256_maddubs_epi16(hi, a_hi));
      const __m256i s32 = _mm256_sub_epi32(_mm256_madd_epi16(p16, ones), corr);
      const __m256 dw = _mm256_set_m128(_mm_set1_ps(rows[i].scale(b + 1)), _mm_set1_ps(rows[i].scale(b)));
      acc[i] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s32), _mm256_mul_ps(dw, dx), acc[i]);
    }
  }
  float tail[kRows] = {0.0f, 0.0f, 0.0f, 0.0f};
  if (b < nb) {  // an odd last block, on 128-bit lanes
    const __m128i lut128 = _mm256_castsi256_si128(lut);
    const __m128i low128 = _mm_set1_epi8(0x0f);
    const __m128i a_lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + b * 32));
    const __m128i a_hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + b * 32 + 16));
    for (int i = 0; i < kRows; ++i) {
      const __m128i bytes = rows[i].one(b);
      const __m128i lo = _mm_shuffle_epi8(lut128, _mm_and_si128(bytes, low128));
      const __m128i hi = _mm_shuffle_epi8(lut128, _mm_and_si128(_mm_srli_epi16(bytes, 4), low128));
      const __m128i p16 = _mm_add_epi16(_mm_maddubs_epi16(lo, a_lo), _mm_maddubs_epi16(hi, a_hi));
      __m128i s = _mm_madd_epi16(p16, _mm_set1_epi16(1));
      s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
      s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
      const int32_t sum = _mm_cvtsi128_si32(s) - 12 * sums[b];
      tail[i] = static_cast<float>(sum) * (rows[i].scale(b) * ad[b]);
    }
  }
#pragma GCC unroll 4
  for (int i = 0; i < kRows; ++i) out[i] = hsum8(acc[i]) + tail[i];
}

TALLY_AVX2_I8 void matmul_mxfp4_i8_avx2(const RowRange& rows, const Int8Rows& x, float* out, int64_t out_stride) {
  const model::WeightMatrix& m = *rows.w;
  const int64_t nb = x.blocks;
  for (int64_t g = 0; g < rows.nr; g += kRows) {
    const int64_t valid = rows.nr - g < kRows ? rows.nr - g : kRows;
    // Rows past the end repeat the last row: computed and discarded.
    int64_t r[kRows];
    for (int i = 0; i < kRows; ++i) r[i] = rows.r0 + g + (i < valid ? i : valid - 1);
    for (int64_t t = 0; t < x.rows; ++t) {
      float res[kRows];
      if (m.type == model::DType::MXFP4) {
        const GgmlRow group[kRows] = {
            {m.row(rows.e, r[0])}, {m.row(rows.e, r[1])}, {m.row(rows.e, r[2])}, {m.row(rows.e, r[3])}};
        rows_dot(group, nb, x.row_q(t), x.row_d(t), x.row_sums(t), res);
      } else {
        const uint8_t* sp = m.scales + rows.e * m.scale_mat_stride;
        const SplitRow group[kRows] = {{m.row(rows.e, r[0]), sp + r[0] * m.scale_row_stride},
                                       {m.row(rows.e, r[1]), sp + r[1] * m.scale_row_stride},
                                       {m.row(rows.e, r[2]), sp + r[2] * m.scale_row_stride},
                                       {m.row(rows.e, r[3]), sp + r[3] * m.scale_row_stride}};
        rows_dot(group, nb, x.row_q(t), x.row_d(t), x.row_sums(t), res);
      }
      for (int64_t i = 0; i < valid; ++i) out[t * out_stride + g + i] = res[i];
    }
  }
}

}  // namespace

Mxfp4I8Fn matmul_mxfp4_i8_avx2_fn() {
  return matmul_mxfp4_i8_avx2;
}

#else

Mxfp4I8Fn matmul_mxfp4_i8_avx2_fn() {
  return nullptr;
}

#endif

}  // namespace tally::backend::cpu::fast
