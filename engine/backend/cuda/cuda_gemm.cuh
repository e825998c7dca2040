#pragma once
// The tensor-core GEMM behind prefill: a 64 x 64 output tile per block of 4 warps, K in steps of 32 (one weight
// block). Weights are decoded to f16 into shared memory as they are read (MXFP4 and Q8 stay packed in device
// memory); activations are rounded to f16; products accumulate in f32 (WMMA 16x16x16, sm_70 and newer).
// Precise variant (P): operands are split into an f16 head and a tail, v = hi + lo * 2^-12 (the tail scaled up so it
// stays a normal f16), and the tail products (lo*hi, hi*lo) accumulate apart, scaled down once at the end: ~22
// mantissa bits instead of 11. MXFP4 and F16 weights are exact in f16 and have no tail. The synthetic 20b model
// amplifies rounding so much (expert choices flip on near-ties; even the CPU fast path is at mean KL 2e-2 from the
// exact one) that plain f16 operands fail the issue's GPU-vs-CPU-exact rule; TALLY_CUDA_GEMM=fast turns it off.
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

constexpr float kTailScale = 4096.f;

// Rounds v to f16 (hi) and, with a tail, the remainder times kTailScale to f16 (lo).
template <bool Tail>
__device__ __forceinline__ void split2(float x, float y, __half2* hi, __half2* lo) {
  const __half2 h = __floats2half2_rn(x, y);
  *hi = h;
  if constexpr (Tail) {
    const float2 back = __half22float2(h);
    *lo = __floats2half2_rn((x - back.x) * kTailScale, (y - back.y) * kTailScale);
  }
}

template <Kind K, GemmMode M, bool P = false>
__global__ void __launch_bounds__(128) gemm_kernel(GemmArgs a) {
  using namespace nvcuda;
  constexpr bool kTwo = M == GemmMode::GateUp;
  constexpr int kLo = P ? 1 : 0;  // activation tail plane
  constexpr int kWLo = P && (K == Kind::Q8 || K == Kind::BF16 || K == Kind::F32) ? 1 : 0;  // weight tail plane
  struct Load {
    __half as[1 + kLo][kBM][kLds];
    __half bs[1 + kWLo][kBN][kLds];
    __half bs2[kTwo ? 1 + kWLo : 1][kTwo ? kBN : 1][kLds];
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
  // [0]: head products; [1] (precise): tail products, in units of 2^-12.
  constexpr int kAcc = 1 + kLo, kTwoN = kTwo ? 2 : 1;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[kAcc][2][2], acc2[kAcc][kTwoN][kTwoN];
#pragma unroll
  for (int q = 0; q < kAcc; ++q)
#pragma unroll
    for (int i = 0; i < 2; ++i)
#pragma unroll
      for (int j = 0; j < 2; ++j) {
        wmma::fill_fragment(acc[q][i][j], 0.0f);
        if constexpr (kTwo) wmma::fill_fragment(acc2[q][i][j], 0.0f);
      }

  for (int64_t k0 = 0; k0 < cols; k0 += kBK) {
    {  // A: 64 rows x 32 floats; 2 threads per row, 16 floats each
      const int r = tid / 2, c = (tid % 2) * 16;
      const float* src = rows_src[r];
      __half2* dst = reinterpret_cast<__half2*>(&sm.l.as[0][r][c]);
      __half2* dlo = reinterpret_cast<__half2*>(&sm.l.as[kLo][r][c]);
      if (src) {
        const float4* p = reinterpret_cast<const float4*>(src + k0 + c);
#pragma unroll
        for (int i = 0; i < 4; ++i) {
          const float4 v = p[i];
          split2<P>(v.x, v.y, &dst[2 * i], &dlo[2 * i]);
          split2<P>(v.z, v.w, &dst[2 * i + 1], &dlo[2 * i + 1]);
        }
      } else {
#pragma unroll
        for (int i = 0; i < 8; ++i) dst[i] = dlo[i] = __floats2half2_rn(0.f, 0.f);
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
      __half2* dst = reinterpret_cast<__half2*>(&sm.l.bs[0][r][u * 8]);
      __half2* dlo = reinterpret_cast<__half2*>(&sm.l.bs[kWLo][r][u * 8]);
#pragma unroll
      for (int i = 0; i < 4; ++i) split2<kWLo == 1>(wv[2 * i], wv[2 * i + 1], &dst[i], &dlo[i]);
      if constexpr (kTwo) {
        __half2* dst2 = reinterpret_cast<__half2*>(&sm.l.bs2[0][r][u * 8]);
        __half2* dlo2 = reinterpret_cast<__half2*>(&sm.l.bs2[kWLo][r][u * 8]);
#pragma unroll
        for (int i = 0; i < 4; ++i) split2<kWLo == 1>(wv2[2 * i], wv2[2 * i + 1], &dst2[i], &dlo2[i]);
      }
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < kBK; kk += 16) {
      // Products (A plane, B plane): (0,0) into acc[0]; precise: (1,0) and, with a weight tail, (0,1) into acc[1].
#pragma unroll
      for (int pr = 0; pr < 1 + kLo + kWLo; ++pr) {
        const int pa = pr == 1 ? 1 : 0, pb = pr == 2 ? 1 : 0, q = pr == 0 ? 0 : 1;
        wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> fa[2];
        wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::col_major> fb[2];
#pragma unroll
        for (int i = 0; i < 2; ++i) wmma::load_matrix_sync(fa[i], &sm.l.as[pa][wm + 16 * i][kk], kLds);
#pragma unroll
        for (int j = 0; j < 2; ++j) wmma::load_matrix_sync(fb[j], &sm.l.bs[pb][wn + 16 * j][kk], kLds);
#pragma unroll
        for (int i = 0; i < 2; ++i)
#pragma unroll
          for (int j = 0; j < 2; ++j) wmma::mma_sync(acc[q][i][j], fa[i], fb[j], acc[q][i][j]);
        if constexpr (kTwo) {
#pragma unroll
          for (int j = 0; j < 2; ++j) wmma::load_matrix_sync(fb[j], &sm.l.bs2[pb][wn + 16 * j][kk], kLds);
#pragma unroll
          for (int i = 0; i < 2; ++i)
#pragma unroll
            for (int j = 0; j < 2; ++j) wmma::mma_sync(acc2[q][i][j], fa[i], fb[j], acc2[q][i][j]);
        }
      }
    }
    __syncthreads();
  }

#pragma unroll
  for (int i = 0; i < 2; ++i)
#pragma unroll
    for (int j = 0; j < 2; ++j) {
      if constexpr (P) {  // same fragment types share one element mapping, so the sum is element-wise
#pragma unroll
        for (int t = 0; t < acc[0][i][j].num_elements; ++t) {
          acc[0][i][j].x[t] += acc[kLo][i][j].x[t] * (1.f / kTailScale);
          if constexpr (kTwo) acc2[0][i][j].x[t] += acc2[kLo][i][j].x[t] * (1.f / kTailScale);
        }
      }
      wmma::store_matrix_sync(&sm.s.c[wm + 16 * i][wn + 16 * j], acc[0][i][j], kLdc, wmma::mem_row_major);
      if constexpr (kTwo)
        wmma::store_matrix_sync(&sm.s.c2[wm + 16 * i][wn + 16 * j], acc2[0][i][j], kLdc, wmma::mem_row_major);
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
