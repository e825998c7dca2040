#pragma once
// The fast path's linear op with an explicit kernel set, so tests can run the scalar and SIMD sets side by side.
// linear_fast (cpu_ops.h) is this with fast::active_kernels().
#include <cstdint>
#include <span>

#include "backend/backend.h"
#include "backend/cpu/fast_kernels.h"
#include "backend/cpu/thread_pool.h"
#include "model/weights.h"

namespace tally::backend::cpu {

// One output of a batch of linear ops (an expert's gate and up projections, or every routed expert's). `x` and
// `matrix` are the job's own input and matrix of the stack in linear_fast_jobs; linear_fast_batch sets them.
struct FastLinearJob {
  const model::WeightMatrix* w = nullptr;
  std::span<const float> b;
  Act out;
  int64_t matrix = 0;
  Act x{};
};

// Runs every job against its own input with one pool loop when the jobs share a weight type and width (otherwise job
// by job); jobs that share an input (the same x.data) share its quantization.
void linear_fast_jobs(const fast::KernelSet& kernels, ThreadPool& pool, std::span<FastLinearJob> jobs);

// Runs every job against x (matrix `matrix` of each stack) with one activation quantization and one pool loop, when
// the jobs share a weight type and width; otherwise job by job.
void linear_fast_batch(const fast::KernelSet& kernels, ThreadPool& pool, std::span<const FastLinearJob> jobs,
                       int64_t matrix, const Act& x);

void linear_fast_with(const fast::KernelSet& kernels, ThreadPool& pool, const model::WeightMatrix& w,
                      int64_t matrix, std::span<const float> b, const Act& x, const Act& out);

}  // namespace tally::backend::cpu
