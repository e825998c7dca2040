#version 450
// moe_down.comp for prefill: 32 rows of expert e x 32 of its slots per step, staged in shared memory.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Wb { uint W[]; };
layout(std430, binding = 1) readonly buffer DBb { float DB[]; };
layout(std430, binding = 2) readonly buffer Ab { float A[]; };
layout(std430, binding = 3) readonly buffer Lb { uint LIST[]; };
layout(std430, binding = 4) writeonly buffer Yb { float Y[]; };
layout(push_constant) uniform Push {
  uint type, rows, cols, ld, scale_word, a_off, nk, n_experts, list_off, y_off, db_off;
} p;

DEFINE_DECODE8(decode8, W)

shared float ws[32][33];
shared float as_[32][33];
shared uint slots[32];

void main() {
  const uint e = gl_WorkGroupID.z;
  const uint r0 = gl_WorkGroupID.x * 32u;
  const uint count = LIST[p.list_off + p.n_experts * p.nk + e];
  const uint tid = gl_LocalInvocationID.x;
  const uint lr = (tid % 8u) * 4u, lt = (tid / 8u) * 4u;
  float w[8];
  for (uint s0 = 0u; s0 < count; s0 += 32u) {
    const uint ns = min(32u, count - s0);
    if (tid < 32u) slots[tid] = tid < ns ? LIST[p.list_off + e * p.nk + s0 + tid] : 0u;
    float acc[4][4];
    for (uint i = 0u; i < 4u; ++i)
      for (uint j = 0u; j < 4u; ++j) acc[i][j] = 0.0;
    barrier();
    for (uint k0 = 0u; k0 < p.ld; k0 += 32u) {
      for (uint g = tid; g < 128u; g += 64u) {
        const uint rr = g / 4u, kk = (g % 4u) * 8u;
        const uint row = r0 + rr;
        if (row < p.rows) {
          decode8(p.type, (e * p.rows + row) * p.ld + k0 + kk, p.scale_word, w);
        } else {
          for (uint i = 0u; i < 8u; ++i) w[i] = 0.0;
        }
        for (uint i = 0u; i < 8u; ++i) ws[rr][kk + i] = w[i];
      }
      for (uint q = tid; q < 1024u; q += 64u) {
        const uint tt = q / 32u, kk = q % 32u, c = k0 + kk;
        as_[tt][kk] = (tt < ns && c < p.cols) ? A[p.a_off + slots[tt] * p.cols + c] : 0.0;
      }
      barrier();
      for (uint kk = 0u; kk < 32u; ++kk) {
        float a[4], b[4];
        for (uint i = 0u; i < 4u; ++i) {
          a[i] = ws[lr + i][kk];
          b[i] = as_[lt + i][kk];
        }
        for (uint i = 0u; i < 4u; ++i)
          for (uint j = 0u; j < 4u; ++j) acc[i][j] += a[i] * b[j];
      }
      barrier();
    }
    for (uint i = 0u; i < 4u; ++i) {
      const uint row = r0 + lr + i;
      if (row >= p.rows) continue;
      for (uint j = 0u; j < 4u; ++j) {
        if (lt + j < ns) Y[p.y_off + slots[lt + j] * p.rows + row] = acc[i][j] + DB[p.db_off + e * p.rows + row];
      }
    }
    barrier();
  }
}
