// Attention with gpt-oss's learned sinks and sliding window over the host KV cache.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "backend/cpu/cpu_kv_cache.h"
#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/dequant.h"

namespace tally::backend::cpu {

namespace {

void store_row(CpuKvCache& kv, void* dst, const float* src, int64_t n) {
  if (kv.type() == KvType::F32) {
    std::memcpy(dst, src, static_cast<size_t>(n) * 4);
  } else {
    auto* h = static_cast<uint16_t*>(dst);
    for (int64_t i = 0; i < n; ++i) h[i] = f32_to_f16(src[i]);
  }
}

// Reads head `h` (head_dim values) of a cached row into f32.
inline const float* load_head(const CpuKvCache& kv, const void* row, int64_t offset, int64_t dim, float* tmp) {
  if (kv.type() == KvType::F32) return static_cast<const float*>(row) + offset;
  const auto* h = static_cast<const uint16_t*>(row) + offset;
  for (int64_t i = 0; i < dim; ++i) tmp[i] = f16_to_f32(h[i]);
  return tmp;
}

}  // namespace

void attention_cpu(ThreadPool& pool, CpuKvCache& kv, int layer, const Act& q, const Act& k, const Act& v,
                   std::span<const int32_t> positions, std::span<const float> sinks,
                   const model::ModelConfig& config, const Act& out) {
  const int64_t n = q.rows;
  const int n_heads = config.n_heads;
  const int group = config.n_heads / config.n_kv_heads;
  const int64_t dim = config.head_dim;
  const int64_t width = config.kv_width();
  const bool sliding = kv.sliding(layer);
  const int64_t window = sliding ? config.sliding_window : 0;
  const float scale = 1.0f / std::sqrt(static_cast<float>(dim));

  // A sliding layer's ring holds window + slack slots: store and attend in chunks so a chunk never overwrites
  // positions an earlier token of the same chunk still needs.
  // A ring as large as the whole context (context <= window + slack) never wraps: one chunk.
  const bool wraps = sliding && kv.slots(layer) < kv.capacity();
  const int64_t chunk = wraps ? std::max<int64_t>(1, kv.slots(layer) - window) : n;
  std::vector<std::vector<float>> scratch(pool.size());
  for (int64_t c0 = 0; c0 < n; c0 += chunk) {
    const int64_t c1 = std::min(n, c0 + chunk);
    for (int64_t t = c0; t < c1; ++t) {
      store_row(kv, kv.k_row(layer, positions[t]), k.data + t * k.cols, width);
      store_row(kv, kv.v_row(layer, positions[t]), v.data + t * v.cols, width);
    }
    pool.parallel_for((c1 - c0) * n_heads, [&](int64_t task, int thread) {
      const int64_t t = c0 + task / n_heads;
      const int h = static_cast<int>(task % n_heads);
      const int kvh = h / group;
      const int64_t pos = positions[t];
      const int64_t first = sliding ? std::max<int64_t>(0, pos - window + 1) : 0;
      const int64_t count = pos - first + 1;
      auto& buf = scratch[thread];
      buf.resize(static_cast<size_t>(count + 2 * dim));
      float* scores = buf.data();
      float* tmp = buf.data() + count;
      float* acc = tmp + dim;
      const float* qh = q.data + t * q.cols + h * dim;
      float max_score = sinks[h];
      for (int64_t j = 0; j < count; ++j) {
        const float* kh = load_head(kv, kv.k_row(layer, first + j), kvh * dim, dim, tmp);
        scores[j] = dot_f32(qh, kh, dim) * scale;
        max_score = std::max(max_score, scores[j]);
      }
      // Softmax over the scores and the sink; the sink's share is dropped, not renormalised.
      double denom = std::exp(static_cast<double>(sinks[h]) - max_score);
      for (int64_t j = 0; j < count; ++j) {
        scores[j] = std::exp(scores[j] - max_score);
        denom += scores[j];
      }
      const float inv = static_cast<float>(1.0 / denom);
      std::fill(acc, acc + dim, 0.0f);
      for (int64_t j = 0; j < count; ++j) {
        const float* vh = load_head(kv, kv.v_row(layer, first + j), kvh * dim, dim, tmp);
        const float p = scores[j] * inv;
        for (int64_t d = 0; d < dim; ++d) acc[d] += p * vh[d];
      }
      std::memcpy(out.data + t * out.cols + h * dim, acc, static_cast<size_t>(dim) * 4);
    });
  }
}

}  // namespace tally::backend::cpu
