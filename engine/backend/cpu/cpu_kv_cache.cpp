#include "backend/cpu/cpu_kv_cache.h"

#include <algorithm>

namespace tally::backend::cpu {

CpuKvCache::CpuKvCache(const model::ModelConfig& config, int64_t n_ctx, KvType type)
    : n_ctx_(n_ctx),
      width_(config.kv_width()),
      elem_(type == KvType::F32 ? 4 : 2),
      window_(config.sliding_window),
      type_(type) {
  layers_.resize(config.n_layers);
  for (int l = 0; l < config.n_layers; ++l) {
    Layer& layer = layers_[l];
    layer.sliding = config.layer_sliding[l] && config.sliding_window > 0;
    layer.slots = layer.sliding ? std::min<int64_t>(n_ctx, window_ + kSlack) : n_ctx;
    layer.bytes = static_cast<size_t>(layer.slots * width_ * elem_);
    layer.k.reset(new uint8_t[layer.bytes]);
    layer.v.reset(new uint8_t[layer.bytes]);
  }
}

bool CpuKvCache::truncate(int64_t n) {
  if (n >= size_) return true;
  for (const Layer& layer : layers_) {
    if (!layer.sliding) continue;
    // Position p lives in slot p % slots until p + slots is written. Resuming at n needs [n - window, n).
    const int64_t oldest_kept = std::max<int64_t>(0, size_ - layer.slots);
    if (std::max<int64_t>(0, n - window_) < oldest_kept) return false;
  }
  size_ = n;
  return true;
}

uint64_t CpuKvCache::bytes() const {
  uint64_t total = 0;
  for (const Layer& layer : layers_) total += 2 * layer.bytes;
  return total;
}

void* CpuKvCache::k_row(int layer, int64_t position) {
  Layer& l = layers_[layer];
  return l.k.get() + (position % l.slots) * width_ * elem_;
}

void* CpuKvCache::v_row(int layer, int64_t position) {
  Layer& l = layers_[layer];
  return l.v.get() + (position % l.slots) * width_ * elem_;
}

}  // namespace tally::backend::cpu
