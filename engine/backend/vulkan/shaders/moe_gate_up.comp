#version 450
// Expert gate and up projections with gpt-oss's clamped SwiGLU: A[slot][r] = swiglu(gate_e(x) + bg, up_e(x) + bu)
// for every (token, slot) routed to expert e. Decode path: `tpr` lanes share a row (64 / tpr rows per workgroup, as
// linear.comp), workgroups along z are experts, over the expert's list in tiles of 16, so each chosen expert's rows
// are read once per 16 tokens and unchosen experts cost nothing.
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
  uint tpr;
} p;

DEFINE_DECODE8(decode_g, WG)
DEFINE_DECODE8(decode_u, WU)

const uint kTile = 16u;
shared float red[2u * kTile][64];

void main() {
  const uint tid = gl_LocalInvocationID.x;
  const uint lane = tid % p.tpr;
  const uint row = (gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x) * (64u / p.tpr) + tid / p.tpr;
  const bool live = row < p.rows;
  const uint e = gl_WorkGroupID.z;
  const uint count = LIST[p.list_off + p.n_experts * p.nk + e];
  const uint wrow = (e * p.rows + row) * p.ld;
  for (uint t0 = 0u; t0 < count; t0 += kTile) {
    const uint nt = min(kTile, count - t0);
    float ag[kTile], au[kTile];
    for (uint j = 0u; j < kTile; ++j) {
      ag[j] = 0.0;
      au[j] = 0.0;
    }
    float wg[8], wu[8];
    const uint groups = live ? p.ld / 8u : 0u;
    for (uint g = lane; g < groups; g += p.tpr) {
      decode_g(p.type_g, wrow + g * 8u, p.scale_g, wg);
      decode_u(p.type_u, wrow + g * 8u, p.scale_u, wu);
      const uint c0 = g * 8u;
      for (uint j = 0u; j < kTile; ++j) {
        if (j >= nt) break;
        const uint slot = LIST[p.list_off + e * p.nk + t0 + j];
        const uint xb = p.x_off + (slot / p.k) * p.x_stride + c0;
        for (uint i = 0u; i < 8u; ++i) {
          const float xv = (c0 + i < p.cols) ? X[xb + i] : 0.0;
          ag[j] += wg[i] * xv;
          au[j] += wu[i] * xv;
        }
      }
    }
    if (p.tpr > 1u) {
      for (uint j = 0u; j < kTile; ++j) {
        if (j >= nt) break;
        red[j][tid] = ag[j];
        red[kTile + j][tid] = au[j];
      }
      barrier();
      for (uint s = p.tpr / 2u; s > 0u; s >>= 1) {
        if (lane < s) {
          for (uint j = 0u; j < kTile; ++j) {
        if (j >= nt) break;
            red[j][tid] += red[j][tid + s];
            red[kTile + j][tid] += red[kTile + j][tid + s];
          }
        }
        barrier();
      }
      for (uint j = 0u; j < kTile; ++j) {
        if (j >= nt) break;
        ag[j] = red[j][tid];
        au[j] = red[kTile + j][tid];
      }
      barrier();
    }
    if (live && lane == 0u) {
      for (uint j = 0u; j < kTile; ++j) {
        if (j >= nt) break;
        const uint slot = LIST[p.list_off + e * p.nk + t0 + j];
        float gate = ag[j] + GB[p.gb_off + e * p.rows + row];
        float up = au[j] + UB[p.ub_off + e * p.rows + row];
        gate = min(gate, p.limit);
        up = clamp(up, -p.limit, p.limit);
        A[p.a_off + slot * p.rows + row] = gate / (1.0 + exp(-1.702 * gate)) * (up + 1.0);
      }
    }
  }
}
