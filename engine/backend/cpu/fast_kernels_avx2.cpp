// AVX2 + FMA + F16C kernels, compiled per function (target attribute) so the default x86-64 build carries them and
// picks them at run time. Only raw pointers and intrinsics here: a standard-library template instantiated under the
// AVX2 target could be merged by the linker into code that runs on CPUs without it.
//
// A block's 32 weights are widened to int16 (two registers: block positions 0-15 and 16-31) and multiplied with the
// int16 activations by vpmaddwd, which sums adjacent pairs into int32. Q8_0: |lane| <= 4 * 128 * 32767 < 2^25.
// MXFP4 values sit in the high byte (x 256): |lane| <= 4 * 3072 * 32767 < 2^29, and every sum is a multiple of 256,
// so the int32 -> f32 conversion stays exact.
#include "backend/cpu/fast_avx2.h"
#include "backend/cpu/fast_kernels.h"

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define TALLY_HAVE_AVX2_KERNELS 1
#define TALLY_AVX2 __attribute__((target("avx2,fma,f16c")))
#endif

namespace tally::backend::cpu::fast {

#ifdef TALLY_HAVE_AVX2_KERNELS
namespace {

constexpr int kRowsPerTile = 4;
// Software prefetch distance for the streaming (decode) kernels, in blocks (~270 bytes per row ahead): measured on a
// DRAM-bound 615 MB matrix, +15-20% over the hardware prefetchers alone; prefetching never faults past the row end.
constexpr int64_t kPrefetchBlocks = 8;

TALLY_AVX2 inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// A block's weights as int16: lo = block positions 0-15, hi = 16-31.
struct Block16 {
  __m256i lo, hi;
};

// Sum of w[i] * a[i] over one block, as 8 partial sums.
TALLY_AVX2 inline __m256i block_dot(const Block16& w, const int16_t* a) {
  const __m256i a_lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a));
  const __m256i a_hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + 16));
  return _mm256_add_epi32(_mm256_madd_epi16(w.lo, a_lo), _mm256_madd_epi16(w.hi, a_hi));
}

// Doubled E2M1 values, once per 128-bit lane (vpshufb looks up within a lane).
TALLY_AVX2 inline __m256i e2m1_lut() {
  return _mm256_setr_epi8(0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12,  //
                          0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12);
}

// 32 nibble-bytes (two blocks, one per lane) -> their doubled E2M1 values as int16 times 256: interleaving a byte
// vector with zeros puts each value in the high byte of an int16, which is the widening for free (no vpmovsxbw).
// Per lane (block): out[0] = chunk 0, out[1] = chunk 2, out[2] = chunk 1, out[3] = chunk 3 (see BlockOrder).
TALLY_AVX2 inline void unpack_e2m1_x256(__m256i bytes, __m256i out[4]) {
  const __m256i low4 = _mm256_set1_epi8(0x0f);
  const __m256i lut = e2m1_lut();
  const __m256i lo = _mm256_shuffle_epi8(lut, _mm256_and_si256(bytes, low4));
  const __m256i hi = _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low4));
  const __m256i zero = _mm256_setzero_si256();
  out[0] = _mm256_unpacklo_epi8(zero, lo);
  out[1] = _mm256_unpackhi_epi8(zero, lo);
  out[2] = _mm256_unpacklo_epi8(zero, hi);
  out[3] = _mm256_unpackhi_epi8(zero, hi);
}

// One block of 16 nibble-bytes -> its values (x 256) in block order: lo = chunks 0, 1; hi = chunks 2, 3.
TALLY_AVX2 inline Block16 unpack_e2m1(const uint8_t* q) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
  // Lane 0 looks up the low nibbles, lane 1 the high nibbles.
  const __m256i idx = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(bytes, 4), bytes), _mm256_set1_epi8(0x0f));
  const __m256i v = _mm256_shuffle_epi8(e2m1_lut(), idx);
  const __m256i zero = _mm256_setzero_si256();
  const __m256i c01 = _mm256_unpacklo_epi8(zero, v);  // [low 0-7 | high 0-7]
  const __m256i c23 = _mm256_unpackhi_epi8(zero, v);  // [low 8-15 | high 8-15]
  return {c01, c23};
}

// Readers give a kernel the values and scale of block b of one weight row.
struct Q8Row {
  const uint8_t* p;
  TALLY_AVX2 Block16 values(int64_t b) const {
    const uint8_t* q = p + b * 34 + 2;
    return {_mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q))),
            _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 16)))};
  }
  TALLY_AVX2 float scale(int64_t b) const {
    uint16_t h;
    std::memcpy(&h, p + b * 34, 2);
    return _cvtsh_ss(h);
  }
  void prefetch(int64_t b) const { _mm_prefetch(reinterpret_cast<const char*>(p + b * 34), _MM_HINT_T0); }
};

struct Mxfp4Row {
  const uint8_t* p;
  TALLY_AVX2 Block16 values(int64_t b) const { return unpack_e2m1(p + b * 17 + 1); }
  TALLY_AVX2 float scale(int64_t b) const { return kE8M0Over512[p[b * 17]]; }
  void prefetch(int64_t b) const { _mm_prefetch(reinterpret_cast<const char*>(p + b * 17), _MM_HINT_T0); }
  // Blocks b and b + 1, one per lane.
  TALLY_AVX2 __m256i pair_bytes(int64_t b) const {
    return _mm256_loadu2_m128i(reinterpret_cast<const __m128i*>(p + b * 17 + 18),
                               reinterpret_cast<const __m128i*>(p + b * 17 + 1));
  }
};

struct Mxfp4SplitRow {
  const uint8_t* p;
  const uint8_t* scales;
  TALLY_AVX2 Block16 values(int64_t b) const { return unpack_e2m1(p + b * 16); }
  TALLY_AVX2 float scale(int64_t b) const { return kE8M0Over512[scales[b]]; }
  void prefetch(int64_t b) const { _mm_prefetch(reinterpret_cast<const char*>(p + b * 16), _MM_HINT_T0); }
  TALLY_AVX2 __m256i pair_bytes(int64_t b) const {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + b * 16));
  }
};

// Prefill decodes each 4-row tile once to int16 (block-major: block b holds the tile's 4 rows, then their 4 scales
// separately) so that every token pair reuses it from L1.

// out[j][i] = row i . token j for 4 rows and T tokens over nb blocks.
template <class Row, int T>
TALLY_AVX2 inline void tile_dot(const Row* rows, int64_t nb, const int16_t* const* aq, const float* const* ad,
                                float (*out)[kRowsPerTile]) {
  __m256 acc[kRowsPerTile][T];
#pragma GCC unroll 4
  for (int i = 0; i < kRowsPerTile; ++i) {
#pragma GCC unroll 4
    for (int j = 0; j < T; ++j) acc[i][j] = _mm256_setzero_ps();
  }
  for (int64_t b = 0; b < nb; ++b) {
    if (T == 1 && (b & 1) == 0) {
#pragma GCC unroll 4
      for (int i = 0; i < kRowsPerTile; ++i) rows[i].prefetch(b + kPrefetchBlocks);
    }
    __m256 da[T];
#pragma GCC unroll 4
    for (int j = 0; j < T; ++j) da[j] = _mm256_set1_ps(ad[j][b]);
#pragma GCC unroll 4
    for (int i = 0; i < kRowsPerTile; ++i) {
      const Block16 w = rows[i].values(b);
      const __m256 dw = _mm256_set1_ps(rows[i].scale(b));
#pragma GCC unroll 4
      for (int j = 0; j < T; ++j) {
        const __m256 sum = _mm256_cvtepi32_ps(block_dot(w, aq[j] + b * 32));
        acc[i][j] = _mm256_fmadd_ps(_mm256_mul_ps(sum, dw), da[j], acc[i][j]);
      }
    }
  }
#pragma GCC unroll 4
  for (int i = 0; i < kRowsPerTile; ++i) {
#pragma GCC unroll 4
    for (int j = 0; j < T; ++j) out[j][i] = hsum(acc[i][j]);
  }
}

// The prefill tile over decoded weights: the scale products dw * dx of a block are formed 4 rows at a time and
// broadcast from memory, so the inner step is 2 vpmaddwd + add + convert + one FMA.
template <int T>
TALLY_AVX2 inline void decoded_tile_dot(const int16_t* values, const float* scales, int64_t nb,
                                        const int16_t* const* aq, const float* const* ad,
                                        float (*out)[kRowsPerTile]) {
  __m256 acc[kRowsPerTile][T];
#pragma GCC unroll 4
  for (int i = 0; i < kRowsPerTile; ++i) {
#pragma GCC unroll 4
    for (int j = 0; j < T; ++j) acc[i][j] = _mm256_setzero_ps();
  }
  alignas(16) float prod[T][kRowsPerTile];
  for (int64_t b = 0; b < nb; ++b) {
    const __m128 dw4 = _mm_loadu_ps(scales + b * kRowsPerTile);
#pragma GCC unroll 4
    for (int j = 0; j < T; ++j) _mm_store_ps(prod[j], _mm_mul_ps(dw4, _mm_set1_ps(ad[j][b])));
#pragma GCC unroll 4
    for (int i = 0; i < kRowsPerTile; ++i) {
      const int16_t* v = values + (b * kRowsPerTile + i) * 32;
      const Block16 w{_mm256_loadu_si256(reinterpret_cast<const __m256i*>(v)),
                      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v + 16))};
#pragma GCC unroll 4
      for (int j = 0; j < T; ++j) {
        const __m256 sum = _mm256_cvtepi32_ps(block_dot(w, aq[j] + b * 32));
        acc[i][j] = _mm256_fmadd_ps(sum, _mm256_broadcast_ss(&prod[j][i]), acc[i][j]);
      }
    }
  }
#pragma GCC unroll 4
  for (int i = 0; i < kRowsPerTile; ++i) {
#pragma GCC unroll 4
    for (int j = 0; j < T; ++j) out[j][i] = hsum(acc[i][j]);
  }
}

template <int T>
TALLY_AVX2 inline void decoded_tile_store(const int16_t* values, const float* scales, int64_t nb,
                                          const QuantizedRows& x, int64_t t0, int64_t valid_rows, float* out,
                                          int64_t out_stride) {
  const int16_t* aq[T];
  const float* ad[T];
  for (int j = 0; j < T; ++j) {
    aq[j] = x.row_q(t0 + j);
    ad[j] = x.row_d(t0 + j);
  }
  float res[T][kRowsPerTile];
  decoded_tile_dot<T>(values, scales, nb, aq, ad, res);
  for (int j = 0; j < T; ++j) {
    for (int64_t i = 0; i < valid_rows; ++i) out[(t0 + j) * out_stride + i] = res[j][i];
  }
}

template <class Row, int T>
TALLY_AVX2 inline void tile_store(const Row* rows, int64_t nb, const QuantizedRows& x, int64_t t0, int64_t valid_rows,
                                  float* out, int64_t out_stride) {
  const int16_t* aq[T];
  const float* ad[T];
  for (int j = 0; j < T; ++j) {
    aq[j] = x.row_q(t0 + j);
    ad[j] = x.row_d(t0 + j);
  }
  float res[T][kRowsPerTile];
  tile_dot<Row, T>(rows, nb, aq, ad, res);
  for (int j = 0; j < T; ++j) {
    for (int64_t i = 0; i < valid_rows; ++i) out[(t0 + j) * out_stride + i] = res[j][i];
  }
}

// Streams each weight row once per token: the decode shape (one or a few tokens), memory-bound.
template <class Row>
TALLY_AVX2 void stream_rows(const Row* rows, int64_t nb, const QuantizedRows& x, int64_t valid_rows, float* out,
                            int64_t out_stride) {
  for (int64_t t = 0; t < x.rows; ++t) tile_store<Row, 1>(rows, nb, x, t, valid_rows, out, out_stride);
}

// Decode shape for MXFP4: two blocks per step, one per 128-bit lane, so each vector instruction of the unpack serves
// both (the unpack, not memory, bounds this kernel). out[i] = row i . token t for 4 rows.
template <class Row>
TALLY_AVX2 void mxfp4_pairs_x1(const Row* rows, int64_t nb, const int16_t* a, const float* ad, float* out) {
  __m256 acc[kRowsPerTile];
#pragma GCC unroll 4
  for (int i = 0; i < kRowsPerTile; ++i) acc[i] = _mm256_setzero_ps();
  int64_t b = 0;
  for (; b + 2 <= nb; b += 2) {
#pragma GCC unroll 4
    for (int i = 0; i < kRowsPerTile; ++i) rows[i].prefetch(b + 2 * kPrefetchBlocks);
    // Activations in the same lane arrangement: chunk c of block b in lane 0, of block b + 1 in lane 1.
    __m256i av[4];
    const int16_t* a0 = a + b * 32;
#pragma GCC unroll 4
    for (int c = 0; c < 4; ++c) {
      // unpack_e2m1_x256 yields chunks 0, 2, 1, 3.
      const int off = (c == 1 ? 2 : c == 2 ? 1 : c) * 8;
      av[c] = _mm256_loadu2_m128i(reinterpret_cast<const __m128i*>(a0 + 32 + off),
                                  reinterpret_cast<const __m128i*>(a0 + off));
    }
    const __m256 dx = _mm256_set_m128(_mm_set1_ps(ad[b + 1]), _mm_set1_ps(ad[b]));
#pragma GCC unroll 4
    for (int i = 0; i < kRowsPerTile; ++i) {
      __m256i w[4];
      unpack_e2m1_x256(rows[i].pair_bytes(b), w);
      const __m256i s01 = _mm256_add_epi32(_mm256_madd_epi16(w[0], av[0]), _mm256_madd_epi16(w[1], av[1]));
      const __m256i s23 = _mm256_add_epi32(_mm256_madd_epi16(w[2], av[2]), _mm256_madd_epi16(w[3], av[3]));
      const __m256 dw = _mm256_set_m128(_mm_set1_ps(rows[i].scale(b + 1)), _mm_set1_ps(rows[i].scale(b)));
      acc[i] = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(s01, s23)), dw), dx, acc[i]);
    }
  }
  for (; b < nb; ++b) {  // an odd last block
    const __m256 dx = _mm256_set1_ps(ad[b]);
#pragma GCC unroll 4
    for (int i = 0; i < kRowsPerTile; ++i) {
      const __m256 sum = _mm256_cvtepi32_ps(block_dot(rows[i].values(b), a + b * 32));
      acc[i] = _mm256_fmadd_ps(_mm256_mul_ps(sum, _mm256_set1_ps(rows[i].scale(b))), dx, acc[i]);
    }
  }
#pragma GCC unroll 4
  for (int i = 0; i < kRowsPerTile; ++i) out[i] = hsum(acc[i]);
}

template <class Row>
TALLY_AVX2 void stream_mxfp4(const Row* rows, int64_t nb, const QuantizedRows& x, int64_t valid_rows, float* out,
                             int64_t out_stride) {
  for (int64_t t = 0; t < x.rows; ++t) {
    float res[kRowsPerTile];
    mxfp4_pairs_x1<Row>(rows, nb, x.row_q(t), x.row_d(t), res);
    for (int64_t i = 0; i < valid_rows; ++i) out[t * out_stride + i] = res[i];
  }
}

TALLY_AVX2 void decode_tile(const RowRange& rows, const int64_t* row_index, int64_t nb, int16_t* values,
                            float* scales) {
  const model::WeightMatrix& m = *rows.w;
  for (int i = 0; i < kRowsPerTile; ++i) {
    const int64_t r = row_index[i];
    const uint8_t* p = m.row(rows.e, r);
    for (int64_t b = 0; b < nb; ++b) {
      Block16 v;
      float s;
      switch (m.type) {
        case model::DType::Q8_0:
          v = Q8Row{p}.values(b);
          s = Q8Row{p}.scale(b);
          break;
        case model::DType::MXFP4:
          v = Mxfp4Row{p}.values(b);
          s = Mxfp4Row{p}.scale(b);
          break;
        default: {
          const Mxfp4SplitRow row{p, m.scales + rows.e * m.scale_mat_stride + r * m.scale_row_stride};
          v = row.values(b);
          s = row.scale(b);
          break;
        }
      }
      int16_t* dst = values + (b * kRowsPerTile + i) * 32;
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), v.lo);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 16), v.hi);
      scales[b * kRowsPerTile + i] = s;
    }
  }
}

// Below this many tokens the weights are read straight from the file mapping; above, each 4-row tile is decoded
// once and reused for every token pair.
constexpr int64_t kTileMinTokens = 3;

template <class Row>
TALLY_AVX2 void stream_group(const RowRange& rows, const Row* group, int64_t nb, const QuantizedRows& x,
                             int64_t g, float* out, int64_t out_stride) {
  const int64_t valid = rows.nr - g < kRowsPerTile ? rows.nr - g : kRowsPerTile;
  stream_rows<Row>(group, nb, x, valid, out + g, out_stride);
}

TALLY_AVX2 void matmul_quantized_avx2(const RowRange& rows, const QuantizedRows& x, float* out, int64_t out_stride,
                                      void* scratch) {
  const model::WeightMatrix& m = *rows.w;
  const int64_t nb = x.blocks;
  for (int64_t g = 0; g < rows.nr; g += kRowsPerTile) {
    const int64_t valid = rows.nr - g < kRowsPerTile ? rows.nr - g : kRowsPerTile;
    // Rows past the end repeat the last row: computed and discarded, so the tile code has no remainder path.
    int64_t r[kRowsPerTile];
    for (int i = 0; i < kRowsPerTile; ++i) r[i] = rows.r0 + g + (i < valid ? i : valid - 1);
    if (x.rows < kTileMinTokens) {
      switch (m.type) {
        case model::DType::Q8_0: {
          const Q8Row group[kRowsPerTile] = {{m.row(rows.e, r[0])}, {m.row(rows.e, r[1])}, {m.row(rows.e, r[2])},
                                             {m.row(rows.e, r[3])}};
          stream_group(rows, group, nb, x, g, out, out_stride);
          break;
        }
        case model::DType::MXFP4: {
          const Mxfp4Row group[kRowsPerTile] = {{m.row(rows.e, r[0])}, {m.row(rows.e, r[1])},
                                                {m.row(rows.e, r[2])}, {m.row(rows.e, r[3])}};
          stream_mxfp4(group, nb, x, valid, out + g, out_stride);
          break;
        }
        default: {
          const uint8_t* sp = m.scales + rows.e * m.scale_mat_stride;
          const Mxfp4SplitRow group[kRowsPerTile] = {
              {m.row(rows.e, r[0]), sp + r[0] * m.scale_row_stride},
              {m.row(rows.e, r[1]), sp + r[1] * m.scale_row_stride},
              {m.row(rows.e, r[2]), sp + r[2] * m.scale_row_stride},
              {m.row(rows.e, r[3]), sp + r[3] * m.scale_row_stride}};
          stream_mxfp4(group, nb, x, valid, out + g, out_stride);
          break;
        }
      }
      continue;
    }
    int16_t* values = static_cast<int16_t*>(scratch);
    float* scales = reinterpret_cast<float*>(values + nb * kRowsPerTile * 32);
    decode_tile(rows, r, nb, values, scales);
    int64_t t = 0;
    // Token pairs: 3 or 4 tokens per tile measured no faster (8-12 accumulators, 2 cores of a Xeon).
    for (; t + 2 <= x.rows; t += 2) decoded_tile_store<2>(values, scales, nb, x, t, valid, out + g, out_stride);
    for (; t < x.rows; ++t) decoded_tile_store<1>(values, scales, nb, x, t, valid, out + g, out_stride);
  }
}

TALLY_AVX2 void quantize_row_avx2(const float* x, int64_t cols, BlockOrder order, int16_t* q, float* d) {
  for (int64_t b = 0; b < cols / 32; ++b) {
    __m256 v[4];
    const float a = load_block_amax(x + b * 32, order, v);
    // The scalar set's exact expressions, so both sets produce the same codes.
    const float scale = a / 32767.0f;
    const float inv = scale > 0.0f ? 32767.0f / a : 0.0f;
    d[b] = scale;
    const __m256 vinv = _mm256_set1_ps(inv);
    const __m256 hi = _mm256_set1_ps(32767.0f);
    const __m256 lo = _mm256_set1_ps(-32767.0f);
    __m256i iv[4];
    for (int k = 0; k < 4; ++k) {
      const __m256 r = _mm256_round_ps(_mm256_mul_ps(v[k], vinv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      iv[k] = _mm256_cvtps_epi32(_mm256_max_ps(_mm256_min_ps(r, hi), lo));
    }
    // packs works per 128-bit lane; the 64-bit permute puts the four quarters back in order.
    const __m256i s01 = _mm256_permute4x64_epi64(_mm256_packs_epi32(iv[0], iv[1]), 0xd8);
    const __m256i s23 = _mm256_permute4x64_epi64(_mm256_packs_epi32(iv[2], iv[3]), 0xd8);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + b * 32), s01);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + b * 32 + 16), s23);
  }
}

// 8 weights of a float-typed row as f32.
TALLY_AVX2 inline __m256 load_float8(model::DType type, const uint8_t* row, int64_t k) {
  switch (type) {
    case model::DType::F16:
      return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + k * 2)));
    case model::DType::BF16: {
      const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + k * 2)));
      return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
    }
    default:
      return _mm256_loadu_ps(reinterpret_cast<const float*>(row + k * 4));
  }
}

TALLY_AVX2 float load_float1(model::DType type, const uint8_t* row, int64_t k) {
  uint16_t h;
  switch (type) {
    case model::DType::F16:
      std::memcpy(&h, row + k * 2, 2);
      return _cvtsh_ss(h);
    case model::DType::BF16: {
      std::memcpy(&h, row + k * 2, 2);
      const uint32_t bits = static_cast<uint32_t>(h) << 16;
      float f;
      std::memcpy(&f, &bits, 4);
      return f;
    }
    default: {
      float f;
      std::memcpy(&f, row + k * 4, 4);
      return f;
    }
  }
}

template <model::DType Type>
TALLY_AVX2 void float_rows_x1(const uint8_t* const* rows, int64_t cols, const float* x, float* res) {
  __m256 acc[kRowsPerTile];
  for (int i = 0; i < kRowsPerTile; ++i) acc[i] = _mm256_setzero_ps();
  int64_t k = 0;
  for (; k + 8 <= cols; k += 8) {
    const __m256 xv = _mm256_loadu_ps(x + k);
#pragma GCC unroll 4
    for (int i = 0; i < kRowsPerTile; ++i) acc[i] = _mm256_fmadd_ps(load_float8(Type, rows[i], k), xv, acc[i]);
  }
  for (int i = 0; i < kRowsPerTile; ++i) {
    float s = hsum(acc[i]);
    for (int64_t kk = k; kk < cols; ++kk) s += load_float1(Type, rows[i], kk) * x[kk];
    res[i] = s;
  }
}

TALLY_AVX2 void matmul_float_avx2(const RowRange& rows, const float* x, int64_t n, int64_t x_stride, float* out,
                                  int64_t out_stride, void* scratch) {
  const model::WeightMatrix& m = *rows.w;
  const int64_t cols = m.cols;
  for (int64_t g = 0; g < rows.nr; g += kRowsPerTile) {
    const int64_t valid = rows.nr - g < kRowsPerTile ? rows.nr - g : kRowsPerTile;
    const uint8_t* ptr[kRowsPerTile];
    for (int i = 0; i < kRowsPerTile; ++i) ptr[i] = m.row(rows.e, rows.r0 + g + (i < valid ? i : valid - 1));
    model::DType type = m.type;
    if (n > 1 && type != model::DType::F32) {
      // Several tokens: convert the tile to f32 once.
      float* f = static_cast<float*>(scratch);
      for (int i = 0; i < kRowsPerTile; ++i) {
        int64_t k = 0;
        for (; k + 8 <= cols; k += 8) _mm256_storeu_ps(f + i * cols + k, load_float8(type, ptr[i], k));
        for (; k < cols; ++k) f[i * cols + k] = load_float1(type, ptr[i], k);
        ptr[i] = reinterpret_cast<const uint8_t*>(f + i * cols);
      }
      type = model::DType::F32;
    }
    for (int64_t t = 0; t < n; ++t) {
      float res[kRowsPerTile];
      switch (type) {
        case model::DType::F16:
          float_rows_x1<model::DType::F16>(ptr, cols, x + t * x_stride, res);
          break;
        case model::DType::BF16:
          float_rows_x1<model::DType::BF16>(ptr, cols, x + t * x_stride, res);
          break;
        default:
          float_rows_x1<model::DType::F32>(ptr, cols, x + t * x_stride, res);
          break;
      }
      for (int64_t i = 0; i < valid; ++i) out[t * out_stride + g + i] = res[i];
    }
  }
}

}  // namespace

const KernelSet* avx2_kernels() {
  static const GemmFns gemm = gemm_avx2_fns();
  static const KernelSet set{"avx2",       quantize_row_avx2, matmul_quantized_avx2,      matmul_float_avx2,
                             matmul_mxfp4_i8_avx2_fn(), gemm.gemm_i8, gemm.gemm_i16, gemm.quantize_row_gemm_i8};
  static const bool supported = [] {
    __builtin_cpu_init();
    // F16C straight from CPUID (leaf 1, ECX bit 29): clang's __builtin_cpu_supports has no name for it. Every CPU
    // with AVX2 and FMA has had it, and the avx2 check already covers the OS saving the YMM state.
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    const bool f16c = __get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0 && (ecx & (1u << 29)) != 0;
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && f16c;
  }();
  return supported ? &set : nullptr;
}

#else

const KernelSet* avx2_kernels() { return nullptr; }

#endif

}  // namespace tally::backend::cpu::fast
