// Attention with gpt-oss's learned sinks and sliding window over the GPU KV cache. Split-K ("flash decoding"): the
// keys of each query are cut into splits processed by separate blocks with an online softmax; a second kernel
// merges the splits and the sink. One block = one query token x one KV head x one split; its warps are the query
// heads that share the KV head (GQA), so each K/V tile is loaded into shared memory once for all of them.
#include <algorithm>
#include <cfloat>

#include "backend/cuda/cuda_device.cuh"
#include "backend/cuda/cuda_ops.h"

namespace tally::backend::cuda {

namespace {

constexpr int kDim = 64;   // head_dim (checked at prepare)
constexpr int kTile = 32;  // keys per shared-memory tile
constexpr int kPart = kDim + 2;  // per (query, head, split): max, sum, acc[64]
constexpr int kKeysPerSplit = 256;
constexpr int kMaxSplits = 64;
constexpr int kMergeWarps = 8;

template <bool F16>
__device__ __forceinline__ float load_kv(const void* base, int64_t i) {
  if constexpr (F16) return __half2float(static_cast<const __half*>(base)[i]);
  else return static_cast<const float*>(base)[i];
}

template <bool F16>
__global__ void kv_store_kernel(KvLayerView kv, const float* __restrict__ k, int64_t ldk, const float* __restrict__ v,
                                int64_t ldv, const int32_t* __restrict__ positions) {
  const int64_t t = blockIdx.x;
  const int64_t slot = positions[t] % kv.slots;
  for (int64_t i = threadIdx.x; i < kv.width; i += blockDim.x) {
    const float kf = k[t * ldk + i], vf = v[t * ldv + i];
    if constexpr (F16) {
      static_cast<__half*>(kv.k)[slot * kv.width + i] = __float2half_rn(kf);
      static_cast<__half*>(kv.v)[slot * kv.width + i] = __float2half_rn(vf);
    } else {
      static_cast<float*>(kv.k)[slot * kv.width + i] = kf;
      static_cast<float*>(kv.v)[slot * kv.width + i] = vf;
    }
  }
}

template <bool F16>
__global__ void attention_split_kernel(AttentionArgs a, int splits, int64_t split_len, float* __restrict__ part) {
  __shared__ float ks[kTile][kDim + 1];
  __shared__ float vs[kTile][kDim];
  extern __shared__ float qs[];  // group x kDim
  const int split = blockIdx.x, kvh = blockIdx.y;
  const int64_t t = blockIdx.z;
  const int group = a.n_heads / a.n_kv_heads;
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int h = kvh * group + warp;
  const int64_t pos = a.positions[t];
  const int64_t first = a.window > 0 ? max(int64_t{0}, pos - a.window + 1) : 0;
  const int64_t begin = first + split * split_len;
  const int64_t end = min(pos + 1, begin + split_len);
  float* p = part + ((t * a.n_heads + h) * splits + split) * kPart;
  if (begin >= end) {
    if (lane == 0) {
      p[0] = -FLT_MAX;
      p[1] = 0.f;
    }
    if (lane < kDim / 2) p[2 + 2 * lane] = p[3 + 2 * lane] = 0.f;
    return;
  }
  const float* q = a.q + t * a.ldq + h * kDim;
  qs[warp * kDim + lane] = q[lane];
  qs[warp * kDim + lane + 32] = q[lane + 32];
  const float scale = rsqrtf(static_cast<float>(kDim));
  float m = -FLT_MAX, l = 0.f, acc0 = 0.f, acc1 = 0.f;
  const int64_t width = a.kv.width;
  for (int64_t j0 = begin; j0 < end; j0 += kTile) {
    __syncthreads();
    for (int i = threadIdx.x; i < kTile * kDim; i += blockDim.x) {
      const int j = i / kDim, d = i % kDim;
      const int64_t key = j0 + j;
      float kf = 0.f, vf = 0.f;
      if (key < end) {
        const int64_t off = (key % a.kv.slots) * width + kvh * kDim + d;
        kf = load_kv<F16>(a.kv.k, off);
        vf = load_kv<F16>(a.kv.v, off);
      }
      ks[j][d] = kf;
      vs[j][d] = vf;
    }
    __syncthreads();
    const bool valid = j0 + lane < end;
    float s = -FLT_MAX;
    if (valid) {
      float dot = 0.f;
#pragma unroll 16
      for (int d = 0; d < kDim; ++d) dot += qs[warp * kDim + d] * ks[lane][d];
      s = dot * scale;
    }
    const float m_new = fmaxf(m, warp_max(s));
    const float pj = valid ? __expf(s - m_new) : 0.f;
    const float alpha = __expf(m - m_new);
    l = l * alpha + warp_sum(pj);
    acc0 *= alpha;
    acc1 *= alpha;
#pragma unroll 8
    for (int j = 0; j < kTile; ++j) {
      const float pb = __shfl_sync(0xffffffffu, pj, j);
      acc0 += pb * vs[j][2 * lane];
      acc1 += pb * vs[j][2 * lane + 1];
    }
    m = m_new;
  }
  if (lane == 0) {
    p[0] = m;
    p[1] = l;
  }
  p[2 + 2 * lane] = acc0;
  p[3 + 2 * lane] = acc1;
}

// One warp per (query, head): merges the splits with the sink, whose share of the softmax is dropped.
__global__ void attention_merge_kernel(AttentionArgs a, int splits, const float* __restrict__ part) {
  const int64_t t = blockIdx.x;
  const int h = blockIdx.y * kMergeWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (h >= a.n_heads) return;
  const float* p = part + (t * a.n_heads + h) * splits * kPart;
  const float sink = a.sinks[h];
  float m = sink;
  for (int s = 0; s < splits; ++s) m = fmaxf(m, p[s * kPart]);
  float denom = __expf(sink - m), acc0 = 0.f, acc1 = 0.f;
  for (int s = 0; s < splits; ++s) {
    const float* ps = p + s * kPart;
    if (ps[1] == 0.f) continue;
    const float f = __expf(ps[0] - m);
    denom += ps[1] * f;
    acc0 += ps[2 + 2 * lane] * f;
    acc1 += ps[3 + 2 * lane] * f;
  }
  float* o = a.out + t * a.ldo + h * kDim;
  o[2 * lane] = acc0 / denom;
  o[2 * lane + 1] = acc1 / denom;
}

// Splits give a decode step enough blocks; a prefill chunk has n x kv-heads blocks already, and more splits would
// only grow the partials (n x heads x splits x 66 floats).
constexpr int64_t kEnoughBlocks = 4096;

int split_count(const AttentionArgs& a) {
  int64_t s = (a.max_keys + kKeysPerSplit - 1) / kKeysPerSplit;
  s = std::min<int64_t>(s, std::max<int64_t>(1, kEnoughBlocks / std::max<int64_t>(1, a.n * a.n_kv_heads)));
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(kMaxSplits, s)));
}

}  // namespace

void kv_store(const KvLayerView& kv, const float* k, int64_t ldk, const float* v, int64_t ldv,
              const int32_t* positions, int64_t n, cudaStream_t stream) {
  if (n <= 0) return;
  if (kv.f16) kv_store_kernel<true><<<static_cast<unsigned>(n), 128, 0, stream>>>(kv, k, ldk, v, ldv, positions);
  else kv_store_kernel<false><<<static_cast<unsigned>(n), 128, 0, stream>>>(kv, k, ldk, v, ldv, positions);
}

size_t attention_scratch_bytes(const AttentionArgs& a) {
  return static_cast<size_t>(a.n * a.n_heads * split_count(a) * kPart) * sizeof(float);
}

void attention(const AttentionArgs& a, void* scratch, cudaStream_t stream) {
  if (a.n <= 0) return;
  const int splits = split_count(a);
  // Splits of whole tiles, so only a query's last split has a partial tile.
  int64_t split_len = (a.max_keys + splits - 1) / splits;
  split_len = (split_len + kTile - 1) / kTile * kTile;
  const int group = a.n_heads / a.n_kv_heads;
  const dim3 grid(static_cast<unsigned>(splits), static_cast<unsigned>(a.n_kv_heads), static_cast<unsigned>(a.n));
  const size_t smem = static_cast<size_t>(group * kDim) * sizeof(float);
  auto* part = static_cast<float*>(scratch);
  if (a.kv.f16) attention_split_kernel<true><<<grid, group * 32, smem, stream>>>(a, splits, split_len, part);
  else attention_split_kernel<false><<<grid, group * 32, smem, stream>>>(a, splits, split_len, part);
  const dim3 merge_grid(static_cast<unsigned>(a.n), static_cast<unsigned>((a.n_heads + kMergeWarps - 1) / kMergeWarps));
  attention_merge_kernel<<<merge_grid, kMergeWarps * 32, 0, stream>>>(a, splits, part);
}

}  // namespace tally::backend::cuda
