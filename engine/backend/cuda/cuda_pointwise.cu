// Row-wise ops: embedding lookup, RMSNorm, residual add, YaRN rotary.
#include "backend/cuda/cuda_device.cuh"
#include "backend/cuda/cuda_ops.h"

namespace tally::backend::cuda {

namespace {

template <Kind K>
__global__ void embed_kernel(DevMatrix table, const int32_t* __restrict__ tokens, float* __restrict__ out,
                             int64_t ldo) {
  const int64_t t = blockIdx.x;
  const int32_t token = tokens[t];
  float* o = out + t * ldo;
  const int64_t units = table.cols / 8;
  for (int64_t u = threadIdx.x; u < units; u += blockDim.x) {
    float w[8];
    if (token >= 0 && token < table.rows) {
      load_unit<K>(table, 0, token, u, w);
    } else {  // the host validates ids; an out-of-range one must still not read outside the table
#pragma unroll
      for (int i = 0; i < 8; ++i) w[i] = 0.f;
    }
#pragma unroll
    for (int i = 0; i < 8; ++i) o[u * 8 + i] = w[i];
  }
}

__device__ float block_sum(float v, float* red) {
  v = warp_sum(v);
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  if (lane == 0) red[warp] = v;
  __syncthreads();
  const int warps = blockDim.x / 32;
  v = lane < warps ? red[lane] : 0.f;
  v = warp_sum(v);
  __syncthreads();
  return v;
}

__global__ void rmsnorm_kernel(const float* __restrict__ x, int64_t ldx, int64_t cols, const float* __restrict__ w,
                               float eps, float* __restrict__ out, int64_t ldo) {
  __shared__ float red[32];
  const float* xr = x + blockIdx.x * ldx;
  float* o = out + blockIdx.x * ldo;
  float ss = 0.f;
  for (int64_t i = threadIdx.x; i < cols; i += blockDim.x) ss += xr[i] * xr[i];
  ss = block_sum(ss, red);
  const float inv = rsqrtf(ss / static_cast<float>(cols) + eps);
  for (int64_t i = threadIdx.x; i < cols; i += blockDim.x) o[i] = xr[i] * inv * w[i];
}

__global__ void add_kernel(float* __restrict__ x, const float* __restrict__ y, int64_t count) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < count) x[i] += y[i];
}

// One block per token. Angles in double, as the CPU's YarnRope forms them: an f32 angle at position 100k would be
// off by ~1e-2 rad.
__global__ void rope_kernel(RopeArgs a) {
  const int64_t t = blockIdx.x;
  const int half = a.head_dim / 2;
  const double pos = static_cast<double>(a.positions[t]);
  const int pairs = (a.n_heads + a.n_kv_heads) * half;
  for (int i = threadIdx.x; i < pairs; i += blockDim.x) {
    const int head = i / half, d = i % half;
    double s, c;
    sincos(pos * a.inv_freq[d], &s, &c);
    const float cs = static_cast<float>(c * a.concentration), sn = static_cast<float>(s * a.concentration);
    float* h = head < a.n_heads ? a.q + t * a.ldq + head * a.head_dim
                                : a.k + t * a.ldk + (head - a.n_heads) * a.head_dim;
    const float x1 = h[d], x2 = h[d + half];
    h[d] = x1 * cs - x2 * sn;
    h[d + half] = x2 * cs + x1 * sn;
  }
}

}  // namespace

void embed(const DevMatrix& table, const int32_t* tokens, int64_t n, float* out, int64_t ldo, cudaStream_t stream) {
  if (n <= 0) return;
  const unsigned grid = static_cast<unsigned>(n);
  switch (table.kind) {
    case Kind::F32: embed_kernel<Kind::F32><<<grid, 128, 0, stream>>>(table, tokens, out, ldo); break;
    case Kind::F16: embed_kernel<Kind::F16><<<grid, 128, 0, stream>>>(table, tokens, out, ldo); break;
    case Kind::BF16: embed_kernel<Kind::BF16><<<grid, 128, 0, stream>>>(table, tokens, out, ldo); break;
    case Kind::Q8: embed_kernel<Kind::Q8><<<grid, 128, 0, stream>>>(table, tokens, out, ldo); break;
    case Kind::MXFP4: embed_kernel<Kind::MXFP4><<<grid, 128, 0, stream>>>(table, tokens, out, ldo); break;
  }
}

void rmsnorm(const float* x, int64_t ldx, int64_t n, int64_t cols, const float* w, float eps, float* out,
             int64_t ldo, cudaStream_t stream) {
  if (n <= 0) return;
  rmsnorm_kernel<<<static_cast<unsigned>(n), 1024, 0, stream>>>(x, ldx, cols, w, eps, out, ldo);
}

void add(float* x, const float* y, int64_t count, cudaStream_t stream) {
  if (count <= 0) return;
  add_kernel<<<static_cast<unsigned>((count + 255) / 256), 256, 0, stream>>>(x, y, count);
}

void rope(const RopeArgs& a, cudaStream_t stream) {
  if (a.n <= 0) return;
  rope_kernel<<<static_cast<unsigned>(a.n), 1024, 0, stream>>>(a);
}

}  // namespace tally::backend::cuda
