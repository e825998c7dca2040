#include "backend/cpu/dequant.h"

#include <cassert>
#include <cmath>
#include <limits>

namespace tally::backend::cpu {

const float kE2M1[16] = {0.f, 0.5f, 1.f, 1.5f, 2.f, 3.f, 4.f, 6.f,
                         -0.f, -0.5f, -1.f, -1.5f, -2.f, -3.f, -4.f, -6.f};

float f16_to_f32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      int e = -1;
      do {
        ++e;
        mant <<= 1;
      } while ((mant & 0x400u) == 0);
      mant &= 0x3ffu;
      bits = sign | (static_cast<uint32_t>(127 - 15 - e) << 23) | (mant << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t f32_to_f16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t abs = x & 0x7fffffffu;
  if (abs >= 0x7f800000u) return static_cast<uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u : 0));
  if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // overflow to inf
  if (abs < 0x38800000u) {  // subnormal or zero in f16
    const float a = std::fabs(f) * 16777216.f;  // scale by 2^24: f16 subnormal unit is 2^-24
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(std::nearbyint(a)));
  }
  uint32_t mant = abs & 0x7fffffu;
  uint32_t exp = (abs >> 23) - 127 + 15;
  uint32_t half = (exp << 10) | (mant >> 13);
  const uint32_t rest = mant & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;
  return static_cast<uint16_t>(sign | half);
}

float e8m0_to_f32(uint8_t e) {
  if (e == 255) return std::numeric_limits<float>::quiet_NaN();
  return std::ldexp(1.0f, static_cast<int>(e) - 127);
}

namespace {

uint16_t load_u16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}

void decode_q8_0_block(const uint8_t* block, float* out) {
  const float d = f16_to_f32(load_u16(block));
  const auto* q = reinterpret_cast<const int8_t*>(block + 2);
  for (int i = 0; i < 32; ++i) out[i] = d * static_cast<float>(q[i]);
}

void decode_mxfp4_block(const uint8_t* block, float* out) {
  const float d = e8m0_to_f32(block[0]);
  const uint8_t* q = block + 1;
  for (int i = 0; i < 16; ++i) {
    out[i] = kE2M1[q[i] & 0xf] * d;
    out[i + 16] = kE2M1[q[i] >> 4] * d;
  }
}

void decode_mxfp4_split_block(const uint8_t* q, uint8_t scale, float* out) {
  const float d = e8m0_to_f32(scale);
  for (int i = 0; i < 16; ++i) {
    out[2 * i] = kE2M1[q[i] & 0xf] * d;
    out[2 * i + 1] = kE2M1[q[i] >> 4] * d;
  }
}

}  // namespace

void dequantize_span(const model::WeightMatrix& w, int64_t e, int64_t r, int64_t c0, int64_t n, float* out) {
  const uint8_t* row = w.row(e, r);
  switch (w.type) {
    case model::DType::F32:
      std::memcpy(out, row + c0 * 4, static_cast<size_t>(n) * 4);
      break;
    case model::DType::F16:
      for (int64_t i = 0; i < n; ++i) out[i] = f16_to_f32(load_u16(row + (c0 + i) * 2));
      break;
    case model::DType::BF16:
      for (int64_t i = 0; i < n; ++i) out[i] = bf16_to_f32(load_u16(row + (c0 + i) * 2));
      break;
    case model::DType::Q8_0:
      assert(c0 % 32 == 0 && n % 32 == 0);
      for (int64_t b = 0; b < n / 32; ++b) decode_q8_0_block(row + (c0 / 32 + b) * 34, out + b * 32);
      break;
    case model::DType::MXFP4:
      assert(c0 % 32 == 0 && n % 32 == 0);
      for (int64_t b = 0; b < n / 32; ++b) decode_mxfp4_block(row + (c0 / 32 + b) * 17, out + b * 32);
      break;
    case model::DType::MXFP4_SPLIT: {
      assert(c0 % 32 == 0 && n % 32 == 0);
      const uint8_t* scales = w.scales + e * w.scale_mat_stride + r * w.scale_row_stride;
      for (int64_t b = 0; b < n / 32; ++b) {
        const int64_t blk = c0 / 32 + b;
        decode_mxfp4_split_block(row + blk * 16, scales[blk], out + b * 32);
      }
      break;
    }
  }
}

void dequantize_row(const model::WeightMatrix& w, int64_t e, int64_t r, float* out) {
  dequantize_span(w, e, r, 0, w.cols, out);
}

}  // namespace tally::backend::cpu
