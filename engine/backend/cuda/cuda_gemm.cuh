#pragma once
// The tensor-core GEMM behind prefill: a 64 x 64 output tile per block of 4 warps, K in steps of 32 (one weight
// block). Weights are decoded to f16 into shared memory as they are read (MXFP4 and Q8 stay packed in device
// memory); activations are rounded to f16; products accumulate in f32 (WMMA 16x16x16, sm_70 and newer).
// Three modes share the loop and differ in where rows come from and where results go:
//   Linear: rows of x, out = acc + bias.
//   GateUp: expert e = blockIdx.z; rows are the tokens routed to e (gathered through the grouped list); two weight
//           matrices (gate, up) and the SwiGLU-with-clamp epilogue write the expert's activation rows.
//   Down:   rows are those activation rows; out = acc + bias, scattered back to each (token, slot).
#include <mma.h>

#include "backend/cuda/cuda_device.cuh"

namespace tally::backend::cuda {

enum class GemmMode { Linear, GateUp, Down };

struct GemmArgs {
  DevMatrix w, w2;           // w2: the up matrix (GateUp only)
  int64_t e = 0;             // Linear: matrix index
  const float* x = nullptr;  // activations (Linear, GateUp: model rows; Down: compact activation rows)
  int64_t ldx = 0;
  int64_t n = 0;             // Linear: rows of x
  const float* bias = nullptr;
  const float* bias2 = nullptr;
  float* out = nullptr;
  int64_t ldo = 0;
  // Grouped experts: rows of expert e are list[offsets[e] .. offsets[e+1]), each an assignment id t * k + slot.
  const int32_t* offsets = nullptr;
  const int32_t* list = nullptr;
  int k = 1;
  float limit = 7.f;
};

constexpr int kBM = 64, kBN = 64, kBK = 32, kLds = kBK + 8, kLdc = kBN + 4;

__device__ __forceinline__ float swiglu_clamped(float gate, float up, float limit) {
  gate = fminf(gate, limit);
  up = fminf(fmaxf(up, -limit), limit);
  return gate / (1.0f + __expf(-1.702f * gate)) * (up + 1.0f);
}

template <Kind K, GemmMode M>
__global__ void __launch_bounds__(128) gemm_kernel(GemmArgs a) {
  using namespace nvcuda;
  constexpr bool kTwo = M == GemmMode::GateUp;
  struct Load {
    __half as[kBM][kLds];
    __half bs[kBN][kLds];
    __half bs2[kTwo ? kBN : 1][kLds];
  };
  struct Store {
    float c[kBM][kLdc];
    float c2[kTwo ? kBM : 1][kLdc];
  };
  __shared__ union {
    Load l;
    Store s;
  } sm;
  __shared__ const float* rows_src[kBM];
  __shared__ int64_t rows_dst[kBM];

  const int64_t e = M == GemmMode::Linear ? a.e : blockIdx.z;
  int64_t count = a.n, base = 0;
  if constexpr (M != GemmMode::Linear) {
    base = a.offsets[e];
    count = a.offsets[e + 1] - base;
  }
  const int64_t m0 = static_cast<int64_t>(blockIdx.y) * kBM;
  if (m0 >= count) return;
  const int64_t n0 = static_cast<int64_t>(blockIdx.x) * kBN;
  const int tid = threadIdx.x;
  const int64_t cols = a.w.cols;

  if (tid < kBM) {
    const int64_t i = m0 + tid;
    const float* src = nullptr;
    int64_t dst = -1;
    if (i < count) {
      if constexpr (M == GemmMode::Linear) {
        src = a.x + i * a.ldx;
        dst = i;
      } else if constexpr (M == GemmMode::GateUp) {
        src = a.x + static_cast<int64_t>(a.list[base + i] / a.k) * a.ldx;
        dst = base + i;
      } else {
        src = a.x + (base + i) * a.ldx;
        dst = a.list[base + i];
      }
    }
    rows_src[tid] = src;
    rows_dst[tid] = dst;
  }
  __syncthreads();

  const int warp = tid / 32;
  const int wm = (warp / 2) * 32, wn = (warp % 2) * 32;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[2][2], acc2[kTwo ? 2 : 1][kTwo ? 2 : 1];
#pragma unroll
  for (int i = 0; i < 2; ++i)
#pragma unroll
    for (int j = 0; j < 2; ++j) wmma::fill_fragment(acc[i][j], 0.0f);
  if constexpr (kTwo) {
#pragma unroll
    for (int i = 0; i < 2; ++i)
#pragma unroll
      for (int j = 0; j < 2; ++j) wmma::fill_fragment(acc2[i][j], 0.0f);
  }

  for (int64_t k0 = 0; k0 < cols; k0 += kBK) {
    {  // A: 64 rows x 32 floats; 2 threads per row, 16 floats each
      const int r = tid / 2, c = (tid % 2) * 16;
      const float* src = rows_src[r];
      __half2* dst = reinterpret_cast<__half2*>(&sm.l.as[r][c]);
      if (src) {
        const float4* p = reinterpret_cast<const float4*>(src + k0 + c);
#pragma unroll
        for (int i = 0; i < 4; ++i) {
          const float4 v = p[i];
          dst[2 * i] = __floats2half2_rn(v.x, v.y);
          dst[2 * i + 1] = __floats2half2_rn(v.z, v.w);
        }
      } else {
#pragma unroll
        for (int i = 0; i < 8; ++i) dst[i] = __floats2half2_rn(0.f, 0.f);
      }
    }
    // B: 64 rows x 32 elements = 256 units of 8; 2 units per thread
#pragma unroll
    for (int j = 0; j < 2; ++j) {
      const int idx = tid * 2 + j;
      const int r = idx / 4, u = idx % 4;
      const int64_t row = n0 + r;
      float wv[8], wv2[8];
      if (row < a.w.rows) {
        load_unit<K>(a.w, e, row, k0 / 8 + u, wv);
        if constexpr (kTwo) load_unit<K>(a.w2, e, row, k0 / 8 + u, wv2);
      } else {
#pragma unroll
        for (int i = 0; i < 8; ++i) wv[i] = wv2[i] = 0.f;
      }
      __half2* dst = reinterpret_cast<__half2*>(&sm.l.bs[r][u * 8]);
#pragma unroll
      for (int i = 0; i < 4; ++i) dst[i] = __floats2half2_rn(wv[2 * i], wv[2 * i + 1]);
      if constexpr (kTwo) {
        __half2* dst2 = reinterpret_cast<__half2*>(&sm.l.bs2[r][u * 8]);
#pragma unroll
        for (int i = 0; i < 4; ++i) dst2[i] = __floats2half2_rn(wv2[2 * i], wv2[2 * i + 1]);
      }
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < kBK; kk += 16) {
      wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> fa[2];
      wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::col_major> fb[2];
#pragma unroll
      for (int i = 0; i < 2; ++i) wmma::load_matrix_sync(fa[i], &sm.l.as[wm + 16 * i][kk], kLds);
#pragma unroll
      for (int j = 0; j < 2; ++j) wmma::load_matrix_sync(fb[j], &sm.l.bs[wn + 16 * j][kk], kLds);
#pragma unroll
      for (int i = 0; i < 2; ++i)
#pragma unroll
        for (int j = 0; j < 2; ++j) wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
      if constexpr (kTwo) {
#pragma unroll
        for (int j = 0; j < 2; ++j) wmma::load_matrix_sync(fb[j], &sm.l.bs2[wn + 16 * j][kk], kLds);
#pragma unroll
        for (int i = 0; i < 2; ++i)
#pragma unroll
          for (int j = 0; j < 2; ++j) wmma::mma_sync(acc2[i][j], fa[i], fb[j], acc2[i][j]);
      }
    }
    __syncthreads();
  }

#pragma unroll
  for (int i = 0; i < 2; ++i)
#pragma unroll
    for (int j = 0; j < 2; ++j) {
      wmma::store_matrix_sync(&sm.s.c[wm + 16 * i][wn + 16 * j], acc[i][j], kLdc, wmma::mem_row_major);
      if constexpr (kTwo)
        wmma::store_matrix_sync(&sm.s.c2[wm + 16 * i][wn + 16 * j], acc2[i][j], kLdc, wmma::mem_row_major);
    }
  __syncthreads();

  const int64_t out_cols = a.w.rows;
  for (int idx = tid; idx < kBM * kBN; idx += 128) {
    const int r = idx / kBN, c = idx % kBN;
    const int64_t dst = rows_dst[r];
    const int64_t col = n0 + c;
    if (dst < 0 || col >= out_cols) continue;
    if constexpr (M == GemmMode::GateUp) {
      const float g = sm.s.c[r][c] + a.bias[e * out_cols + col];
      const float u = sm.s.c2[r][c] + a.bias2[e * out_cols + col];
      a.out[dst * a.ldo + col] = swiglu_clamped(g, u, a.limit);
    } else if constexpr (M == GemmMode::Down) {
      a.out[dst * a.ldo + col] = sm.s.c[r][c] + a.bias[e * out_cols + col];
    } else {
      a.out[dst * a.ldo + col] = sm.s.c[r][c] + (a.bias ? a.bias[col] : 0.f);
    }
  }
}

}  // namespace tally::backend::cuda
