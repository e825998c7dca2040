#include "loader/dequantize.h"

#include <cmath>
#include <cstring>

#include "loader/half_float.h"

namespace tally::loader {

float e2m1_value(uint8_t code) {
  static constexpr float kMagnitude[8] = {0.f, 0.5f, 1.f, 1.5f, 2.f, 3.f, 4.f, 6.f};
  const float v = kMagnitude[code & 7];
  return (code & 8) ? -v : v;
}

float e8m0_value(uint8_t e) { return std::ldexp(1.f, static_cast<int>(e) - 127); }

void dequantize_row(const model::WeightMatrix& m, int64_t e, int64_t r, float* out) {
  const uint8_t* p = m.row(e, r);
  const int64_t n = m.cols;
  switch (m.type) {
    case model::DType::F32:
      std::memcpy(out, p, static_cast<size_t>(n) * 4);
      return;
    case model::DType::F16:
      for (int64_t i = 0; i < n; ++i) out[i] = f16_to_f32(load_u16(p + 2 * i));
      return;
    case model::DType::BF16:
      for (int64_t i = 0; i < n; ++i) out[i] = bf16_to_f32(load_u16(p + 2 * i));
      return;
    case model::DType::Q8_0:
      for (int64_t b = 0; b < n / 32; ++b, p += 34) {
        const float d = f16_to_f32(load_u16(p));
        for (int i = 0; i < 32; ++i) out[b * 32 + i] = d * static_cast<float>(static_cast<int8_t>(p[2 + i]));
      }
      return;
    case model::DType::MXFP4:
      // ggml block: scale byte, then byte i = element i (low nibble) | element i + 16 (high nibble).
      for (int64_t b = 0; b < n / 32; ++b, p += 17) {
        const float s = e8m0_value(p[0]);
        for (int i = 0; i < 16; ++i) {
          out[b * 32 + i] = e2m1_value(p[1 + i] & 15) * s;
          out[b * 32 + i + 16] = e2m1_value(p[1 + i] >> 4) * s;
        }
      }
      return;
    case model::DType::MXFP4_SPLIT: {
      // HF: byte i = element 2i (low nibble) | element 2i + 1 (high nibble); scales in their own plane.
      const uint8_t* scales = m.scales + e * m.scale_mat_stride + r * m.scale_row_stride;
      for (int64_t b = 0; b < n / 32; ++b, p += 16) {
        const float s = e8m0_value(scales[b]);
        for (int i = 0; i < 16; ++i) {
          out[b * 32 + 2 * i] = e2m1_value(p[i] & 15) * s;
          out[b * 32 + 2 * i + 1] = e2m1_value(p[i] >> 4) * s;
        }
      }
      return;
    }
  }
}

}  // namespace tally::loader
