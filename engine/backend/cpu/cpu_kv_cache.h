#pragma once
// Host-memory KV cache: full layers keep a slot per position; sliding layers a ring of window + slack slots.
#include <cstdint>
#include <memory>
#include <vector>

#include "backend/backend.h"
#include "model/config.h"

namespace tally::backend::cpu {

class CpuKvCache final : public KvCache {
 public:
  // Extra ring slots beyond the window on sliding layers: lets a batch of up to kSlack tokens be stored before it
  // attends, and a rollback of up to kSlack tokens keep the sliding layers' history.
  static constexpr int64_t kSlack = 256;

  CpuKvCache(const model::ModelConfig& config, int64_t n_ctx, KvType type);

  int64_t capacity() const override { return n_ctx_; }
  int64_t size() const override { return size_; }
  bool truncate(int64_t n) override;
  void clear() override {
    size_ = 0;
    valid_from_ = 0;
  }
  uint64_t bytes() const override;
  Result<std::unique_ptr<KvCheckpoint>> save_checkpoint(int64_t position) const override;
  Result<void> restore_checkpoint(const KvCheckpoint& checkpoint) override;

  KvType type() const { return type_; }
  int64_t slots(int layer) const { return layers_[layer].slots; }
  bool sliding(int layer) const { return layers_[layer].sliding; }
  int64_t row_width() const { return width_; }
  // Pointers to the K or V row of `position` in `layer` (f32 or f16 by type()).
  void* k_row(int layer, int64_t position);
  void* v_row(int layer, int64_t position);
  const void* k_row(int layer, int64_t position) const;
  const void* v_row(int layer, int64_t position) const;
  void set_size(int64_t n) override { size_ = n; }

 private:
  struct Layer {
    bool sliding = false;
    int64_t slots = 0;
    // Uninitialised on purpose: untouched pages of a large context cost no memory until used.
    std::unique_ptr<uint8_t[]> k, v;
    size_t bytes = 0;
  };
  std::vector<Layer> layers_;
  int64_t n_ctx_;
  int64_t width_;  // n_kv_heads * head_dim
  int64_t elem_;   // bytes per element
  int64_t window_;
  int64_t size_ = 0;
  // Sliding rings hold positions [max(valid_from_, size_ - slots), size_). A restore writes back only the
  // window before its position, so older slots may hold other data until they are overwritten.
  int64_t valid_from_ = 0;
  KvType type_;

  // Whether every sliding ring still holds what resuming at `n` needs: positions [n - window, n).
  bool rings_hold(int64_t n) const;
};

}  // namespace tally::backend::cpu
