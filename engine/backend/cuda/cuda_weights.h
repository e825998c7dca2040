#pragma once
// The model's weights in GPU memory, uploaded once: matrices repacked into the kernels' layouts (cuda_matrix.h),
// the small f32 vectors (norms, biases, sinks) copied as they are. Kernels look both up by the host object.
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "backend/cuda/cuda_matrix.h"
#include "model/weights.h"
#include "tally/result.h"

namespace tally::backend::cuda {

class DeviceWeights {
 public:
  DeviceWeights() = default;
  DeviceWeights(const DeviceWeights&) = delete;
  DeviceWeights& operator=(const DeviceWeights&) = delete;
  ~DeviceWeights();

  // Fails with the numbers (needed vs free) when the weights do not fit, or names a tensor the kernels cannot read.
  Result<void> upload(const model::ModelWeights& weights);
  // nullptr when `w` was not uploaded.
  const DevMatrix* matrix(const model::WeightMatrix& w) const;
  // The device copy of a vector uploaded with the weights; copies (and keeps) an unknown one on first use; nullptr
  // for an empty span.
  const float* vec(std::span<const float> v);
  uint64_t bytes() const { return bytes_; }

 private:
  Result<void> add_matrix(const model::WeightMatrix& w);
  Result<void> add_vec(const std::vector<float>& v);
  std::unordered_map<const model::WeightMatrix*, DevMatrix> matrices_;
  std::unordered_map<const float*, float*> vecs_;
  std::vector<void*> allocations_;
  uint64_t bytes_ = 0;
};

}  // namespace tally::backend::cuda
