#pragma once
// The KV cache in GPU memory (f16 or f32), with the CPU cache's layout rules: full layers keep a slot per
// position, sliding layers a ring of window + slack slots.
#include <cstdint>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/cuda/cuda_ops.h"
#include "model/config.h"

namespace tally::backend::cuda {

class CudaKvCache final : public KvCache {
 public:
  static constexpr int64_t kSlack = 256;

  // On out-of-memory the cache holds nothing, reports capacity 0 (so a session refuses every input with a clear
  // message) and error() says what was needed and what was free.
  CudaKvCache(const model::ModelConfig& config, int64_t n_ctx, KvType type);
  ~CudaKvCache() override;
  CudaKvCache(const CudaKvCache&) = delete;
  CudaKvCache& operator=(const CudaKvCache&) = delete;

  int64_t capacity() const override { return error_.empty() ? n_ctx_ : 0; }
  int64_t size() const override { return size_; }
  bool truncate(int64_t n) override;
  void clear() override { size_ = 0; }
  void set_size(int64_t n) override { size_ = n; }
  uint64_t bytes() const override { return bytes_; }

  const std::string& error() const { return error_; }
  KvLayerView layer(int l) const { return layers_[static_cast<size_t>(l)]; }
  bool sliding(int l) const { return sliding_[static_cast<size_t>(l)]; }

 private:
  std::vector<KvLayerView> layers_;
  std::vector<bool> sliding_;
  int64_t n_ctx_;
  int64_t window_;
  int64_t size_ = 0;
  uint64_t bytes_ = 0;
  std::string error_;
};

}  // namespace tally::backend::cuda
