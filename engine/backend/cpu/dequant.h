#pragma once
// Exact decoding of every weight type to f32. Every format here decodes without rounding (F16, BF16, Q8_0's
// f16 scale times int8, MXFP4's E2M1 times a power of two), so the same model stored as GGUF F16 or HF BF16 decodes
// to the same floats and gives the same logits bit for bit.
#include <cstdint>
#include <cstring>

#include "model/weights.h"

namespace tally::backend::cpu {

inline float bf16_to_f32(uint16_t h) {
  uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float f16_to_f32(uint16_t h);
uint16_t f32_to_f16(float f);  // round to nearest even

// E2M1 code (0..15) -> value.
extern const float kE2M1[16];
// E8M0 scale byte -> 2^(e-127) (NaN for 255).
float e8m0_to_f32(uint8_t e);

// Decodes row r of matrix e into out[0 .. w.cols).
void dequantize_row(const model::WeightMatrix& w, int64_t e, int64_t r, float* out);
// Decodes elements [c0, c0 + n) of one row (c0 and n multiples of the block size for block types).
void dequantize_span(const model::WeightMatrix& w, int64_t e, int64_t r, int64_t c0, int64_t n, float* out);

}  // namespace tally::backend::cpu
