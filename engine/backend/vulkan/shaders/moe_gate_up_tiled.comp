#version 450
// moe_gate_up.comp for prefill: a workgroup computes 32 rows of expert e for its routed slots, 32 slots at a time,
// with decoded gate/up weights and the gathered inputs staged in shared memory (as linear_tiled.comp).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Gb { uint WG[]; };
layout(std430, binding = 1) readonly buffer Ub { uint WU[]; };
layout(std430, binding = 2) readonly buffer GBb { float GB[]; };
layout(std430, binding = 3) readonly buffer UBb { float UB[]; };
layout(std430, binding = 4) readonly buffer Xb { float X[]; };
layout(std430, binding = 5) readonly buffer Lb { uint LIST[]; };
layout(std430, binding = 6) writeonly buffer Ab { float A[]; };
layout(push_constant) uniform Push {
  uint type_g, type_u, rows, cols, ld, scale_g, scale_u, x_off, x_stride, k, nk, n_experts, list_off, a_off, gb_off,
      ub_off;
  float limit;
} p;

DEFINE_DECODE8(decode_g, WG)
DEFINE_DECODE8(decode_u, WU)

shared float gs[32][33];
shared float us[32][33];
shared float xs[32][33];
shared uint slots[32];

void main() {
  const uint e = gl_WorkGroupID.z;
  const uint r0 = gl_WorkGroupID.x * 32u;
  const uint count = LIST[p.list_off + p.n_experts * p.nk + e];
  const uint tid = gl_LocalInvocationID.x;
  const uint lr = (tid % 8u) * 4u, lt = (tid / 8u) * 4u;
  const uint wbase = e * p.rows;
  float wg[8], wu[8];
  for (uint s0 = 0u; s0 < count; s0 += 32u) {
    const uint ns = min(32u, count - s0);
    if (tid < 32u) slots[tid] = tid < ns ? LIST[p.list_off + e * p.nk + s0 + tid] : 0u;
    float ag[4][4], au[4][4];
    for (uint i = 0u; i < 4u; ++i)
      for (uint j = 0u; j < 4u; ++j) {
        ag[i][j] = 0.0;
        au[i][j] = 0.0;
      }
    barrier();
    for (uint k0 = 0u; k0 < p.ld; k0 += 32u) {
      for (uint g = tid; g < 128u; g += 64u) {
        const uint rr = g / 4u, kk = (g % 4u) * 8u;
        const uint row = r0 + rr;
        if (row < p.rows) {
          decode_g(p.type_g, (wbase + row) * p.ld + k0 + kk, p.scale_g, wg);
          decode_u(p.type_u, (wbase + row) * p.ld + k0 + kk, p.scale_u, wu);
        } else {
          for (uint i = 0u; i < 8u; ++i) {
            wg[i] = 0.0;
            wu[i] = 0.0;
          }
        }
        for (uint i = 0u; i < 8u; ++i) {
          gs[rr][kk + i] = wg[i];
          us[rr][kk + i] = wu[i];
        }
      }
      for (uint q = tid; q < 1024u; q += 64u) {
        const uint tt = q / 32u, kk = q % 32u, c = k0 + kk;
        xs[tt][kk] = (tt < ns && c < p.cols) ? X[p.x_off + (slots[tt] / p.k) * p.x_stride + c] : 0.0;
      }
      barrier();
      for (uint kk = 0u; kk < 32u; ++kk) {
        float a[4], b[4], c[4];
        for (uint i = 0u; i < 4u; ++i) {
          a[i] = gs[lr + i][kk];
          b[i] = us[lr + i][kk];
          c[i] = xs[lt + i][kk];
        }
        for (uint i = 0u; i < 4u; ++i)
          for (uint j = 0u; j < 4u; ++j) {
            ag[i][j] += a[i] * c[j];
            au[i][j] += b[i] * c[j];
          }
      }
      barrier();
    }
    for (uint i = 0u; i < 4u; ++i) {
      const uint row = r0 + lr + i;
      if (row >= p.rows) continue;
      for (uint j = 0u; j < 4u; ++j) {
        if (lt + j >= ns) continue;
        float gate = ag[i][j] + GB[p.gb_off + e * p.rows + row];
        float up = au[i][j] + UB[p.ub_off + e * p.rows + row];
        gate = min(gate, p.limit);
        up = clamp(up, -p.limit, p.limit);
        A[p.a_off + slots[lt + j] * p.rows + row] = gate / (1.0 + exp(-1.702 * gate)) * (up + 1.0);
      }
    }
    barrier();
  }
}
