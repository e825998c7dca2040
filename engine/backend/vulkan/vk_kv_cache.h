#pragma once
// The KV cache in device memory, laid out like the CPU's (full layers: a slot per position; sliding layers: a ring of
// window + slack slots), f16 or f32.
#include <cstdint>
#include <vector>

#include "backend/backend.h"
#include "backend/vulkan/vk_device.h"
#include "model/config.h"

namespace tally::backend::vk {

class VkKvCache final : public KvCache {
 public:
  static constexpr int64_t kSlack = 256;  // as the CPU cache: rollback and batch room on sliding layers

  VkKvCache(Device& device, const model::ModelConfig& config, int64_t n_ctx, KvType type);
  ~VkKvCache() override;

  int64_t capacity() const override { return n_ctx_; }
  int64_t size() const override { return size_; }
  bool truncate(int64_t n) override;
  void clear() override { size_ = 0; }
  void set_size(int64_t n) override { size_ = n; }
  uint64_t bytes() const override { return bytes_; }

  bool f16() const { return f16_; }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  int64_t slots(int layer) const { return layers_[layer].slots; }
  bool sliding(int layer) const { return layers_[layer].sliding; }
  const Buffer& k(int layer) const { return layers_[layer].k; }
  const Buffer& v(int layer) const { return layers_[layer].v; }

 private:
  struct Layer {
    bool sliding = false;
    int64_t slots = 0;
    Buffer k, v;
  };
  Device& device_;
  std::vector<Layer> layers_;
  int64_t n_ctx_;
  int64_t window_;
  int64_t size_ = 0;
  uint64_t bytes_ = 0;
  bool f16_;
  std::string error_;
};

}  // namespace tally::backend::vk
