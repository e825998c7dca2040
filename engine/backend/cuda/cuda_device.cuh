#pragma once
// Device-side helpers shared by the kernels: weight decoding in units of 8 consecutive elements of a row (one
// 16-byte load for f16/bf16, 8 bytes for Q8, 4 bytes for MXFP4), warp reductions, launch checking.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "backend/cuda/cuda_matrix.h"

namespace tally::backend::cuda {

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

// 2^(e - 128): the E8M0 scale with the e2m1 table's factor 1/2 folded in (the table below holds 2x the values, so
// every nibble decodes to an integer). Exact, denormals included.
__device__ __forceinline__ float e8m0_half_scale(uint32_t e) {
  return e >= 2 ? __int_as_float(static_cast<int>((e - 1) << 23)) : __int_as_float(0x400000 >> (1 - e));
}

// A small unsigned integer to float without the (quarter-rate) conversion instruction: placed in the mantissa of
// 2^23 and the 2^23 subtracted, exact for values below 2^23.
__device__ __forceinline__ float small_uint_to_float(uint32_t m) {
  return __uint_as_float(0x4B000000u | m) - 8388608.0f;
}

// e2m1 nibble -> 2x its value: {0, 1, 2, 3, 4, 6, 8, 12}, sign in bit 3.
__device__ __forceinline__ float e2m1x2(uint32_t v) {
  const float m = small_uint_to_float((0xC8643210u >> ((v & 7u) * 4u)) & 15u);
  return __uint_as_float(__float_as_uint(m) | ((v & 8u) << 28));
}

// Decodes elements [8u, 8u + 8) of row r of matrix e into w.
template <Kind K>
__device__ __forceinline__ void load_unit(const DevMatrix& m, int64_t e, int64_t r, int64_t u, float* w) {
  const int64_t row = e * m.rows + r;
  if constexpr (K == Kind::F32) {
    const float4* p = reinterpret_cast<const float4*>(m.q + row * m.cols * 4) + 2 * u;
    const float4 a = __ldg(p), b = __ldg(p + 1);
    w[0] = a.x; w[1] = a.y; w[2] = a.z; w[3] = a.w;
    w[4] = b.x; w[5] = b.y; w[6] = b.z; w[7] = b.w;
  } else if constexpr (K == Kind::F16) {
    const uint4 v = __ldg(reinterpret_cast<const uint4*>(m.q + row * m.cols * 2) + u);
    const __half2* h = reinterpret_cast<const __half2*>(&v);
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      const float2 f = __half22float2(h[i]);
      w[2 * i] = f.x;
      w[2 * i + 1] = f.y;
    }
  } else if constexpr (K == Kind::BF16) {
    const uint4 v = __ldg(reinterpret_cast<const uint4*>(m.q + row * m.cols * 2) + u);
    const uint32_t words[4] = {v.x, v.y, v.z, v.w};
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      w[2 * i] = __uint_as_float(words[i] << 16);
      w[2 * i + 1] = __uint_as_float(words[i] & 0xffff0000u);
    }
  } else if constexpr (K == Kind::Q8) {
    const uint2 v = __ldg(reinterpret_cast<const uint2*>(m.q + row * m.cols) + u);
    const __half s = __ldg(reinterpret_cast<const __half*>(m.scales + row * (m.cols / 32) * 2) + u / 4);
    const float d = __half2float(s);
    const uint32_t words[2] = {v.x, v.y};
#pragma unroll
    for (int i = 0; i < 8; ++i) {
      // int8 b as (b + 128) - 128, both steps exact in f32
      const uint32_t biased = ((words[i / 4] >> (8 * (i % 4))) & 0xffu) ^ 0x80u;
      w[i] = d * (small_uint_to_float(biased) - 128.0f);
    }
  } else {  // MXFP4
    const uint32_t v = __ldg(reinterpret_cast<const uint32_t*>(m.q + row * (m.cols / 2)) + u);
    const float d = e8m0_half_scale(__ldg(m.scales + row * (m.cols / 32) + u / 4));
#pragma unroll
    for (int i = 0; i < 8; ++i) w[i] = e2m1x2((v >> (4 * i)) & 15u) * d;
  }
}

// Decodes block b (elements [32b, 32b + 32)) of row r of matrix e into w: one 16-byte load for MXFP4, two for Q8,
// so a lane of a decode GEMV streams whole blocks.
template <Kind K>
__device__ __forceinline__ void load_block(const DevMatrix& m, int64_t e, int64_t r, int64_t b, float* w) {
  const int64_t row = e * m.rows + r;
  if constexpr (K == Kind::MXFP4) {
    const uint4 v = __ldg(reinterpret_cast<const uint4*>(m.q + row * (m.cols / 2)) + b);
    const float d = e8m0_half_scale(__ldg(m.scales + row * (m.cols / 32) + b));
    const uint32_t words[4] = {v.x, v.y, v.z, v.w};
#pragma unroll
    for (int i = 0; i < 32; ++i) w[i] = e2m1x2((words[i / 8] >> (4 * (i % 8))) & 15u) * d;
  } else if constexpr (K == Kind::Q8) {
    const uint4* p = reinterpret_cast<const uint4*>(m.q + row * m.cols) + 2 * b;
    const uint4 v0 = __ldg(p), v1 = __ldg(p + 1);
    const float d = __half2float(__ldg(reinterpret_cast<const __half*>(m.scales + row * (m.cols / 32) * 2) + b));
    const uint32_t words[8] = {v0.x, v0.y, v0.z, v0.w, v1.x, v1.y, v1.z, v1.w};
#pragma unroll
    for (int i = 0; i < 32; ++i) {
      const uint32_t biased = ((words[i / 4] >> (8 * (i % 4))) & 0xffu) ^ 0x80u;
      w[i] = d * (small_uint_to_float(biased) - 128.0f);
    }
  } else {
#pragma unroll
    for (int i = 0; i < 4; ++i) load_unit<K>(m, e, r, 4 * b + i, w + 8 * i);
  }
}

// A vector staged in shared memory for block-per-lane reads: 33 floats per 32 elements, so lane l reading element j
// of its block hits bank (l + j) % 32 (no conflicts).
constexpr int kPaddedBlock = 33;
__device__ __forceinline__ int64_t padded_index(int64_t i) { return (i / 32) * kPaddedBlock + i % 32; }

__device__ __forceinline__ void stage_padded(const float* __restrict__ x, int64_t n, float* xs) {
  for (int64_t i = threadIdx.x; i < n; i += blockDim.x) xs[padded_index(i)] = x[i];
}

// Dot product of block b of a staged vector with w[32].
__device__ __forceinline__ float dot_block(const float* xs, int64_t b, const float* w) {
  const float* p = xs + b * kPaddedBlock;
  float s = 0.f;
#pragma unroll
  for (int i = 0; i < 32; ++i) s += w[i] * p[i];
  return s;
}

}  // namespace tally::backend::cuda
