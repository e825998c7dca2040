#pragma once
// What the Vulkan tests share: skipping without a device, and moving host data in and out of any backend through
// the op interface alone (embed from an f32 table puts rows into an Act; read_rows takes them back).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <random>
#include <vector>

#include "backend/backend.h"
#include "backend/vulkan/vulkan_backend.h"

#define REQUIRE_VULKAN()                                                                       \
  do {                                                                                         \
    if (!::tally::backend::vulkan_probe().usable)                                              \
      GTEST_SKIP() << "no Vulkan device: " << ::tally::backend::vulkan_probe().reason;         \
  } while (0)

namespace tally::testing {

inline model::WeightMatrix f32_table(const std::vector<float>& data, int64_t rows, int64_t cols) {
  model::WeightMatrix w;
  w.name = "test.table";
  w.type = model::DType::F32;
  w.rows = rows;
  w.cols = cols;
  w.data = reinterpret_cast<const uint8_t*>(data.data());
  w.row_stride = static_cast<size_t>(cols) * 4;
  w.mat_stride = w.row_stride * static_cast<size_t>(rows);
  return w;
}

// An Act holding `data` (rows x cols), in the backend's memory.
inline backend::Act put(backend::Backend& b, const std::vector<float>& data, int64_t rows, int64_t cols) {
  backend::Act a = b.alloc(rows, cols);
  std::vector<int32_t> ids(static_cast<size_t>(rows));
  std::iota(ids.begin(), ids.end(), 0);
  b.embed(f32_table(data, rows, cols), ids, a);
  return a;
}

inline std::vector<float> get(backend::Backend& b, backend::Act a) {
  std::vector<float> out(static_cast<size_t>(a.rows * a.cols));
  b.read_rows(a, 0, a.rows, out.data());
  return out;
}

inline std::vector<float> random_floats(size_t n, uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-scale, scale);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

// Largest |a - b| / (1 + |b|); prints where it is when it exceeds `report` (NaN counts as 1e30).
inline double max_rel_diff(const std::vector<float>& a, const std::vector<float>& b, double report = 1e-4) {
  double worst = 0;
  size_t at = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    double d = std::abs(static_cast<double>(a[i]) - b[i]) / (1.0 + std::abs(static_cast<double>(b[i])));
    if (d != d) d = 1e30;
    if (d > worst) {
      worst = d;
      at = i;
    }
  }
  if (worst > report && at < a.size()) std::printf("  worst at %zu: %g vs %g\n", at, a[at], b[at]);
  return a.size() == b.size() ? worst : 1e30;
}

}  // namespace tally::testing
