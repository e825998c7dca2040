// The router: exact f32 logits (so the GPU picks the same experts as the CPU reference), top-k with ties broken
// toward the lower expert index, softmax over the chosen k. One block per token.
#include <cmath>

#include "backend/cuda/cuda_device.cuh"
#include "backend/cuda/cuda_ops.h"

namespace tally::backend::cuda {

namespace {


// Block (expert, token): one router logit, the threads splitting the columns.
template <Kind K>
__global__ void router_logits_kernel(DevMatrix router, const float* __restrict__ bias, const float* __restrict__ x,
                                     int64_t ldx, float* __restrict__ logits) {
  __shared__ float red[4];
  const int64_t e = blockIdx.x, t = blockIdx.y;
  const float* xr = x + t * ldx;
  float acc = 0.f;
  for (int64_t u = threadIdx.x; u < router.cols / 8; u += blockDim.x) {
    float w[8];
    load_unit<K>(router, 0, e, u, w);
#pragma unroll
    for (int i = 0; i < 8; ++i) acc += w[i] * xr[u * 8 + i];
  }
  acc = warp_sum(acc);
  if (threadIdx.x % 32 == 0) red[threadIdx.x / 32] = acc;
  __syncthreads();
  if (threadIdx.x == 0) logits[t * router.rows + e] = red[0] + red[1] + red[2] + red[3] + (bias ? bias[e] : 0.f);
}

// One warp per token: k rounds of a warp-wide argmax (ties to the lower expert index), softmax over the chosen k.
__global__ void top_k_kernel(const float* __restrict__ all_logits, int n_experts, int k, int32_t* __restrict__ experts,
                             float* __restrict__ weights) {
  const int64_t t = blockIdx.x;
  const int lane = threadIdx.x;
  const float* logits = all_logits + t * n_experts;
  uint32_t taken = 0;  // bit j: this lane's j-th expert (lane + 32 j) was chosen
  float first = 0.f, chosen_value = 0.f, sum = 0.f;
  for (int s = 0; s < k; ++s) {
    float best = -INFINITY;
    int best_e = 0x7fffffff;
    for (int j = 0, e = lane; e < n_experts; ++j, e += 32) {
      const float v = logits[e];
      if (!(taken >> j & 1u) && (v > best || (v == best && e < best_e))) {
        best = v;
        best_e = e;
      }
    }
    for (int o = 16; o > 0; o >>= 1) {
      const float ov = __shfl_xor_sync(0xffffffffu, best, o);
      const int oe = __shfl_xor_sync(0xffffffffu, best_e, o);
      if (ov > best || (ov == best && oe < best_e)) {
        best = ov;
        best_e = oe;
      }
    }
    if (best_e % 32 == lane) taken |= 1u << (best_e / 32);
    if (s == 0) first = best;
    const float p = __expf(best - first);
    sum += p;
    if (lane == s) {
      chosen_value = p;
      experts[t * k + s] = best_e;
    }
  }
  if (lane < k) weights[t * k + lane] = chosen_value / sum;
}

}  // namespace

void route(const DevMatrix& router, const float* bias, const float* x, int64_t ldx, int64_t n, int k, float* logits,
           int32_t* experts, float* weights, cudaStream_t stream) {
  if (n <= 0) return;
  const dim3 grid(static_cast<unsigned>(router.rows), static_cast<unsigned>(n));
  switch (router.kind) {
    case Kind::F32: router_logits_kernel<Kind::F32><<<grid, 128, 0, stream>>>(router, bias, x, ldx, logits); break;
    case Kind::F16: router_logits_kernel<Kind::F16><<<grid, 128, 0, stream>>>(router, bias, x, ldx, logits); break;
    case Kind::BF16: router_logits_kernel<Kind::BF16><<<grid, 128, 0, stream>>>(router, bias, x, ldx, logits); break;
    case Kind::Q8: router_logits_kernel<Kind::Q8><<<grid, 128, 0, stream>>>(router, bias, x, ldx, logits); break;
    case Kind::MXFP4: router_logits_kernel<Kind::MXFP4><<<grid, 128, 0, stream>>>(router, bias, x, ldx, logits); break;
  }
  top_k_kernel<<<static_cast<unsigned>(n), 32, 0, stream>>>(logits, static_cast<int>(router.rows), k, experts, weights);
}

}  // namespace tally::backend::cuda
