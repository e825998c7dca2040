#pragma once
// The CPU backend's kernels, shared by its exact and fast paths. Each takes the pool it may parallelise over.
#include <cstdint>
#include <span>

#include "backend/backend.h"
#include "backend/cpu/thread_pool.h"
#include "model/weights.h"

namespace tally::backend::cpu {

class CpuKvCache;

// out = x W^T + b with exact f32 decoding and f32 accumulation (fixed order: deterministic across formats).
void linear_exact(ThreadPool& pool, const model::WeightMatrix& w, int64_t matrix, std::span<const float> b,
                  const Act& x, const Act& out);
// The fast path's linear: may quantize activations (see cpu_fast.cpp).
void linear_fast(ThreadPool& pool, const model::WeightMatrix& w, int64_t matrix, std::span<const float> b,
                 const Act& x, const Act& out);

void attention_cpu(ThreadPool& pool, CpuKvCache& kv, int layer, const Act& q, const Act& k, const Act& v,
                   std::span<const int32_t> positions, std::span<const float> sinks,
                   const model::ModelConfig& config, const Act& out);

void moe_cpu(ThreadPool& pool, bool exact, const model::LayerWeights& layer, const model::ModelConfig& config,
             const Act& x, const Routes& routes, const Act& out);

// SwiGLU with gpt-oss's clamp: gate = min(gate, limit), up = clamp(up, -limit, limit), gate * sigmoid(1.702 gate) *
// (up + 1).
float swiglu_clamped(float gate, float up, float limit);

// Dot product with 8 independent f32 lanes, summed in a fixed order.
float dot_f32(const float* a, const float* b, int64_t n);

}  // namespace tally::backend::cpu
