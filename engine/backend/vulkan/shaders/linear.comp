#version 450
// out = x W^T + b for few tokens (GEMV). `tpr` lanes (a power of two up to 64) share an output row, so a workgroup
// covers 64 / tpr rows and a tile of up to 16 tokens: each weight element is decoded once per tile, and each row's
// partial sums are reduced in shared memory. Narrow rows use few lanes per row (software devices pay per workgroup).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Wb { uint W[]; };
layout(std430, binding = 1) readonly buffer Xb { float X[]; };
layout(std430, binding = 2) readonly buffer Bb { float B[]; };
layout(std430, binding = 3) buffer Ob { float O[]; };
layout(push_constant) uniform Push {
  uint type, rows, cols, ld, scale_word, x_off, x_stride, o_off, o_stride, n, has_bias, b_off, tpr;
} p;

DEFINE_DECODE8(decode8, W)

const uint kTile = 16u;
shared float red[kTile][64];

void main() {
  const uint tid = gl_LocalInvocationID.x;
  const uint lane = tid % p.tpr;
  const uint row = linear_group() * (64u / p.tpr) + tid / p.tpr;
  const bool live = row < p.rows;
  const uint t0 = gl_WorkGroupID.z * kTile;
  const uint nt = min(kTile, p.n - t0);
  float acc[kTile];
  for (uint j = 0u; j < kTile; ++j) acc[j] = 0.0;
  float w[8];
  const uint groups = live ? p.ld / 8u : 0u;
  for (uint g = lane; g < groups; g += p.tpr) {
    decode8(p.type, row * p.ld + g * 8u, p.scale_word, w);
    const uint c0 = g * 8u;
    for (uint j = 0u; j < kTile; ++j) {
        if (j >= nt) break;
      const uint xb = p.x_off + (t0 + j) * p.x_stride + c0;
      float s = 0.0;
      for (uint i = 0u; i < 8u; ++i) s += (c0 + i < p.cols) ? w[i] * X[xb + i] : 0.0;
      acc[j] += s;
    }
  }
  if (p.tpr > 1u) {
    for (uint j = 0u; j < kTile && j < nt; ++j) red[j][tid] = acc[j];
    barrier();
    for (uint s = p.tpr / 2u; s > 0u; s >>= 1) {
      if (lane < s) {
        for (uint j = 0u; j < kTile && j < nt; ++j) red[j][tid] += red[j][tid + s];
      }
      barrier();
    }
    for (uint j = 0u; j < kTile && j < nt; ++j) acc[j] = red[j][tid];
  }
  if (live && lane == 0u) {
    const float bias = p.has_bias != 0u ? B[p.b_off + row] : 0.0;
    for (uint j = 0u; j < kTile && j < nt; ++j) O[p.o_off + (t0 + j) * p.o_stride + row] = acc[j] + bias;
  }
}
