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

void linear_fast_with(const fast::KernelSet& kernels, ThreadPool& pool, const model::WeightMatrix& w,
                      int64_t matrix, std::span<const float> b, const Act& x, const Act& out);

}  // namespace tally::backend::cpu
