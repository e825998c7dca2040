#pragma once
// Reference decoding of one matrix row to f32, for every DType. Slow and simple on purpose: tests use it to prove
// both file formats give the same numbers, and backends can check their fast kernels against it.
#include <cstdint>

#include "model/weights.h"

namespace tally::loader {

// E2M1 code (0..15) -> value: 0, 0.5, 1, 1.5, 2, 3, 4, 6 and the same negated for codes 8..15.
float e2m1_value(uint8_t code);
// E8M0 scale byte -> 2^(e - 127).
float e8m0_value(uint8_t e);

// Writes m.cols floats for row `r` of matrix `e`.
void dequantize_row(const model::WeightMatrix& m, int64_t e, int64_t r, float* out);

}  // namespace tally::loader
