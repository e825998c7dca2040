#include "backend/vulkan/vk_kv_cache.h"

#include <algorithm>

namespace tally::backend::vk {

VkKvCache::VkKvCache(Device& device, const model::ModelConfig& config, int64_t n_ctx, KvType type)
    : device_(device), n_ctx_(n_ctx), window_(config.sliding_window), f16_(type == KvType::F16) {
  const int64_t width = config.kv_width();
  const int64_t elem = f16_ ? 2 : 4;
  layers_.resize(config.n_layers);
  for (int l = 0; l < config.n_layers; ++l) {
    Layer& layer = layers_[l];
    layer.sliding = config.layer_sliding[l] && config.sliding_window > 0;
    layer.slots = layer.sliding ? std::min<int64_t>(n_ctx, window_ + kSlack) : n_ctx;
    const uint64_t bytes = static_cast<uint64_t>(layer.slots * width * elem);
    for (Buffer* b : {&layer.k, &layer.v}) {
      if (!error_.empty()) break;
      auto buf = device_.create_device_buffer(bytes, "the KV cache of layer " + std::to_string(l));
      if (!buf) {
        error_ = buf.error().message;
        break;
      }
      *b = buf.value();
      bytes_ += bytes;
    }
  }
}

VkKvCache::~VkKvCache() {
  for (Layer& l : layers_) {
    device_.destroy(l.k);
    device_.destroy(l.v);
  }
}

bool VkKvCache::truncate(int64_t n) {
  if (n >= size_) return true;
  for (const Layer& layer : layers_) {
    if (!layer.sliding) continue;
    // Position p lives in slot p % slots until p + slots is written; resuming at n needs [n - window, n).
    if (std::max<int64_t>(0, n - window_) < size_ - layer.slots) return false;
  }
  size_ = n;
  return true;
}

}  // namespace tally::backend::vk
