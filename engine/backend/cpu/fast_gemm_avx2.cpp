// The prefill GEMMs on AVX2: Q8_0 and MXFP4 weights against activation blocks quantized once per call, 8 weight
// rows x up to 4 tokens per register tile. Only raw pointers and intrinsics here, like fast_kernels_avx2.cpp.
//
// Why this shape: a weight tile is decoded once per 8 rows into a layout where one 32-byte load holds a few
// consecutive block values of each of the 8 rows; a broadcast of the matching activation values multiplies all 8
// rows at once, and the int32 result lanes are the 8 rows. The per-block scale fold (convert + FMA) is then paid once
// per 8 rows x 32 values instead of once per row, and no horizontal sums are needed. The row kernels it replaced pay
// the fold per row and token (measured 1.3-1.8x the GFLOP/s of those on dev-2c, bench_cpu_kernels Prefill_*).
//
// gemm_i16 (the default): int16 activations (the row kernels' codes in another order, so the same integer block
// sums), weights widened to int16, vpmaddwd over pairs: 16 multiplies per 8 rows x 32 values. |block sum| <= 32 *
// 128 * 32767. gemm_i8: int8 activations, vpmaddubsw over quads: 8 multiplies plus 2 widenings. MXFP4's doubled E2M1
// values are stored offset by +12 (unsigned 0..24), so vpmaddubsw takes them as they are; |pair| <= 2 * 24 * 127 =
// 6096, so four steps add up in int16 (24384) before one vpmaddwd widens them, and the offset's 12 * (sum of the
// activation codes) comes back out in int32. Q8_0: the sign trick (|w| unsigned, w's sign moved onto the activation
// with vpsignb); |pair| <= 2 * 128 * 127 leaves no room for an int16 sum, so every step widens. int8 activation
// blocks cost ~1e-2 relative error per product (int16 ~4e-5): on the tiny fixture the fast path then misses a top-1
// token of harmony_ko (mean KL 3.2e-3), and on the tiny official layout its mean KL is 4.3e-2, so it is opt-in.
#include <cstring>

#include "backend/cpu/fast_avx2.h"
#include "backend/cpu/fast_kernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TALLY_HAVE_AVX2_GEMM 1
#define TALLY_AVX2_GEMM __attribute__((target("avx2,fma,f16c")))
#endif

namespace tally::backend::cpu::fast {

#ifdef TALLY_HAVE_AVX2_GEMM
namespace {

constexpr int kTileRows = 8;
// Decoded tiles: per block, 8 steps of 32 bytes (4 int8 values of each of the 8 rows) or 16 steps (2 int16 values
// each); the 8 row scales of every block follow the values (gemm_scratch_bytes sizes the larger).
constexpr int64_t kTileBlockBytes = kTileRows * 32;
constexpr int64_t kTileBlockBytes16 = kTileRows * 64;

// 4 bytes broadcast to every 32-bit lane. vbroadcastss from memory is a pure load on AMD and Intel alike, which
// vpbroadcastd is not everywhere.
TALLY_AVX2_GEMM inline __m256i broadcast4(const void* p) {
  return _mm256_castps_si256(_mm256_broadcast_ss(static_cast<const float*>(p)));
}

// Eight registers of 8 x 32-bit groups, one per row -> register g holds group g of rows 0..7 (an 8 x 8 transpose).
TALLY_AVX2_GEMM inline void transpose_groups(__m256i v[8]) {
  __m256i t[8], u[8];
  for (int k = 0; k < 4; ++k) {
    t[2 * k] = _mm256_unpacklo_epi32(v[2 * k], v[2 * k + 1]);
    t[2 * k + 1] = _mm256_unpackhi_epi32(v[2 * k], v[2 * k + 1]);
  }
  for (int k = 0; k < 2; ++k) {
    u[4 * k + 0] = _mm256_unpacklo_epi64(t[4 * k + 0], t[4 * k + 2]);
    u[4 * k + 1] = _mm256_unpackhi_epi64(t[4 * k + 0], t[4 * k + 2]);
    u[4 * k + 2] = _mm256_unpacklo_epi64(t[4 * k + 1], t[4 * k + 3]);
    u[4 * k + 3] = _mm256_unpackhi_epi64(t[4 * k + 1], t[4 * k + 3]);
  }
  // u[0..3]: groups (0|4), (1|5), (2|6), (3|7) of rows 0-3 per 128-bit lane; u[4..7] the same for rows 4-7.
  for (int g = 0; g < 4; ++g) {
    v[g] = _mm256_permute2x128_si256(u[g], u[g + 4], 0x20);
    v[g + 4] = _mm256_permute2x128_si256(u[g], u[g + 4], 0x31);
  }
}

// How far ahead (in blocks) the tile decode prefetches its 8 row streams: the decode is bound by their loads (the
// weights come from DRAM or L3), and 8 streams per core are more than the hardware prefetchers keep ahead of.
// Prefetching never faults past the end of a row.
constexpr int64_t kDecodePrefetchBlocks = 16;
// K chunks: 64 blocks of the int8 tile (16 KB) or 32 of the int16 one (16 KB), with 4 tokens' activations (8 KB).
constexpr int64_t kChunkBlocks8 = 64;
constexpr int64_t kChunkBlocks16 = 32;

// Row pointers of a tile (rows past the range's end repeat its last row), and of their MXFP4_SPLIT scales.
struct TileRows {
  const model::WeightMatrix* m;
  const uint8_t* p[kTileRows];
  const uint8_t* sp[kTileRows];

  TileRows(const RowRange& rows, int64_t g) : m(rows.w) {
    const int64_t valid = rows.nr - g < kTileRows ? rows.nr - g : kTileRows;
    for (int k = 0; k < kTileRows; ++k) {
      const int64_t r = rows.r0 + g + (k < valid ? k : valid - 1);
      p[k] = m->row(rows.e, r);
      sp[k] = m->type == model::DType::MXFP4_SPLIT ? m->scales + rows.e * m->scale_mat_stride + r * m->scale_row_stride
                                                   : nullptr;
    }
  }
};

// Block b of an MXFP4 tile still packed, transposed: x[g] holds bytes 4g..4g+3 of rows 0-3 (lane 0) and rows 4-7
// (lane 1), one row per 32-bit group; the 8 row scales go to `scales`. Prefetches the row streams ahead.
TALLY_AVX2_GEMM inline void packed_groups(const TileRows& t, int64_t b, __m256i x[4], float* scales) {
  const bool ggml = t.m->type == model::DType::MXFP4;
  const int64_t block_bytes = ggml ? 17 : 16;
  const int64_t skip = ggml ? 1 : 0;  // the ggml block's leading scale byte
  if ((b & 1) == 0) {
    for (int k = 0; k < kTileRows; ++k) {
      _mm_prefetch(reinterpret_cast<const char*>(t.p[k] + (b + kDecodePrefetchBlocks) * block_bytes), _MM_HINT_T0);
    }
  }
  __m256i v[4];
  for (int k = 0; k < 4; ++k) {
    v[k] = _mm256_loadu2_m128i(reinterpret_cast<const __m128i*>(t.p[k + 4] + b * block_bytes + skip),
                               reinterpret_cast<const __m128i*>(t.p[k] + b * block_bytes + skip));
  }
  if (ggml) {
    for (int k = 0; k < kTileRows; ++k) scales[k] = kHalfE8M0[t.p[k][b * 17]];
  } else {
    for (int k = 0; k < kTileRows; ++k) scales[k] = kHalfE8M0[t.sp[k][b]];
  }
  const __m256i t0 = _mm256_unpacklo_epi32(v[0], v[1]);
  const __m256i t1 = _mm256_unpackhi_epi32(v[0], v[1]);
  const __m256i t2 = _mm256_unpacklo_epi32(v[2], v[3]);
  const __m256i t3 = _mm256_unpackhi_epi32(v[2], v[3]);
  x[0] = _mm256_unpacklo_epi64(t0, t2);
  x[1] = _mm256_unpackhi_epi64(t0, t2);
  x[2] = _mm256_unpacklo_epi64(t1, t3);
  x[3] = _mm256_unpackhi_epi64(t1, t3);
}

// The int8 tile: values in gemm_order (MXFP4 offset by +12, Q8_0 as stored). MXFP4 is transposed while still
// packed: step g < 4 of the tile is the low nibbles of bytes 4g..4g+3 of every row, step g + 4 their high nibbles, so
// a 4 x 4 transpose of the raw 16-byte blocks (rows k and k + 4 sharing a register) precedes the lookups.
TALLY_AVX2_GEMM void decode_tile_i8(const TileRows& t, int64_t nb, uint8_t* tile, float* scales) {
  const model::DType type = t.m->type;
  if (type == model::DType::Q8_0) {
    for (int64_t b = 0; b < nb; ++b) {
      __m256i v[kTileRows];
      for (int k = 0; k < kTileRows; ++k) {
        _mm_prefetch(reinterpret_cast<const char*>(t.p[k] + (b + kDecodePrefetchBlocks) * 34), _MM_HINT_T0);
        v[k] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(t.p[k] + b * 34 + 2));
        uint16_t h;
        std::memcpy(&h, t.p[k] + b * 34, 2);
        scales[b * kTileRows + k] = _cvtsh_ss(h);
      }
      transpose_groups(v);
      uint8_t* dst = tile + b * kTileBlockBytes;
      for (int g = 0; g < 8; ++g) _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + g * 32), v[g]);
    }
    return;
  }
  const __m256i lut = _mm256_setr_epi8(12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0,  //
                                       12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0);
  const __m256i low4 = _mm256_set1_epi8(0x0f);
  for (int64_t b = 0; b < nb; ++b) {
    __m256i x[4];
    packed_groups(t, b, x, scales + b * kTileRows);
    uint8_t* dst = tile + b * kTileBlockBytes;
    for (int g = 0; g < 4; ++g) {
      const __m256i lo = _mm256_shuffle_epi8(lut, _mm256_and_si256(x[g], low4));
      const __m256i hi = _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(x[g], 4), low4));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + g * 32), lo);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + (g + 4) * 32), hi);
    }
  }
}

// The int16 tile: values in gemm_order, sign-extended. Step s holds positions 2s and 2s + 1 of the 8 rows: for MXFP4
// the low nibbles of bytes 2s, 2s + 1 (s < 8) or the high nibbles of bytes 2s - 16, 2s - 15.
TALLY_AVX2_GEMM void decode_tile_i16(const TileRows& t, int64_t nb, uint8_t* tile, float* scales) {
  if (t.m->type == model::DType::Q8_0) {
    for (int64_t b = 0; b < nb; ++b) {
      __m256i lo[kTileRows], hi[kTileRows];
      for (int k = 0; k < kTileRows; ++k) {
        const uint8_t* q = t.p[k] + b * 34;
        _mm_prefetch(reinterpret_cast<const char*>(q + kDecodePrefetchBlocks * 34), _MM_HINT_T0);
        lo[k] = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 2)));
        hi[k] = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 18)));
        uint16_t h;
        std::memcpy(&h, q, 2);
        scales[b * kTileRows + k] = _cvtsh_ss(h);
      }
      transpose_groups(lo);
      transpose_groups(hi);
      uint8_t* dst = tile + b * kTileBlockBytes16;
      for (int g = 0; g < 8; ++g) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + g * 32), lo[g]);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + (g + 8) * 32), hi[g]);
      }
    }
    return;
  }
  const __m256i lut = _mm256_setr_epi8(0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12,  //
                                       0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12);
  // Per lane: bytes 0, 1 of rows 0-3, then bytes 2, 3 of rows 0-3, so that widening the halves gives two steps.
  const __m256i pairs = _mm256_setr_epi8(0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15,  //
                                         0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15);
  const __m256i low4 = _mm256_set1_epi8(0x0f);
  const __m256i zero = _mm256_setzero_si256();
  for (int64_t b = 0; b < nb; ++b) {
    __m256i x[4];
    packed_groups(t, b, x, scales + b * kTileRows);
    uint8_t* dst = tile + b * kTileBlockBytes16;
    for (int g = 0; g < 4; ++g) {
      const __m256i xr = _mm256_shuffle_epi8(x[g], pairs);
      const __m256i lo = _mm256_shuffle_epi8(lut, _mm256_and_si256(xr, low4));
      const __m256i hi = _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(xr, 4), low4));
      // Interleaving with zeros puts each value in an int16's high byte; the arithmetic shift brings it down signed.
      const __m256i steps[4] = {_mm256_srai_epi16(_mm256_unpacklo_epi8(zero, lo), 8),
                                _mm256_srai_epi16(_mm256_unpackhi_epi8(zero, lo), 8),
                                _mm256_srai_epi16(_mm256_unpacklo_epi8(zero, hi), 8),
                                _mm256_srai_epi16(_mm256_unpackhi_epi8(zero, hi), 8)};
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + (2 * g) * 32), steps[0]);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + (2 * g + 1) * 32), steps[1]);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + (8 + 2 * g) * 32), steps[2]);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + (8 + 2 * g + 1) * 32), steps[3]);
    }
  }
}

// Where token j's codes, scales and offset corrections start, tokens `stride` codes apart.
template <class Code>
struct TokenRows {
  const Code* q;
  const float* d;
  const int32_t* sums;
  int64_t stride;   // codes per token row (all its blocks * 32)
  int64_t dstride;  // scales (and sums) per token row
  int64_t blocks;   // blocks to multiply, from q, d and sums on
};

// acc[j] lane k = row k . token j over all blocks, for T tokens; returns through out (8 floats per token).
// Kept out of line: inlined into the token loop, GCC spilled the accumulators.
template <int T, bool kMxfp4>
__attribute__((noinline)) TALLY_AVX2_GEMM void gemm_tile_i8(const uint8_t* tile, const float* scales,
                                                            const TokenRows<int8_t>& x, float (*out)[kTileRows]) {
  const __m256i ones = _mm256_set1_epi16(1);
  __m256 acc[T];
#pragma GCC unroll 4
  for (int j = 0; j < T; ++j) acc[j] = _mm256_setzero_ps();
  // One pointer per token, so that every broadcast below is a base + constant displacement load.
  const int8_t* ap[T];
  const float* dp[T];
  const int32_t* cp[T];
#pragma GCC unroll 4
  for (int j = 0; j < T; ++j) {
    ap[j] = x.q + j * x.stride;
    dp[j] = x.d + j * x.dstride;
    cp[j] = kMxfp4 ? x.sums + j * x.dstride : nullptr;
  }
  for (int64_t b = 0; b < x.blocks; ++b) {
    const uint8_t* w = tile + b * kTileBlockBytes;
    // Sums start at zero and add in order, loops partly unrolled: fully unrolled, GCC reassociated the sums into
    // trees and spilled the products.
    __m256i s[T];
#pragma GCC unroll 4
    for (int j = 0; j < T; ++j) s[j] = _mm256_setzero_si256();
    if constexpr (kMxfp4) {
#pragma GCC unroll 1
      for (int h = 0; h < 2; ++h) {
        __m256i p[T];
#pragma GCC unroll 4
        for (int j = 0; j < T; ++j) p[j] = _mm256_setzero_si256();
#pragma GCC unroll 4
        for (int g = 0; g < 4; ++g) {
          const int step = 4 * h + g;
          const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + step * 32));
#pragma GCC unroll 4
          for (int j = 0; j < T; ++j) {
            p[j] = _mm256_add_epi16(p[j], _mm256_maddubs_epi16(wv, broadcast4(ap[j] + b * 32 + step * 4)));
          }
        }
#pragma GCC unroll 4
        for (int j = 0; j < T; ++j) s[j] = _mm256_add_epi32(s[j], _mm256_madd_epi16(p[j], ones));
      }
#pragma GCC unroll 4
      for (int j = 0; j < T; ++j) {
        s[j] = _mm256_sub_epi32(s[j], broadcast4(cp[j] + b));
      }
    } else {
#pragma GCC unroll 4
      for (int step = 0; step < 8; ++step) {
        const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + step * 32));
        const __m256i wa = _mm256_abs_epi8(wv);
#pragma GCC unroll 4
        for (int j = 0; j < T; ++j) {
          const __m256i av = broadcast4(ap[j] + b * 32 + step * 4);
          s[j] = _mm256_add_epi32(s[j], _mm256_madd_epi16(_mm256_maddubs_epi16(wa, _mm256_sign_epi8(av, wv)), ones));
        }
      }
    }
    const __m256 dw = _mm256_loadu_ps(scales + b * kTileRows);
#pragma GCC unroll 4
    for (int j = 0; j < T; ++j) {
      acc[j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s[j]), _mm256_mul_ps(dw, _mm256_broadcast_ss(dp[j] + b)), acc[j]);
    }
  }
#pragma GCC unroll 4
  for (int j = 0; j < T; ++j) _mm256_storeu_ps(out[j], acc[j]);
}

template <int T>
__attribute__((noinline)) TALLY_AVX2_GEMM void gemm_tile_i16(const uint8_t* tile, const float* scales,
                                                             const TokenRows<int16_t>& x, float (*out)[kTileRows]) {
  __m256 acc[T];
#pragma GCC unroll 4
  for (int j = 0; j < T; ++j) acc[j] = _mm256_setzero_ps();
  const int16_t* ap[T];
  const float* dp[T];
#pragma GCC unroll 4
  for (int j = 0; j < T; ++j) {
    ap[j] = x.q + j * x.stride;
    dp[j] = x.d + j * x.dstride;
  }
  for (int64_t b = 0; b < x.blocks; ++b) {
    const uint8_t* w = tile + b * kTileBlockBytes16;
    __m256i s[T];
#pragma GCC unroll 4
    for (int j = 0; j < T; ++j) s[j] = _mm256_setzero_si256();
    // Partly unrolled: fully unrolled, GCC reassociated the sums into a tree and spilled the products.
#pragma GCC unroll 4
    for (int step = 0; step < 16; ++step) {
      const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + step * 32));
#pragma GCC unroll 4
      for (int j = 0; j < T; ++j) {
        s[j] = _mm256_add_epi32(s[j], _mm256_madd_epi16(wv, broadcast4(ap[j] + b * 32 + step * 2)));
      }
    }
    const __m256 dw = _mm256_loadu_ps(scales + b * kTileRows);
#pragma GCC unroll 4
    for (int j = 0; j < T; ++j) {
      acc[j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s[j]), _mm256_mul_ps(dw, _mm256_broadcast_ss(dp[j] + b)), acc[j]);
    }
  }
#pragma GCC unroll 4
  for (int j = 0; j < T; ++j) _mm256_storeu_ps(out[j], acc[j]);
}

// Runs the tile kernel on T tokens from t0 and writes (first K chunk) or adds (later chunks) the valid rows.
template <int T, class Code, class Kernel>
TALLY_AVX2_GEMM inline void store_tokens(Kernel kernel, const TokenRows<Code>& all, int64_t t0, int64_t valid,
                                         bool first, float* out, int64_t out_stride) {
  const TokenRows<Code> x{all.q + t0 * all.stride, all.d + t0 * all.dstride,
                          all.sums != nullptr ? all.sums + t0 * all.dstride : nullptr, all.stride, all.dstride,
                          all.blocks};
  alignas(32) float res[T][kTileRows];
  kernel(x, res);
  for (int j = 0; j < T; ++j) {
    float* dst = out + (t0 + j) * out_stride;
    if (first) {
      for (int64_t i = 0; i < valid; ++i) dst[i] = res[j][i];
    } else {
      for (int64_t i = 0; i < valid; ++i) dst[i] += res[j][i];
    }
  }
}

// Every token of x against one decoded tile, G at a time then the rest, over K chunks of `chunk` blocks: a chunk
// of the tile and of 4 tokens' activations stay in L1 together (the whole 2880-wide tile does not).
template <class Code, template <int> class Tile, int G = 4>
TALLY_AVX2_GEMM inline void all_tokens(const uint8_t* tile, int64_t tile_block_bytes, const float* scales,
                                       const TokenRows<Code>& x, int64_t n, int64_t chunk, int64_t valid, float* out,
                                       int64_t out_stride) {
  for (int64_t k0 = 0; k0 < x.blocks; k0 += chunk) {
    const int64_t len = x.blocks - k0 < chunk ? x.blocks - k0 : chunk;
    const uint8_t* w = tile + k0 * tile_block_bytes;
    const float* sc = scales + k0 * kTileRows;
    const TokenRows<Code> xc{x.q + k0 * 32, x.d + k0, x.sums != nullptr ? x.sums + k0 : nullptr, x.stride, x.dstride,
                             len};
    const bool first = k0 == 0;
    int64_t t = 0;
    for (; t + G <= n; t += G) {
      store_tokens<G>([&](const TokenRows<Code>& xs, float(*r)[kTileRows]) { Tile<G>::run(w, sc, xs, r); }, xc, t,
                      valid, first, out, out_stride);
    }
    switch (n - t) {
      case 3:
        store_tokens<3>([&](const TokenRows<Code>& xs, float(*r)[kTileRows]) { Tile<3>::run(w, sc, xs, r); }, xc, t,
                        valid, first, out, out_stride);
        break;
      case 2:
        store_tokens<2>([&](const TokenRows<Code>& xs, float(*r)[kTileRows]) { Tile<2>::run(w, sc, xs, r); }, xc, t,
                        valid, first, out, out_stride);
        break;
      case 1:
        store_tokens<1>([&](const TokenRows<Code>& xs, float(*r)[kTileRows]) { Tile<1>::run(w, sc, xs, r); }, xc, t,
                        valid, first, out, out_stride);
        break;
      default:
        break;
    }
  }
}

template <int T>
struct MxTile {
  TALLY_AVX2_GEMM static void run(const uint8_t* w, const float* s, const TokenRows<int8_t>& x, float (*r)[kTileRows]) {
    gemm_tile_i8<T, true>(w, s, x, r);
  }
};
template <int T>
struct Q8Tile {
  TALLY_AVX2_GEMM static void run(const uint8_t* w, const float* s, const TokenRows<int8_t>& x, float (*r)[kTileRows]) {
    gemm_tile_i8<T, false>(w, s, x, r);
  }
};
template <int T>
struct I16Tile {
  TALLY_AVX2_GEMM static void run(const uint8_t* w, const float* s, const TokenRows<int16_t>& x,
                                  float (*r)[kTileRows]) {
    gemm_tile_i16<T>(w, s, x, r);
  }
};

TALLY_AVX2_GEMM void gemm_i8_avx2(const RowRange& rows, const Int8Rows& x, float* out, int64_t out_stride,
                                  void* scratch) {
  const int64_t nb = x.blocks;
  uint8_t* tile = static_cast<uint8_t*>(scratch);
  float* scales = reinterpret_cast<float*>(tile + nb * kTileBlockBytes);
  const TokenRows<int8_t> xs{x.q, x.d, x.sums, nb * 32, nb, nb};
  const bool q8 = rows.w->type == model::DType::Q8_0;
  for (int64_t g = 0; g < rows.nr; g += kTileRows) {
    const int64_t valid = rows.nr - g < kTileRows ? rows.nr - g : kTileRows;
    decode_tile_i8(TileRows(rows, g), nb, tile, scales);
    if (q8) {
      all_tokens<int8_t, Q8Tile>(tile, kTileBlockBytes, scales, xs, x.rows, kChunkBlocks8, valid, out + g, out_stride);
    } else {
      // 3 tokens: with 4, the int16 partial sums took the registers the accumulators needed.
      all_tokens<int8_t, MxTile, 3>(tile, kTileBlockBytes, scales, xs, x.rows, kChunkBlocks8, valid, out + g,
                                    out_stride);
    }
  }
}

TALLY_AVX2_GEMM void gemm_i16_avx2(const RowRange& rows, const QuantizedRows& x, float* out, int64_t out_stride,
                                   void* scratch) {
  const int64_t nb = x.blocks;
  uint8_t* tile = static_cast<uint8_t*>(scratch);
  float* scales = reinterpret_cast<float*>(tile + nb * kTileBlockBytes16);
  const TokenRows<int16_t> xs{x.q, x.d, nullptr, nb * 32, nb, nb};
  for (int64_t g = 0; g < rows.nr; g += kTileRows) {
    const int64_t valid = rows.nr - g < kTileRows ? rows.nr - g : kTileRows;
    decode_tile_i16(TileRows(rows, g), nb, tile, scales);
    all_tokens<int16_t, I16Tile>(tile, kTileBlockBytes16, scales, xs, x.rows, kChunkBlocks16, valid, out + g,
                                 out_stride);
  }
}

// Same codes as the scalar version: its exact expressions, round to nearest even, clamp to +-127.
TALLY_AVX2_GEMM void quantize_row_gemm_i8_avx2(const float* x, int64_t cols, BlockOrder order, int8_t* q, float* d,
                                               int32_t* sums) {
  const __m256i fix = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  for (int64_t b = 0; b < cols / 32; ++b) {
    __m256 v[4];
    const float a = load_block_amax(x + b * 32, order, v);
    const float scale = a / 127.0f;
    const float inv = scale > 0.0f ? 127.0f / a : 0.0f;
    d[b] = scale;
    const __m256 vinv = _mm256_set1_ps(inv);
    const __m256 hi = _mm256_set1_ps(127.0f);
    const __m256 lo = _mm256_set1_ps(-127.0f);
    __m256i iv[4];
    __m256i total = _mm256_setzero_si256();
    for (int k = 0; k < 4; ++k) {
      const __m256 r = _mm256_round_ps(_mm256_mul_ps(v[k], vinv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
      iv[k] = _mm256_cvtps_epi32(_mm256_max_ps(_mm256_min_ps(r, hi), lo));
      total = _mm256_add_epi32(total, iv[k]);
    }
    // packs works per 128-bit lane: the dword permute puts the eight 4-value groups back in order.
    const __m256i p16 = _mm256_packs_epi16(_mm256_packs_epi32(iv[0], iv[1]), _mm256_packs_epi32(iv[2], iv[3]));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + b * 32), _mm256_permutevar8x32_epi32(p16, fix));
    __m128i t4 = _mm_add_epi32(_mm256_castsi256_si128(total), _mm256_extracti128_si256(total, 1));
    t4 = _mm_add_epi32(t4, _mm_shuffle_epi32(t4, 0x4e));
    t4 = _mm_add_epi32(t4, _mm_shuffle_epi32(t4, 0xb1));
    sums[b] = 12 * _mm_cvtsi128_si32(t4);
  }
}

}  // namespace

GemmFns gemm_avx2_fns() { return {gemm_i8_avx2, gemm_i16_avx2, quantize_row_gemm_i8_avx2}; }

#else

GemmFns gemm_avx2_fns() { return {nullptr, nullptr, nullptr}; }

#endif

}  // namespace tally::backend::cpu::fast
