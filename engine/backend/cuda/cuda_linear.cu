// Dense projections: a GEMV for decode (weights streamed once at full bandwidth, f32 math) and the tensor-core GEMM
// for prefill.
#include <cstdlib>
#include <cstring>

#include "backend/cuda/cuda_gemm.cuh"
#include "backend/cuda/cuda_ops.h"

namespace tally::backend::cuda {

namespace {

constexpr int kGemvThreads = 256;
constexpr int kGemvRows = 4;
constexpr int kMaxGemvTokens = 4;

// Decode GEMV: a block computes kGemvRows rows for NT tokens, its 256 threads splitting the columns (8 per unit),
// so even a 512-row matrix spreads over 128 blocks and every thread keeps kGemvRows independent loads in flight.
// x is read straight from global memory (coalesced 16-byte loads; it stays in L1/L2).
template <Kind K, int NT>
__global__ void __launch_bounds__(kGemvThreads) gemv_kernel(DevMatrix w, int64_t e, const float* __restrict__ x,
                                                            int64_t ldx, const float* __restrict__ bias,
                                                            float* __restrict__ out, int64_t ldo) {
  __shared__ float red[kGemvThreads / 32][kGemvRows * NT];
  const int64_t r0 = static_cast<int64_t>(blockIdx.x) * kGemvRows;
  int64_t rows[kGemvRows];
#pragma unroll
  for (int i = 0; i < kGemvRows; ++i) rows[i] = min(r0 + i, w.rows - 1);
  float acc[kGemvRows][NT] = {};
  const int64_t units = w.cols / 8;
  for (int64_t u = threadIdx.x; u < units; u += kGemvThreads) {
    float wv[kGemvRows][8];
#pragma unroll
    for (int i = 0; i < kGemvRows; ++i) load_unit<K>(w, e, rows[i], u, wv[i]);
#pragma unroll
    for (int t = 0; t < NT; ++t) {
      const float4* xp = reinterpret_cast<const float4*>(x + t * ldx + u * 8);
      const float4 a = __ldg(xp), b = __ldg(xp + 1);
#pragma unroll
      for (int i = 0; i < kGemvRows; ++i) {
        acc[i][t] += wv[i][0] * a.x + wv[i][1] * a.y + wv[i][2] * a.z + wv[i][3] * a.w + wv[i][4] * b.x +
                     wv[i][5] * b.y + wv[i][6] * b.z + wv[i][7] * b.w;
      }
    }
  }
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
#pragma unroll
  for (int i = 0; i < kGemvRows; ++i)
#pragma unroll
    for (int t = 0; t < NT; ++t) {
      const float v = warp_sum(acc[i][t]);
      if (lane == 0) red[warp][i * NT + t] = v;
    }
  __syncthreads();
  if (threadIdx.x < kGemvRows * NT) {
    const int i = threadIdx.x / NT, t = threadIdx.x % NT;
    const int64_t r = r0 + i;
    if (r < w.rows) {
      float sum = 0.f;
#pragma unroll
      for (int j = 0; j < kGemvThreads / 32; ++j) sum += red[j][threadIdx.x];
      out[t * ldo + r] = sum + (bias ? bias[r] : 0.f);
    }
  }
}

// Single-token GEMV with whole weight blocks per lane: each warp computes R rows, x staged in shared memory
// (padded, conflict-free), so a lane issues 16-byte loads (MXFP4, Q8) and keeps R rows of them in flight.
constexpr int kLaneWarps = 8;

template <Kind K, int R>
__global__ void __launch_bounds__(kLaneWarps * 32) gemv_lane_kernel(DevMatrix w, int64_t e, const float* __restrict__ x,
                                                                    const float* __restrict__ bias,
                                                                    float* __restrict__ out) {
  extern __shared__ float xs[];
  stage_padded(x, w.cols, xs);
  __syncthreads();
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int64_t r0 = (static_cast<int64_t>(blockIdx.x) * kLaneWarps + warp) * R;
  if (r0 >= w.rows) return;
  int64_t rows[R];
#pragma unroll
  for (int i = 0; i < R; ++i) rows[i] = min(r0 + i, w.rows - 1);
  float acc[R] = {};
  for (int64_t b = lane; b < w.cols / 32; b += 32) {
#pragma unroll
    for (int i = 0; i < R; ++i) {
      float wv[32];
      load_block<K>(w, e, rows[i], b, wv);
      acc[i] += dot_block(xs, b, wv);
    }
  }
#pragma unroll
  for (int i = 0; i < R; ++i) {
    const float v = warp_sum(acc[i]);
    if (lane == 0 && r0 + i < w.rows) out[r0 + i] = v + (bias ? bias[r0 + i] : 0.f);
  }
}

template <Kind K, int R>
void launch_gemv_lane(const DevMatrix& w, int64_t e, const float* bias, const float* x, float* out,
                      cudaStream_t stream) {
  const int64_t rows_per_block = int64_t{kLaneWarps} * R;
  const unsigned blocks = static_cast<unsigned>((w.rows + rows_per_block - 1) / rows_per_block);
  const size_t smem = static_cast<size_t>(w.cols / 32 * kPaddedBlock) * sizeof(float);
  gemv_lane_kernel<K, R><<<blocks, kLaneWarps * 32, smem, stream>>>(w, e, x, bias, out);
}

template <Kind K, int NT>
void launch_gemv(const DevMatrix& w, int64_t e, const float* bias, const float* x, int64_t ldx, float* out,
                 int64_t ldo, cudaStream_t stream) {
  const unsigned blocks = static_cast<unsigned>((w.rows + kGemvRows - 1) / kGemvRows);
  gemv_kernel<K, NT><<<blocks, kGemvThreads, 0, stream>>>(w, e, x, ldx, bias, out, ldo);
}

template <Kind K>
void linear_kind(const DevMatrix& w, int64_t e, const float* bias, const float* x, int64_t ldx, int64_t n,
                 float* out, int64_t ldo, cudaStream_t stream) {
  if (n == 1 && w.cols / 32 * kPaddedBlock * 4 <= 48 * 1024) {
    // Wide matrices (the 201,088-row output) take 4 rows a warp; narrow ones 1, so they still fill the GPU.
    if (w.rows >= 16384) launch_gemv_lane<K, 4>(w, e, bias, x, out, stream);
    else launch_gemv_lane<K, 1>(w, e, bias, x, out, stream);
    return;
  }
  if (n <= kMaxGemvTokens) {
    switch (n) {
      case 1: launch_gemv<K, 1>(w, e, bias, x, ldx, out, ldo, stream); break;
      case 2: launch_gemv<K, 2>(w, e, bias, x, ldx, out, ldo, stream); break;
      case 3: launch_gemv<K, 3>(w, e, bias, x, ldx, out, ldo, stream); break;
      default: launch_gemv<K, 4>(w, e, bias, x, ldx, out, ldo, stream); break;
    }
    return;
  }
  GemmArgs a;
  a.w = w;
  a.e = e;
  a.x = x;
  a.ldx = ldx;
  a.n = n;
  a.bias = bias;
  a.out = out;
  a.ldo = ldo;
  const dim3 grid(static_cast<unsigned>((w.rows + kBN - 1) / kBN), static_cast<unsigned>((n + kBM - 1) / kBM));
  if (precise_gemm()) gemm_kernel<K, GemmMode::Linear, true><<<grid, 128, 0, stream>>>(a);
  else gemm_kernel<K, GemmMode::Linear><<<grid, 128, 0, stream>>>(a);
}

}  // namespace

bool precise_gemm() {
  const char* v = std::getenv("TALLY_CUDA_GEMM");
  return !(v && std::strcmp(v, "fast") == 0);
}

void linear(const DevMatrix& w, int64_t e, const float* bias, const float* x, int64_t ldx, int64_t n, float* out,
            int64_t ldo, cudaStream_t stream) {
  if (n <= 0) return;
  switch (w.kind) {
    case Kind::F32: linear_kind<Kind::F32>(w, e, bias, x, ldx, n, out, ldo, stream); break;
    case Kind::F16: linear_kind<Kind::F16>(w, e, bias, x, ldx, n, out, ldo, stream); break;
    case Kind::BF16: linear_kind<Kind::BF16>(w, e, bias, x, ldx, n, out, ldo, stream); break;
    case Kind::Q8: linear_kind<Kind::Q8>(w, e, bias, x, ldx, n, out, ldo, stream); break;
    case Kind::MXFP4: linear_kind<Kind::MXFP4>(w, e, bias, x, ldx, n, out, ldo, stream); break;
  }
}

}  // namespace tally::backend::cuda
