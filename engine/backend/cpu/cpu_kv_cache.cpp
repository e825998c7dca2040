#include "backend/cpu/cpu_kv_cache.h"

#include <algorithm>
#include <cstring>
#include <string>

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

namespace {

// The sliding-layer rows of positions [first, position), K then V per sliding layer, as stored (f32 or f16).
class CpuKvCheckpoint final : public KvCheckpoint {
 public:
  CpuKvCheckpoint(int64_t position, int64_t first, std::vector<uint8_t> data)
      : position_(position), first_(first), data_(std::move(data)) {}
  int64_t position() const override { return position_; }
  uint64_t bytes() const override { return data_.size(); }
  int64_t first() const { return first_; }
  const std::vector<uint8_t>& data() const { return data_; }

 private:
  int64_t position_;
  int64_t first_;
  std::vector<uint8_t> data_;
};

}  // namespace

bool CpuKvCache::rings_hold(int64_t n) const {
  for (const Layer& layer : layers_) {
    if (!layer.sliding) continue;
    // Position p lives in slot p % slots until p + slots is written. Resuming at n needs [n - window, n).
    const int64_t oldest_kept = std::max<int64_t>(valid_from_, size_ - layer.slots);
    if (std::max<int64_t>(0, n - window_) < std::max<int64_t>(0, oldest_kept)) return false;
  }
  return true;
}

bool CpuKvCache::truncate(int64_t n) {
  if (n >= size_) return true;
  if (!rings_hold(n)) return false;
  size_ = n;
  return true;
}

Result<std::unique_ptr<KvCheckpoint>> CpuKvCache::save_checkpoint(int64_t position) const {
  if (position < 0 || position > size_) {
    return make_error("checkpoint at position " + std::to_string(position) + " is past the " +
                      std::to_string(size_) + " cached positions");
  }
  if (!rings_hold(position)) {
    return make_error("the sliding layers no longer hold the window before position " + std::to_string(position));
  }
  const int64_t first = std::max<int64_t>(0, position - window_);
  const size_t row = static_cast<size_t>(width_ * elem_);
  size_t sliding = 0;
  for (const Layer& layer : layers_) sliding += layer.sliding ? 1 : 0;
  std::vector<uint8_t> data(sliding * 2 * static_cast<size_t>(position - first) * row);
  uint8_t* out = data.data();
  for (int l = 0; l < static_cast<int>(layers_.size()); ++l) {
    if (!layers_[l].sliding) continue;
    for (int64_t p = first; p < position; ++p, out += row) std::memcpy(out, k_row(l, p), row);
    for (int64_t p = first; p < position; ++p, out += row) std::memcpy(out, v_row(l, p), row);
  }
  return std::unique_ptr<KvCheckpoint>(std::make_unique<CpuKvCheckpoint>(position, first, std::move(data)));
}

Result<void> CpuKvCache::restore_checkpoint(const KvCheckpoint& checkpoint) {
  const auto* cp = dynamic_cast<const CpuKvCheckpoint*>(&checkpoint);
  if (!cp) return make_error("the checkpoint was not made by a CPU KV cache");
  const int64_t position = cp->position();
  if (position > size_) {
    return make_error("checkpoint at position " + std::to_string(position) + " is past the " +
                      std::to_string(size_) + " cached positions");
  }
  const size_t row = static_cast<size_t>(width_ * elem_);
  size_t sliding = 0;
  for (const Layer& layer : layers_) sliding += layer.sliding ? 1 : 0;
  if (cp->data().size() != sliding * 2 * static_cast<size_t>(position - cp->first()) * row) {
    return make_error("the checkpoint does not match this cache's layout");
  }
  const uint8_t* in = cp->data().data();
  for (int l = 0; l < static_cast<int>(layers_.size()); ++l) {
    if (!layers_[l].sliding) continue;
    for (int64_t p = cp->first(); p < position; ++p, in += row) std::memcpy(k_row(l, p), in, row);
    for (int64_t p = cp->first(); p < position; ++p, in += row) std::memcpy(v_row(l, p), in, row);
  }
  size_ = position;
  valid_from_ = cp->first();
  return {};
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

const void* CpuKvCache::k_row(int layer, int64_t position) const {
  const Layer& l = layers_[layer];
  return l.k.get() + (position % l.slots) * width_ * elem_;
}

const void* CpuKvCache::v_row(int layer, int64_t position) const {
  const Layer& l = layers_[layer];
  return l.v.get() + (position % l.slots) * width_ * elem_;
}

}  // namespace tally::backend::cpu
