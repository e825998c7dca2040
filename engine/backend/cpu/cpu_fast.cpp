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

void linear_fast_batch(const fast::KernelSet& kernels, ThreadPool& pool, std::span<const FastLinearJob> jobs,
                       int64_t matrix, const Act& x) {
  if (jobs.empty()) return;
  const model::WeightMatrix& w0 = *jobs[0].w;
  const int64_t cols = w0.cols;
  const int64_t n = x.rows;
  if (n <= 0) return;
  bool uniform = true;
  for (const auto& job : jobs) uniform = uniform && job.w->type == w0.type && job.w->cols == cols;
  const bool quantized = fast::is_block_quantized(w0.type);
  if (!uniform) {  // a single job is always uniform, so this recursion ends
    for (const auto& job : jobs) linear_fast_batch(kernels, pool, std::span<const FastLinearJob>(&job, 1), matrix, x);
    return;
  }
  if (quantized && cols % 32 != 0) {  // no valid block-type tensor has this width; the exact kernel copes anyway
    for (const auto& job : jobs) linear_exact(pool, *job.w, matrix, job.b, x, job.out);
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
    const fast::BlockOrder order = fast::block_order(w0.type);
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

  // One loop over the row chunks of every job: one pool barrier for all of them.
  const int64_t chunk = rows_per_task(n);
  std::vector<int64_t> first_task(jobs.size() + 1, 0);
  for (size_t k = 0; k < jobs.size(); ++k) {
    first_task[k + 1] = first_task[k] + (jobs[k].w->rows + chunk - 1) / chunk;
  }
  pool.parallel_for(first_task.back(), [&](int64_t task, int) {
    size_t k = 0;
    while (task >= first_task[k + 1]) ++k;
    const FastLinearJob& job = jobs[k];
    const int64_t rows = job.w->rows;
    const int64_t r0 = (task - first_task[k]) * chunk;
    const int64_t nr = std::min(chunk, rows - r0);
    auto& scratch = thread_scratch(fast::scratch_bytes(nr, cols));
    const fast::RowRange range{job.w, matrix, r0, nr};
    float* dst = job.out.data + r0;
    if (quantized) {
      kernels.matmul_quantized(range, qx, dst, job.out.cols, scratch.data());
    } else {
      kernels.matmul_float(range, x.data, n, x.cols, dst, job.out.cols, scratch.data());
    }
    if (!job.b.empty()) {
      for (int64_t t = 0; t < n; ++t) {
        for (int64_t i = 0; i < nr; ++i) dst[t * job.out.cols + i] += job.b[r0 + i];
      }
    }
  });
}

void linear_fast_with(const fast::KernelSet& kernels, ThreadPool& pool, const model::WeightMatrix& w,
                      int64_t matrix, std::span<const float> b, const Act& x, const Act& out) {
  const FastLinearJob job{&w, b, out};
  linear_fast_batch(kernels, pool, std::span<const FastLinearJob>(&job, 1), matrix, x);
}

void linear_fast(ThreadPool& pool, const model::WeightMatrix& w, int64_t matrix, std::span<const float> b,
                 const Act& x, const Act& out) {
  linear_fast_with(fast::active_kernels(), pool, w, matrix, b, x, out);
}

}  // namespace tally::backend::cpu
