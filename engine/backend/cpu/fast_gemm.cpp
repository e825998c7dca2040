// The prefill GEMMs' portable parts: which prefill kernel runs (TALLY_CPU_PREFILL), the activation order and
// scratch the GEMMs share, and the scalar kernels (the fallback, and the reference the AVX2 GEMMs of
// fast_gemm_avx2.cpp are tested against: the same integer block sums, another f32 accumulation order).
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "backend/cpu/dequant.h"
#include "backend/cpu/fast_kernels.h"

namespace tally::backend::cpu::fast {

namespace {

std::atomic<int>& prefill_override() {
  static std::atomic<int> v{-1};  // -1: follow the environment
  return v;
}

}  // namespace

PrefillKernel prefill_kernel() {
  const int o = prefill_override().load(std::memory_order_relaxed);
  if (o >= 0) return static_cast<PrefillKernel>(o);
  static const PrefillKernel from_env = [] {
    const char* v = std::getenv("TALLY_CPU_PREFILL");
    const std::string_view s = v != nullptr ? v : "";
    if (s == "f32" || s == "rows" || s == "int16") return PrefillKernel::Rows;
    if (s == "i8" || s == "int8") return PrefillKernel::GemmI8;
    return PrefillKernel::GemmI16;
  }();
  return from_env;
}

void set_prefill_kernel(PrefillKernel k) { prefill_override().store(static_cast<int>(k), std::memory_order_relaxed); }

const char* prefill_kernel_name(PrefillKernel k) {
  switch (k) {
    case PrefillKernel::Rows: return "rows-i16";
    case PrefillKernel::GemmI16: return "gemm-i16";
    default: return "gemm-i8";
  }
}

BlockOrder gemm_order(model::DType t) { return nibble_order(t); }

int64_t gemm_scratch_bytes(int64_t cols) {
  // The largest decoded tile of fast_gemm_avx2.cpp: 8 rows of int16 values (64 bytes each per block) and 8 scales.
  const int64_t nb = cols / 32;
  return nb * 8 * 64 + nb * 8 * 4 + 64;
}

void quantize_row_gemm_i8_scalar(const float* x, int64_t cols, BlockOrder order, int8_t* q, float* d, int32_t* sums) {
  quantize_row_i8(x, cols, order, q, d, sums);
  for (int64_t b = 0; b < cols / 32; ++b) sums[b] *= 12;
}

namespace {

// Block b of row r as int8 values in gemm_order and its scale (MXFP4 doubled, scale halved).
void gemm_block(const RowRange& rows, int64_t r, int64_t b, int8_t* w, float* scale) {
  const model::WeightMatrix& m = *rows.w;
  const uint8_t* row = m.row(rows.e, r);
  if (m.type == model::DType::Q8_0) {
    uint16_t h;
    std::memcpy(&h, row + b * 34, 2);
    *scale = f16_to_f32(h);
    std::memcpy(w, row + b * 34 + 2, 32);
    return;
  }
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
  for (int p = 0; p < 16; ++p) {
    w[p] = kE2M1Doubled[q[p] & 0xf];
    w[p + 16] = kE2M1Doubled[q[p] >> 4];
  }
}

// The scalar reference for both tiled kernels: per block, the integer dot of the weight and activation codes,
// then both scales. Rows is Int8Rows or QuantizedRows (int16 codes).
template <typename Rows>
void gemm_scalar(const RowRange& rows, const Rows& x, float* out, int64_t out_stride) {
  int8_t w[32];
  for (int64_t i = 0; i < rows.nr; ++i) {
    for (int64_t t = 0; t < x.rows; ++t) {
      const auto* a = x.row_q(t);
      const float* ad = x.row_d(t);
      float acc = 0.0f;
      for (int64_t b = 0; b < x.blocks; ++b) {
        float scale;
        gemm_block(rows, rows.r0 + i, b, w, &scale);
        int32_t sum = 0;
        for (int k = 0; k < 32; ++k) sum += static_cast<int32_t>(w[k]) * a[b * 32 + k];
        acc += static_cast<float>(sum) * (scale * ad[b]);
      }
      out[t * out_stride + i] = acc;
    }
  }
}

}  // namespace

void gemm_i8_scalar(const RowRange& rows, const Int8Rows& x, float* out, int64_t out_stride, void* /*scratch*/) {
  gemm_scalar(rows, x, out, out_stride);
}

void gemm_i16_scalar(const RowRange& rows, const QuantizedRows& x, float* out, int64_t out_stride, void* /*scratch*/) {
  gemm_scalar(rows, x, out, out_stride);
}

}  // namespace tally::backend::cpu::fast
