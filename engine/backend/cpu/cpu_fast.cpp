// The CPU fast path's linear op: block-quantized weights against activations quantized once per call, for prefill
// through the GEMMs of fast_gemm_avx2.cpp (int16 blocks, or int8 with TALLY_CPU_PREFILL=i8), for decode in int16
// blocks (int8 for the decode shape of MXFP4 experts with TALLY_CPU_ACT=int8); float weights against f32
// activations. Output rows are split across the pool in tasks large enough to stream.
#include <algorithm>
#include <vector>

#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/fast_kernels.h"
#include "backend/cpu/fast_linear.h"

namespace tally::backend::cpu {

namespace {

// Rows per task. Decode streams each row once, so tasks are long enough for the hardware prefetchers to run ahead
// (32 rows of Q8_0 at 2880 columns ~ 98 KB); prefill tasks are shorter because each row's work is multiplied by
// the number of tokens (the GEMMs': two of their 8-row tiles).
int64_t rows_per_task(int64_t tokens, bool gemm) { return gemm ? 16 : tokens < 3 ? 32 : 8; }

std::vector<uint8_t>& thread_scratch(int64_t bytes) {
  thread_local std::vector<uint8_t> scratch;
  if (scratch.size() < static_cast<size_t>(bytes)) scratch.resize(static_cast<size_t>(bytes));
  return scratch;
}

// One job's activations, quantized in the layout its kernel reads.
struct QuantizedInput {
  fast::QuantizedRows q16;
  fast::Int8Rows q8;
};

}  // namespace

void linear_fast_jobs(const fast::KernelSet& kernels, ThreadPool& pool, std::span<FastLinearJob> jobs) {
  if (jobs.empty()) return;
  const model::WeightMatrix& w0 = *jobs[0].w;
  const int64_t cols = w0.cols;
  bool uniform = true;
  for (const auto& job : jobs) uniform = uniform && job.w->type == w0.type && job.w->cols == cols;
  const bool quantized = fast::is_block_quantized(w0.type);
  if (!uniform) {  // a single job is always uniform, so this recursion ends
    for (auto& job : jobs) linear_fast_jobs(kernels, pool, std::span<FastLinearJob>(&job, 1));
    return;
  }
  if (quantized && cols % 32 != 0) {  // no valid block-type tensor has this width; the exact kernel copes anyway
    for (const auto& job : jobs) linear_exact(pool, *job.w, job.matrix, job.b, job.x, job.out);
    return;
  }

  // With TALLY_CPU_ACT=int8, decode-shaped MXFP4 products read int8 activation blocks (fast_mxfp4_i8.cpp).
  const bool mxfp4 = w0.type == model::DType::MXFP4 || w0.type == model::DType::MXFP4_SPLIT;
  auto use_int8 = [&](int64_t n) {
    return quantized && mxfp4 && n <= fast::kInt8MaxTokens && fast::int8_decode_enabled();
  };
  // Prefill-shaped products of block-quantized weights take a GEMM (fast_gemm_avx2.cpp) unless TALLY_CPU_PREFILL=f32.
  const fast::PrefillKernel prefill = fast::prefill_kernel();
  auto use_gemm = [&](int64_t n) {
    return quantized && n >= fast::kGemmMinTokens && prefill != fast::PrefillKernel::Rows;
  };
  auto use_gemm_i8 = [&](int64_t n) { return use_gemm(n) && prefill == fast::PrefillKernel::GemmI8; };

  // Activations are quantized once per distinct input (jobs with the same x.data), in the order the weight type's
  // nibbles unpack to. input_of[k] = the input job k reads; first_row[i] = where input i's rows start.
  std::vector<size_t> input_of(jobs.size(), 0);
  std::vector<const Act*> inputs;
  for (size_t k = 0; k < jobs.size(); ++k) {
    size_t i = 0;
    while (i < inputs.size() && inputs[i]->data != jobs[k].x.data) ++i;
    if (i == inputs.size()) inputs.push_back(&jobs[k].x);
    input_of[k] = i;
  }
  std::vector<int64_t> first_row(inputs.size() + 1, 0);
  for (size_t i = 0; i < inputs.size(); ++i) first_row[i + 1] = first_row[i] + inputs[i]->rows;
  const int64_t rows_total = first_row.back();
  if (rows_total <= 0) return;

  thread_local std::vector<int16_t> act_q;
  thread_local std::vector<float> act_d;
  thread_local std::vector<int8_t> act_q8;
  thread_local std::vector<int32_t> act_sums;
  std::vector<QuantizedInput> qin(inputs.size());
  if (quantized) {
    const int64_t blocks = cols / 32;
    act_d.resize(static_cast<size_t>(rows_total * blocks));
    act_q8.resize(static_cast<size_t>(rows_total * cols));
    act_sums.resize(static_cast<size_t>(rows_total * blocks));
    act_q.resize(static_cast<size_t>(rows_total * cols));
    // Plain pointers: inside the lambda a thread_local name would mean the worker's own (empty) buffer.
    int16_t* q = act_q.data();
    int8_t* q8 = act_q8.data();
    float* d = act_d.data();
    int32_t* sums = act_sums.data();
    for (size_t i = 0; i < inputs.size(); ++i) {
      const int64_t row0 = first_row[i];
      const int64_t n = inputs[i]->rows;
      qin[i].q8 = {q8 + row0 * cols, d + row0 * blocks, sums + row0 * blocks, n, blocks};
      qin[i].q16 = {q + row0 * cols, d + row0 * blocks, n, blocks};
    }
    auto quantize = [&](int64_t row, int) {
      size_t i = 0;
      while (row >= first_row[i + 1]) ++i;
      const int64_t t = row - first_row[i];
      const float* src = inputs[i]->data + t * inputs[i]->cols;
      if (use_gemm_i8(inputs[i]->rows)) {
        kernels.quantize_row_gemm_i8(src, cols, fast::gemm_order(w0.type), qin[i].q8.q + t * cols,
                                     qin[i].q8.d + t * blocks, qin[i].q8.sums + t * blocks);
      } else if (use_int8(inputs[i]->rows)) {
        fast::quantize_row_i8(src, cols, fast::nibble_order(w0.type), qin[i].q8.q + t * cols, qin[i].q8.d + t * blocks,
                              qin[i].q8.sums + t * blocks);
      } else {
        const fast::BlockOrder order =
            use_gemm(inputs[i]->rows) ? fast::gemm_order(w0.type) : fast::block_order(w0.type);
        kernels.quantize_row(src, cols, order, qin[i].q16.q + t * cols, qin[i].q16.d + t * blocks);
      }
    };
    if (rows_total >= 8) {
      pool.parallel_for(rows_total, quantize);
    } else {
      for (int64_t row = 0; row < rows_total; ++row) quantize(row, 0);
    }
  }

  // One loop over the row chunks of every job: one pool barrier for all of them.
  std::vector<int64_t> first_task(jobs.size() + 1, 0), chunk(jobs.size(), 0);
  for (size_t k = 0; k < jobs.size(); ++k) {
    chunk[k] = rows_per_task(jobs[k].x.rows, use_gemm(jobs[k].x.rows));
    const int64_t tasks = jobs[k].x.rows > 0 ? (jobs[k].w->rows + chunk[k] - 1) / chunk[k] : 0;
    first_task[k + 1] = first_task[k] + tasks;
  }
  pool.parallel_for(first_task.back(), [&](int64_t task, int) {
    size_t k = 0;
    while (task >= first_task[k + 1]) ++k;
    const FastLinearJob& job = jobs[k];
    const int64_t n = job.x.rows;
    const int64_t rows = job.w->rows;
    const int64_t r0 = (task - first_task[k]) * chunk[k];
    const int64_t nr = std::min(chunk[k], rows - r0);
    const fast::RowRange range{job.w, job.matrix, r0, nr};
    float* dst = job.out.data + r0;
    if (use_gemm_i8(n)) {
      auto& scratch = thread_scratch(fast::gemm_scratch_bytes(cols));
      kernels.gemm_i8(range, qin[input_of[k]].q8, dst, job.out.cols, scratch.data());
    } else if (use_gemm(n)) {
      auto& scratch = thread_scratch(fast::gemm_scratch_bytes(cols));
      kernels.gemm_i16(range, qin[input_of[k]].q16, dst, job.out.cols, scratch.data());
    } else if (use_int8(n)) {
      kernels.matmul_mxfp4_i8(range, qin[input_of[k]].q8, dst, job.out.cols);
    } else if (quantized) {
      auto& scratch = thread_scratch(fast::scratch_bytes(nr, cols));
      kernels.matmul_quantized(range, qin[input_of[k]].q16, dst, job.out.cols, scratch.data());
    } else {
      auto& scratch = thread_scratch(fast::scratch_bytes(nr, cols));
      kernels.matmul_float(range, job.x.data, n, job.x.cols, dst, job.out.cols, scratch.data());
    }
    if (!job.b.empty()) {
      for (int64_t t = 0; t < n; ++t) {
        for (int64_t i = 0; i < nr; ++i) dst[t * job.out.cols + i] += job.b[r0 + i];
      }
    }
  });
}

void linear_fast_batch(const fast::KernelSet& kernels, ThreadPool& pool, std::span<const FastLinearJob> jobs,
                       int64_t matrix, const Act& x) {
  std::vector<FastLinearJob> own(jobs.begin(), jobs.end());
  for (auto& job : own) {
    job.matrix = matrix;
    job.x = x;
  }
  linear_fast_jobs(kernels, pool, own);
}

void linear_fast_with(const fast::KernelSet& kernels, ThreadPool& pool, const model::WeightMatrix& w,
                      int64_t matrix, std::span<const float> b, const Act& x, const Act& out) {
  FastLinearJob job{&w, b, out, matrix, x};
  linear_fast_jobs(kernels, pool, std::span<FastLinearJob>(&job, 1));
}

void linear_fast(ThreadPool& pool, const model::WeightMatrix& w, int64_t matrix, std::span<const float> b,
                 const Act& x, const Act& out) {
  linear_fast_with(fast::active_kernels(), pool, w, matrix, b, x, out);
}

}  // namespace tally::backend::cpu
