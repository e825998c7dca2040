// The mixture of experts. Decode (a few tokens): two fused GEMV kernels that read only the chosen experts' MXFP4
// rows once: gate+up with bias and SwiGLU-with-clamp, then down with bias and the routing-weighted sum added into
// the residual. Prefill: tokens are grouped by expert on the GPU (count, scan, scatter), then the grouped
// tensor-core GEMMs run one expert per grid z-slice, and a last kernel adds the weighted sum in slot order.
#include "backend/cuda/cuda_gemm.cuh"
#include "backend/cuda/cuda_ops.h"

namespace tally::backend::cuda {

namespace {

constexpr int kThreads = 256;
constexpr int kRows = 4;
constexpr int kMaxGemvTokens = 4;

// Block (row group, slot), slot = t * k + s: kRows rows of gate and up of expert experts[slot], the 256 threads
// splitting the columns, then bias and SwiGLU-with-clamp.
template <Kind K>
__global__ void __launch_bounds__(kThreads, 4) gate_up_gemv_kernel(MoeArgs a, float* __restrict__ act) {
  __shared__ float red[kThreads / 32][2 * kRows];
  const int64_t slot = blockIdx.y;
  const int64_t t = slot / a.k;
  const int64_t e = a.experts[slot];
  const int64_t r0 = static_cast<int64_t>(blockIdx.x) * kRows;
  int64_t rows[kRows];
#pragma unroll
  for (int i = 0; i < kRows; ++i) rows[i] = min(r0 + i, static_cast<int64_t>(a.ffn) - 1);
  float g[kRows] = {}, u[kRows] = {};
  const int64_t units = a.hidden / 8;
  const float* xr = a.x + t * a.ldx;
  for (int64_t un = threadIdx.x; un < units; un += kThreads) {
    const float4 xa = __ldg(reinterpret_cast<const float4*>(xr + un * 8));
    const float4 xb = __ldg(reinterpret_cast<const float4*>(xr + un * 8) + 1);
    const float xv[8] = {xa.x, xa.y, xa.z, xa.w, xb.x, xb.y, xb.z, xb.w};
    // Each row's weights are used as soon as decoded, so few values stay live (occupancy, not spills).
#pragma unroll
    for (int i = 0; i < kRows; ++i) {
      float w[8];
      load_unit<K>(a.gate, e, rows[i], un, w);
#pragma unroll
      for (int j = 0; j < 8; ++j) g[i] += w[j] * xv[j];
      load_unit<K>(a.up, e, rows[i], un, w);
#pragma unroll
      for (int j = 0; j < 8; ++j) u[i] += w[j] * xv[j];
    }
  }
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
#pragma unroll
  for (int i = 0; i < kRows; ++i) {
    const float gs = warp_sum(g[i]), us = warp_sum(u[i]);
    if (lane == 0) {
      red[warp][i] = gs;
      red[warp][kRows + i] = us;
    }
  }
  __syncthreads();
  if (threadIdx.x < kRows) {
    const int64_t r = r0 + threadIdx.x;
    if (r < a.ffn) {
      float gs = 0.f, us = 0.f;
#pragma unroll
      for (int j = 0; j < kThreads / 32; ++j) {
        gs += red[j][threadIdx.x];
        us += red[j][kRows + threadIdx.x];
      }
      act[slot * a.ffn + r] =
          swiglu_clamped(gs + a.gate_bias[e * a.ffn + r], us + a.up_bias[e * a.ffn + r], a.limit);
    }
  }
}

// Block (row group, token): kRows rows of down for each of the token's k experts, weighted and summed into out.
template <Kind K>
__global__ void __launch_bounds__(kThreads, 4) down_gemv_kernel(MoeArgs a, const float* __restrict__ act) {
  __shared__ float red[kThreads / 32][kRows];
  const int64_t t = blockIdx.y;
  const int64_t r0 = static_cast<int64_t>(blockIdx.x) * kRows;
  int64_t rows[kRows];
#pragma unroll
  for (int i = 0; i < kRows; ++i) rows[i] = min(r0 + i, static_cast<int64_t>(a.hidden) - 1);
  float total[kRows] = {};
  const int64_t units = a.ffn / 8;
  for (int s = 0; s < a.k; ++s) {
    const int64_t e = a.experts[t * a.k + s];
    const float weight = a.weights[t * a.k + s];
    const float* xr = act + (t * a.k + s) * a.ffn;
    for (int64_t un = threadIdx.x; un < units; un += kThreads) {
      const float4 xa = __ldg(reinterpret_cast<const float4*>(xr + un * 8));
      const float4 xb = __ldg(reinterpret_cast<const float4*>(xr + un * 8) + 1);
      const float xv[8] = {xa.x, xa.y, xa.z, xa.w, xb.x, xb.y, xb.z, xb.w};
#pragma unroll
      for (int i = 0; i < kRows; ++i) {
        float w[8];
        load_unit<K>(a.down, e, rows[i], un, w);
        float d = 0.f;
#pragma unroll
        for (int j = 0; j < 8; ++j) d += w[j] * xv[j];
        total[i] += weight * d;
      }
    }
  }
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
#pragma unroll
  for (int i = 0; i < kRows; ++i) {
    const float v = warp_sum(total[i]);
    if (lane == 0) red[warp][i] = v;
  }
  __syncthreads();
  if (threadIdx.x < kRows) {
    const int64_t r = r0 + threadIdx.x;
    if (r < a.hidden) {
      float sum = 0.f;
#pragma unroll
      for (int j = 0; j < kThreads / 32; ++j) sum += red[j][threadIdx.x];
      for (int s = 0; s < a.k; ++s) {
        sum += a.weights[t * a.k + s] * a.down_bias[static_cast<int64_t>(a.experts[t * a.k + s]) * a.hidden + r];
      }
      a.out[t * a.ldo + r] += sum;
    }
  }
}

// Decode kernels with whole MXFP4 blocks per lane: one warp per output row, the block's input rows staged in
// shared memory (padded, conflict-free). Block (row group, slot) for gate+up; block (row group, token) for down.
constexpr int kWarps = 8;
constexpr size_t kStaticSmemLimit = 48 * 1024;

size_t padded_bytes(int64_t n) { return static_cast<size_t>(n / 32 * kPaddedBlock) * sizeof(float); }

template <Kind K>
__global__ void __launch_bounds__(kWarps * 32) gate_up_lane_kernel(MoeArgs a, float* __restrict__ act) {
  extern __shared__ float xs[];
  const int64_t slot = blockIdx.y;
  const int64_t e = a.experts[slot];
  stage_padded(a.x + (slot / a.k) * a.ldx, a.hidden, xs);
  __syncthreads();
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int64_t r = static_cast<int64_t>(blockIdx.x) * kWarps + warp;
  if (r >= a.ffn) return;
  float g = 0.f, u = 0.f;
  for (int64_t b = lane; b < a.hidden / 32; b += 32) {
    float w[32];
    load_block<K>(a.gate, e, r, b, w);
    g += dot_block(xs, b, w);
    load_block<K>(a.up, e, r, b, w);
    u += dot_block(xs, b, w);
  }
  g = warp_sum(g);
  u = warp_sum(u);
  if (lane == 0) {
    act[slot * a.ffn + r] = swiglu_clamped(g + a.gate_bias[e * a.ffn + r], u + a.up_bias[e * a.ffn + r], a.limit);
  }
}

template <Kind K>
__global__ void __launch_bounds__(kWarps * 32) down_lane_kernel(MoeArgs a, const float* __restrict__ act) {
  extern __shared__ float xs[];  // the token's k activation rows, padded
  const int64_t t = blockIdx.y;
  const int64_t per_slot = a.ffn / 32 * kPaddedBlock;
  for (int s = 0; s < a.k; ++s) stage_padded(act + (t * a.k + s) * a.ffn, a.ffn, xs + s * per_slot);
  __syncthreads();
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int64_t r = static_cast<int64_t>(blockIdx.x) * kWarps + warp;
  if (r >= a.hidden) return;
  float total = 0.f, bias = 0.f;
  for (int s = 0; s < a.k; ++s) {
    const int64_t e = a.experts[t * a.k + s];
    const float weight = a.weights[t * a.k + s];
    float d = 0.f;
    for (int64_t b = lane; b < a.ffn / 32; b += 32) {
      float w[32];
      load_block<K>(a.down, e, r, b, w);
      d += dot_block(xs + s * per_slot, b, w);
    }
    total += weight * d;
    bias += weight * a.down_bias[e * a.hidden + r];
  }
  total = warp_sum(total);
  if (lane == 0) a.out[t * a.ldo + r] += total + bias;
}

__global__ void count_kernel(const int32_t* __restrict__ experts, int64_t count, int n_experts,
                             int32_t* __restrict__ counts) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < count) {
    const int32_t e = experts[i];
    if (e >= 0 && e < n_experts) atomicAdd(&counts[e], 1);
  }
}

__global__ void scan_kernel(const int32_t* __restrict__ counts, int n_experts, int32_t* __restrict__ offsets) {
  int32_t sum = 0;
  for (int e = 0; e < n_experts; ++e) {
    offsets[e] = sum;
    sum += counts[e];
  }
  offsets[n_experts] = sum;
}

__global__ void scatter_kernel(const int32_t* __restrict__ experts, int64_t count, int n_experts,
                               const int32_t* __restrict__ offsets, int32_t* __restrict__ cursor,
                               int32_t* __restrict__ list) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < count) {
    const int32_t e = experts[i];
    if (e >= 0 && e < n_experts) list[offsets[e] + atomicAdd(&cursor[e], 1)] = static_cast<int32_t>(i);
  }
}

__global__ void combine_kernel(MoeArgs a, const float* __restrict__ y) {
  const int64_t t = blockIdx.x;
  for (int64_t c = threadIdx.x; c < a.hidden; c += blockDim.x) {
    float sum = 0.f;
    for (int s = 0; s < a.k; ++s) sum += a.weights[t * a.k + s] * y[(t * a.k + s) * a.hidden + c];
    a.out[t * a.ldo + c] += sum;
  }
}

struct Scratch {
  int32_t* counts;
  int32_t* cursor;
  int32_t* offsets;
  int32_t* list;
  float* act;
  float* y;
};

size_t align256(size_t n) { return (n + 255) / 256 * 256; }

Scratch carve(const MoeArgs& a, void* base) {
  auto* p = static_cast<uint8_t*>(base);
  const size_t slots = static_cast<size_t>(a.n * a.k);
  Scratch s;
  s.counts = reinterpret_cast<int32_t*>(p);
  p += align256(sizeof(int32_t) * a.n_experts);
  s.cursor = reinterpret_cast<int32_t*>(p);
  p += align256(sizeof(int32_t) * a.n_experts);
  s.offsets = reinterpret_cast<int32_t*>(p);
  p += align256(sizeof(int32_t) * (a.n_experts + 1));
  s.list = reinterpret_cast<int32_t*>(p);
  p += align256(sizeof(int32_t) * slots);
  s.act = reinterpret_cast<float*>(p);
  p += align256(sizeof(float) * slots * a.ffn);
  s.y = reinterpret_cast<float*>(p);
  return s;
}

template <Kind K>
void moe_kind(const MoeArgs& a, const Scratch& s, cudaStream_t stream) {
  const int64_t slots = a.n * a.k;
  if (a.n <= kMaxGemvTokens) {
    const size_t up_smem = padded_bytes(a.hidden), down_smem = padded_bytes(a.ffn) * static_cast<size_t>(a.k);
    if (up_smem <= kStaticSmemLimit) {
      const dim3 g1(static_cast<unsigned>((a.ffn + kWarps - 1) / kWarps), static_cast<unsigned>(slots));
      gate_up_lane_kernel<K><<<g1, kWarps * 32, up_smem, stream>>>(a, s.act);
    } else {
      const dim3 g1(static_cast<unsigned>((a.ffn + kRows - 1) / kRows), static_cast<unsigned>(slots));
      gate_up_gemv_kernel<K><<<g1, kThreads, 0, stream>>>(a, s.act);
    }
    if (down_smem <= kStaticSmemLimit) {
      const dim3 g2(static_cast<unsigned>((a.hidden + kWarps - 1) / kWarps), static_cast<unsigned>(a.n));
      down_lane_kernel<K><<<g2, kWarps * 32, down_smem, stream>>>(a, s.act);
    } else {
      const dim3 g2(static_cast<unsigned>((a.hidden + kRows - 1) / kRows), static_cast<unsigned>(a.n));
      down_gemv_kernel<K><<<g2, kThreads, 0, stream>>>(a, s.act);
    }
    return;
  }
  cudaMemsetAsync(s.counts, 0, sizeof(int32_t) * a.n_experts, stream);
  cudaMemsetAsync(s.cursor, 0, sizeof(int32_t) * a.n_experts, stream);
  const unsigned blocks = static_cast<unsigned>((slots + 255) / 256);
  count_kernel<<<blocks, 256, 0, stream>>>(a.experts, slots, a.n_experts, s.counts);
  scan_kernel<<<1, 1, 0, stream>>>(s.counts, a.n_experts, s.offsets);
  scatter_kernel<<<blocks, 256, 0, stream>>>(a.experts, slots, a.n_experts, s.offsets, s.cursor, s.list);

  GemmArgs g;
  g.w = a.gate;
  g.w2 = a.up;
  g.x = a.x;
  g.ldx = a.ldx;
  g.bias = a.gate_bias;
  g.bias2 = a.up_bias;
  g.out = s.act;
  g.ldo = a.ffn;
  g.offsets = s.offsets;
  g.list = s.list;
  g.k = a.k;
  g.limit = a.limit;
  const unsigned m_tiles = static_cast<unsigned>((a.n + kBM - 1) / kBM);
  const dim3 g1(static_cast<unsigned>((a.ffn + kBN - 1) / kBN), m_tiles, static_cast<unsigned>(a.n_experts));
  const bool precise = precise_gemm();
  if (precise) gemm_kernel<K, GemmMode::GateUp, true><<<g1, 128, 0, stream>>>(g);
  else gemm_kernel<K, GemmMode::GateUp><<<g1, 128, 0, stream>>>(g);

  GemmArgs d;
  d.w = a.down;
  d.x = s.act;
  d.ldx = a.ffn;
  d.bias = a.down_bias;
  d.out = s.y;
  d.ldo = a.hidden;
  d.offsets = s.offsets;
  d.list = s.list;
  d.k = a.k;
  const dim3 g2(static_cast<unsigned>((a.hidden + kBN - 1) / kBN), m_tiles, static_cast<unsigned>(a.n_experts));
  if (precise) gemm_kernel<K, GemmMode::Down, true><<<g2, 128, 0, stream>>>(d);
  else gemm_kernel<K, GemmMode::Down><<<g2, 128, 0, stream>>>(d);
  combine_kernel<<<static_cast<unsigned>(a.n), 256, 0, stream>>>(a, s.y);
}

}  // namespace

size_t moe_scratch_bytes(const MoeArgs& a) {
  const size_t slots = static_cast<size_t>(a.n * a.k);
  return 3 * align256(sizeof(int32_t) * (a.n_experts + 1)) + align256(sizeof(int32_t) * slots) +
         align256(sizeof(float) * slots * a.ffn) + align256(sizeof(float) * slots * a.hidden);
}

void moe(const MoeArgs& a, void* scratch, cudaStream_t stream) {
  if (a.n <= 0) return;
  const Scratch s = carve(a, scratch);
  switch (a.gate.kind) {
    case Kind::F32: moe_kind<Kind::F32>(a, s, stream); break;
    case Kind::F16: moe_kind<Kind::F16>(a, s, stream); break;
    case Kind::BF16: moe_kind<Kind::BF16>(a, s, stream); break;
    case Kind::Q8: moe_kind<Kind::Q8>(a, s, stream); break;
    case Kind::MXFP4: moe_kind<Kind::MXFP4>(a, s, stream); break;
  }
}

}  // namespace tally::backend::cuda
