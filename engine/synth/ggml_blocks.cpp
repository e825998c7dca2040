#include "synth/ggml_blocks.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace tally::synth {

uint16_t f32_to_f16(float v) {
  const uint32_t x = std::bit_cast<uint32_t>(v);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t abs = x & 0x7FFFFFFFu;
  if (abs >= 0x7F800000u) return static_cast<uint16_t>(sign | (abs > 0x7F800000u ? 0x7E00u : 0x7C00u));
  if (abs >= 0x477FF000u) return static_cast<uint16_t>(sign | 0x7C00u);  // rounds past 65504: infinity
  if (abs < 0x38800000u) {
    // Subnormal half (or zero): the value in units of 2^-24, rounded to nearest even by the FPU.
    const float scaled = std::bit_cast<float>(abs) * 16777216.f;
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(std::nearbyint(scaled)));
  }
  // Normal: rebias the exponent and round the 13 dropped mantissa bits to nearest even.
  const uint32_t mant_round = ((abs >> 13) & 1u) + 0xFFFu;
  return static_cast<uint16_t>(sign | ((abs + mant_round - 0x38000000u) >> 13));
}

void encode_q8_0(const float* x, uint8_t* out) {
  float amax = 0.f;
  for (int j = 0; j < kQ8Block; ++j) amax = std::max(amax, std::fabs(x[j]));
  const float d = amax / 127.f;
  const float id = d != 0.f ? 1.f / d : 0.f;
  const uint16_t h = f32_to_f16(d);
  out[0] = static_cast<uint8_t>(h & 0xFF);
  out[1] = static_cast<uint8_t>(h >> 8);
  for (int j = 0; j < kQ8Block; ++j) {
    // roundf (half away from zero) without a libm call: |x * id| <= 127, so adding 0.5 in double is exact.
    const float v = x[j] * id;
    const int q = static_cast<int>(static_cast<double>(v) + (v < 0.f ? -0.5 : 0.5));
    out[2 + j] = static_cast<uint8_t>(static_cast<int8_t>(q));
  }
}

void encode_mxfp4(uint8_t scale, const uint8_t* hf, uint8_t* out) {
  auto nibble = [hf](int e) { return static_cast<uint8_t>((hf[e >> 1] >> ((e & 1) * 4)) & 0x0F); };
  out[0] = scale;
  for (int i = 0; i < 16; ++i) out[1 + i] = static_cast<uint8_t>(nibble(i) | (nibble(i + 16) << 4));
}

}  // namespace tally::synth
