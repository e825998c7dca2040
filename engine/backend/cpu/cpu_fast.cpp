// The CPU fast path's linear op: block-quantized weights against activations quantized once per call to int16
// blocks, float weights against f32 activations; output rows split across the pool in tasks large enough to stream.
#include <algorithm>
#include <vector>

#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/fast_kernels.h"
#include "backend/cpu/fast_linear.h"

namespace tally::backend::cpu {

namespace {

// Rows per task. Decode streams each row once, so tasks are long enough for the hardware prefetchers to run ahead
// (32 rows of Q8_0 at 2880 columns ~ 98 KB); prefill tasks are shorter because each row's work is multiplied by
// the number of tokens.
int64_t rows_per_task(int64_t tokens) { return tokens < 3 ? 32 : 8; }

std::vector<uint8_t>& thread_scratch(int64_t bytes) {
  thread_local std::vector<uint8_t> scratch;
  if (scratch.size() < static_cast<size_t>(bytes)) scratch.resize(static_cast<size_t>(bytes));
  return scratch;
}

}  // namespace

void linear_fast_with(const fast::KernelSet& kernels, ThreadPool& pool, const model::WeightMatrix& w,
                      int64_t matrix, std::span<const float> b, const Act& x, const Act& out) {
  const int64_t rows = w.rows;
  const int64_t cols = w.cols;
  const int64_t n = x.rows;
  if (n <= 0 || rows <= 0) return;
  const bool quantized = fast::is_block_quantized(w.type);
  if (quantized && cols % 32 != 0) {  // not a valid block type shape; the exact kernel copes with anything
    linear_exact(pool, w, matrix, b, x, out);
    return;
  }

  // Activations are quantized once per call, in the order the weight type's nibbles unpack to.
  thread_local std::vector<int16_t> act_q;
  thread_local std::vector<float> act_d;
  fast::QuantizedRows qx;
  if (quantized) {
    const int64_t blocks = cols / 32;
    act_q.resize(static_cast<size_t>(n * cols));
    act_d.resize(static_cast<size_t>(n * blocks));
    qx = {act_q.data(), act_d.data(), n, blocks};
    const fast::BlockOrder order = fast::block_order(w.type);
    // Plain pointers: inside the lambda a thread_local name would mean the worker's own (empty) buffer.
    int16_t* q = act_q.data();
    float* d = act_d.data();
    auto quantize = [&](int64_t t, int) {
      kernels.quantize_row(x.data + t * x.cols, cols, order, q + t * cols, d + t * blocks);
    };
    if (n >= 8) {
      pool.parallel_for(n, quantize);
    } else {
      for (int64_t t = 0; t < n; ++t) quantize(t, 0);
    }
  }

  const int64_t chunk = rows_per_task(n);
  const int64_t n_tasks = (rows + chunk - 1) / chunk;
  pool.parallel_for(n_tasks, [&](int64_t task, int) {
    const int64_t r0 = task * chunk;
    const int64_t nr = std::min(chunk, rows - r0);
    auto& scratch = thread_scratch(fast::scratch_bytes(nr, cols));
    const fast::RowRange range{&w, matrix, r0, nr};
    float* dst = out.data + r0;
    if (quantized) {
      kernels.matmul_quantized(range, qx, dst, out.cols, scratch.data());
    } else {
      kernels.matmul_float(range, x.data, n, x.cols, dst, out.cols, scratch.data());
    }
    if (!b.empty()) {
      for (int64_t t = 0; t < n; ++t) {
        for (int64_t i = 0; i < nr; ++i) dst[t * out.cols + i] += b[r0 + i];
      }
    }
  });
}

void linear_fast(ThreadPool& pool, const model::WeightMatrix& w, int64_t matrix, std::span<const float> b,
                 const Act& x, const Act& out) {
  linear_fast_with(fast::active_kernels(), pool, w, matrix, b, x, out);
}

}  // namespace tally::backend::cpu
