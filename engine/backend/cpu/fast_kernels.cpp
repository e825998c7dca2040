// Scalar kernels (the portable fallback and the reference the SIMD sets are tested against) and the run-time
// choice of kernel set.
#include "backend/cpu/fast_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string_view>

#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/dequant.h"

namespace tally::backend::cpu::fast {

namespace {

// 2^(e - bias) for every E8M0 byte, built by exact doubling (the smallest values are subnormal floats, still exact).
constexpr std::array<float, 256> make_e8m0_table(int bias) {
  std::array<float, 256> t{};
  float v = 1.0f;
  for (int i = 0; i < bias; ++i) v *= 0.5f;
  for (int e = 0; e < 255; ++e) {
    t[e] = v;
    v *= 2.0f;
  }
  t[255] = std::numeric_limits<float>::quiet_NaN();  // E8M0's NaN encoding
  return t;
}

uint16_t load_u16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}

}  // namespace

const std::array<float, 256> kHalfE8M0 = make_e8m0_table(128);
const std::array<float, 256> kE8M0Over512 = make_e8m0_table(136);

namespace {

constexpr std::array<uint8_t, 32> make_permutation(BlockOrder order) {
  std::array<uint8_t, 32> perm{};
  for (int p = 0; p < 32; ++p) {
    if (order == BlockOrder::Natural) {
      perm[p] = static_cast<uint8_t>(p);
      continue;
    }
    if (order == BlockOrder::EvenOdd) {
      perm[p] = static_cast<uint8_t>(p < 16 ? 2 * p : 2 * (p - 16) + 1);
      continue;
    }
    const int chunk = p / 8;               // 0: low 0-7, 1: high 0-7, 2: low 8-15, 3: high 8-15
    const int byte = (chunk / 2) * 8 + p % 8;
    const bool high = chunk % 2 == 1;
    perm[p] = static_cast<uint8_t>(order == BlockOrder::Mxfp4 ? byte + (high ? 16 : 0) : 2 * byte + (high ? 1 : 0));
  }
  return perm;
}

constexpr std::array<std::array<uint8_t, 32>, 4> kPermutations = {
    make_permutation(BlockOrder::Natural), make_permutation(BlockOrder::Mxfp4),
    make_permutation(BlockOrder::Mxfp4Split), make_permutation(BlockOrder::EvenOdd)};

}  // namespace

const std::array<uint8_t, 32>& block_permutation(BlockOrder order) {
  return kPermutations[static_cast<size_t>(order)];
}
const std::array<int8_t, 16> kE2M1Doubled = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

BlockOrder block_order(model::DType t) {
  switch (t) {
    case model::DType::MXFP4: return BlockOrder::Mxfp4;
    case model::DType::MXFP4_SPLIT: return BlockOrder::Mxfp4Split;
    default: return BlockOrder::Natural;
  }
}

bool is_block_quantized(model::DType t) {
  return t == model::DType::Q8_0 || t == model::DType::MXFP4 || t == model::DType::MXFP4_SPLIT;
}

int64_t scratch_bytes(int64_t nr, int64_t cols) {
  // Quantized tiles: int16 values plus one float per block; float tiles: one f32 row per weight row.
  const int64_t padded = ((nr + 3) / 4) * 4;
  return std::max(padded * cols * 2 + padded * (cols / 32 + 1) * 4, padded * cols * 4) + 64;
}

void decode_block(const RowRange& rows, int64_t r, int64_t b, int8_t* w, float* scale) {
  const model::WeightMatrix& m = *rows.w;
  const uint8_t* row = m.row(rows.e, r);
  switch (m.type) {
    case model::DType::Q8_0: {
      const uint8_t* blk = row + b * 34;
      *scale = f16_to_f32(load_u16(blk));
      std::memcpy(w, blk + 2, 32);
      return;
    }
    case model::DType::MXFP4:
    case model::DType::MXFP4_SPLIT: {
      const uint8_t* q;
      uint8_t e;
      if (m.type == model::DType::MXFP4) {
        q = row + b * 17 + 1;
        e = row[b * 17];
      } else {
        q = row + b * 16;
        e = m.scales[rows.e * m.scale_mat_stride + r * m.scale_row_stride + b];
      }
      *scale = kHalfE8M0[e];
      for (int p = 0; p < 32; ++p) {  // the chunk order of BlockOrder::Mxfp4 / Mxfp4Split
        const int chunk = p / 8;
        const uint8_t byte = q[(chunk / 2) * 8 + p % 8];
        w[p] = kE2M1Doubled[chunk % 2 == 1 ? byte >> 4 : byte & 0xf];
      }
      return;
    }
    default:
      std::memset(w, 0, 32);
      *scale = 0.0f;
      return;
  }
}

namespace {

void quantize_row_scalar(const float* x, int64_t cols, BlockOrder order, int16_t* q, float* d) {
  for (int64_t b = 0; b < cols / 32; ++b) {
    float block[32];
    const float* src = x + b * 32;
    const auto& perm = block_permutation(order);
    for (int p = 0; p < 32; ++p) block[p] = src[perm[p]];
    float amax = 0.0f;
    for (float v : block) amax = std::max(amax, std::fabs(v));
    const float scale = amax / 32767.0f;
    const float inv = scale > 0.0f ? 32767.0f / amax : 0.0f;
    d[b] = scale;
    for (int i = 0; i < 32; ++i) {
      // Same rounding as the SIMD sets (to nearest even under the default mode): identical codes everywhere.
      float r = std::nearbyint(block[i] * inv);
      if (std::isnan(r)) r = 0.0f;  // garbage in, but no undefined conversion
      q[b * 32 + i] = static_cast<int16_t>(std::clamp(r, -32767.0f, 32767.0f));
    }
  }
}

void matmul_quantized_scalar(const RowRange& rows, const QuantizedRows& x, float* out, int64_t out_stride,
                             void* /*scratch*/) {
  int8_t w[32];
  for (int64_t i = 0; i < rows.nr; ++i) {
    for (int64_t t = 0; t < x.rows; ++t) {
      const int16_t* a = x.row_q(t);
      const float* ad = x.row_d(t);
      float acc = 0.0f;
      for (int64_t b = 0; b < x.blocks; ++b) {
        float scale;
        decode_block(rows, rows.r0 + i, b, w, &scale);
        int32_t sum = 0;
        for (int k = 0; k < 32; ++k) sum += static_cast<int32_t>(w[k]) * a[b * 32 + k];  // |sum| < 2^28
        acc += static_cast<float>(sum) * (scale * ad[b]);
      }
      out[t * out_stride + i] = acc;
    }
  }
}

void matmul_float_scalar(const RowRange& rows, const float* x, int64_t n, int64_t x_stride, float* out,
                         int64_t out_stride, void* scratch) {
  float* wrow = static_cast<float*>(scratch);
  const int64_t cols = rows.w->cols;
  for (int64_t i = 0; i < rows.nr; ++i) {
    dequantize_row(*rows.w, rows.e, rows.r0 + i, wrow);
    for (int64_t t = 0; t < n; ++t) out[t * out_stride + i] = dot_f32(wrow, x + t * x_stride, cols);
  }
}

}  // namespace

const KernelSet& scalar_kernels() {
  static const KernelSet set{"scalar", quantize_row_scalar, matmul_quantized_scalar, matmul_float_scalar,
                             matmul_mxfp4_i8_scalar, gemm_i8_scalar, gemm_i16_scalar,
                             quantize_row_gemm_i8_scalar};
  return set;
}

const KernelSet& active_kernels() {
  static const KernelSet* chosen = [] {
    const char* force = std::getenv("TALLY_CPU_KERNELS");
    if (force != nullptr && std::string_view(force) == "scalar") return &scalar_kernels();
    const KernelSet* simd = avx2_kernels();
    return simd != nullptr ? simd : &scalar_kernels();
  }();
  return *chosen;
}

}  // namespace tally::backend::cpu::fast
