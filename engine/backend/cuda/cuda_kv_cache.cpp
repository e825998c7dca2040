#include "backend/cuda/cuda_kv_cache.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>

namespace tally::backend::cuda {

CudaKvCache::CudaKvCache(const model::ModelConfig& config, int64_t n_ctx, KvType type)
    : n_ctx_(n_ctx), window_(config.sliding_window) {
  const bool f16 = type == KvType::F16;
  const int64_t width = config.kv_width();
  const int64_t elem = f16 ? 2 : 4;
  uint64_t needed = 0;
  for (int l = 0; l < config.n_layers; ++l) {
    const bool sliding = config.layer_sliding[static_cast<size_t>(l)] && config.sliding_window > 0;
    const int64_t slots = sliding ? std::min<int64_t>(n_ctx, window_ + kSlack) : n_ctx;
    sliding_.push_back(sliding);
    KvLayerView v;
    v.slots = slots;
    v.width = width;
    v.f16 = f16;
    layers_.push_back(v);
    needed += static_cast<uint64_t>(2 * slots * width * elem);
  }
  size_t free_bytes = 0, total_bytes = 0;
  cudaMemGetInfo(&free_bytes, &total_bytes);
  for (KvLayerView& v : layers_) {
    const size_t bytes = static_cast<size_t>(v.slots * width * elem);
    if (cudaMalloc(&v.k, bytes) != cudaSuccess || cudaMalloc(&v.v, bytes) != cudaSuccess) {
      cudaGetLastError();
      char buf[256];
      std::snprintf(buf, sizeof buf,
                    "CUDA: a %lld-token KV cache needs %.2f GiB of GPU memory but %.2f GiB was free; use a smaller "
                    "context",
                    static_cast<long long>(n_ctx), static_cast<double>(needed) / (1 << 30),
                    static_cast<double>(free_bytes) / (1 << 30));
      error_ = buf;
      std::fprintf(stderr, "%s\n", buf);
      break;
    }
    bytes_ += 2 * bytes;
  }
}

CudaKvCache::~CudaKvCache() {
  for (KvLayerView& v : layers_) {
    cudaFree(v.k);
    cudaFree(v.v);
  }
}

bool CudaKvCache::truncate(int64_t n) {
  if (n >= size_) return true;
  for (size_t l = 0; l < layers_.size(); ++l) {
    if (!sliding_[l]) continue;
    const int64_t oldest_kept = std::max<int64_t>(0, size_ - layers_[l].slots);
    if (std::max<int64_t>(0, n - window_) < oldest_kept) return false;
  }
  size_ = n;
  return true;
}

}  // namespace tally::backend::cuda
