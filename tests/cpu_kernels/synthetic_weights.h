#pragma once
// Random weight matrices in every stored format, and activations shaped like a transformer's (mostly Gaussian with
// a few large channels), for the kernel tests and benchmarks. Header-only so tests/bench can share it.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "backend/cpu/dequant.h"
#include "model/weights.h"

namespace tally::testing {

struct SyntheticMatrix {
  std::vector<uint8_t> data;
  std::vector<uint8_t> scales;
  model::WeightMatrix w;
};

// `count` matrices of rows x cols. With `strided`, MXFP4_SPLIT rows are every other row of a twice-as-tall plane
// (the HF gate/up interleaving), to check that kernels honour row_stride and scale_row_stride.
inline SyntheticMatrix make_matrix(model::DType type, int64_t rows, int64_t cols, int64_t count, uint32_t seed,
                                   bool strided = false) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.02f);
  SyntheticMatrix m;
  m.w.name = "synthetic";
  m.w.type = type;
  m.w.rows = rows;
  m.w.cols = cols;
  m.w.count = count;
  const int64_t stride_rows = strided ? 2 : 1;
  const size_t row_bytes = model::dtype_row_bytes(type, cols);
  m.w.row_stride = row_bytes * stride_rows;
  m.w.mat_stride = m.w.row_stride * rows;
  m.data.resize(m.w.mat_stride * count);
  for (int64_t e = 0; e < count; ++e) {
    for (int64_t r = 0; r < rows * stride_rows; ++r) {
      uint8_t* p = m.data.data() + e * m.w.mat_stride + r * row_bytes;
      for (int64_t c = 0; c < cols; ++c) {
        switch (type) {
          case model::DType::F32: {
            const float v = normal(rng);
            std::memcpy(p + c * 4, &v, 4);
            break;
          }
          case model::DType::F16: {
            const uint16_t h = backend::cpu::f32_to_f16(normal(rng));
            std::memcpy(p + c * 2, &h, 2);
            break;
          }
          case model::DType::BF16: {
            const float v = normal(rng);
            uint32_t bits;
            std::memcpy(&bits, &v, 4);
            const uint16_t h = static_cast<uint16_t>(bits >> 16);
            std::memcpy(p + c * 2, &h, 2);
            break;
          }
          default:
            break;
        }
      }
      if (type == model::DType::Q8_0) {
        for (int64_t b = 0; b < cols / 32; ++b) {
          uint8_t* blk = p + b * 34;
          const uint16_t d = backend::cpu::f32_to_f16(0.0002f + std::fabs(normal(rng)) * 0.01f);
          std::memcpy(blk, &d, 2);
          // Full int8 range, -128 included: the sign trick must cope with it.
          for (int i = 0; i < 32; ++i) blk[2 + i] = static_cast<uint8_t>(rng() & 0xff);
        }
      } else if (type == model::DType::MXFP4) {
        for (int64_t b = 0; b < cols / 32; ++b) {
          uint8_t* blk = p + b * 17;
          blk[0] = static_cast<uint8_t>(118 + rng() % 8);
          for (int i = 0; i < 16; ++i) blk[1 + i] = static_cast<uint8_t>(rng() & 0xff);
        }
      } else if (type == model::DType::MXFP4_SPLIT) {
        for (size_t i = 0; i < row_bytes; ++i) p[i] = static_cast<uint8_t>(rng() & 0xff);
      }
    }
  }
  m.w.data = m.data.data();
  if (type == model::DType::MXFP4_SPLIT) {
    const int64_t blocks = cols / 32;
    m.w.scale_row_stride = static_cast<size_t>(blocks * stride_rows);
    m.w.scale_mat_stride = m.w.scale_row_stride * rows;
    m.scales.resize(m.w.scale_mat_stride * count);
    for (auto& s : m.scales) s = static_cast<uint8_t>(118 + rng() % 8);
    m.w.scales = m.scales.data();
  }
  return m;
}

// Activations: N(0, 1) with a few channels 20x larger, like the residual stream's massive activations.
inline std::vector<float> make_activations(int64_t n, int64_t cols, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> x(static_cast<size_t>(n * cols));
  for (auto& v : x) v = normal(rng);
  for (int64_t t = 0; t < n; ++t) {
    for (int64_t c = 7; c < cols; c += 331) x[t * cols + c] *= 20.0f;
  }
  return x;
}

inline double relative_l2(const std::vector<float>& got, const std::vector<float>& want) {
  double num = 0.0, den = 0.0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double d = static_cast<double>(got[i]) - want[i];
    num += d * d;
    den += static_cast<double>(want[i]) * want[i];
  }
  return den > 0.0 ? std::sqrt(num / den) : std::sqrt(num);
}

}  // namespace tally::testing
