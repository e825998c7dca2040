#include <algorithm>
#include <cmath>
#include <vector>

#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/dequant.h"

namespace tally::backend::cpu {

float dot_f32(const float* a, const float* b, int64_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int l = 0; l < 8; ++l) acc[l] += a[i + l] * b[i + l];
  }
  for (; i < n; ++i) acc[i & 7] += a[i] * b[i];
  return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
}

float swiglu_clamped(float gate, float up, float limit) {
  gate = std::min(gate, limit);
  up = std::clamp(up, -limit, limit);
  const float glu = gate / (1.0f + std::exp(-1.702f * gate));
  return glu * (up + 1.0f);
}

void linear_exact(ThreadPool& pool, const model::WeightMatrix& w, int64_t matrix, std::span<const float> b,
                  const Act& x, const Act& out) {
  const int64_t rows = w.rows;
  const int64_t cols = w.cols;
  const int64_t n = x.rows;
  // A task decodes a block of weight rows once and multiplies it with every token row.
  const int64_t block = n > 1 ? 8 : 16;
  const int64_t n_tasks = (rows + block - 1) / block;
  std::vector<std::vector<float>> scratch(pool.size());
  pool.parallel_for(n_tasks, [&](int64_t task, int thread) {
    auto& buf = scratch[thread];
    if (buf.size() < static_cast<size_t>(block * cols)) buf.resize(block * cols);
    const int64_t r0 = task * block;
    const int64_t r1 = std::min(rows, r0 + block);
    for (int64_t r = r0; r < r1; ++r) dequantize_row(w, matrix, r, buf.data() + (r - r0) * cols);
    for (int64_t t = 0; t < n; ++t) {
      const float* xt = x.data + t * x.cols;
      float* ot = out.data + t * out.cols;
      for (int64_t r = r0; r < r1; ++r) {
        float v = dot_f32(buf.data() + (r - r0) * cols, xt, cols);
        if (!b.empty()) v += b[r];
        ot[r] = v;
      }
    }
  });
}

}  // namespace tally::backend::cpu
