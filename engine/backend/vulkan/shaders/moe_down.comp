#version 450
// Expert down projection: Y[slot][r] = down_e(A[slot]) + bd for every slot routed to expert e; decode path, laid
// out like moe_gate_up.comp.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Wb { uint W[]; };
layout(std430, binding = 1) readonly buffer DBb { float DB[]; };
layout(std430, binding = 2) readonly buffer Ab { float A[]; };
layout(std430, binding = 3) readonly buffer Lb { uint LIST[]; };
layout(std430, binding = 4) writeonly buffer Yb { float Y[]; };
layout(push_constant) uniform Push {
  uint type, rows, cols, ld, scale_word, a_off, nk, n_experts, list_off, y_off, db_off, tpr;
} p;

DEFINE_DECODE8(decode8, W)

const uint kTile = 16u;
shared float red[kTile][64];

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
    float acc[kTile];
    for (uint j = 0u; j < kTile; ++j) acc[j] = 0.0;
    float w[8];
    const uint groups = live ? p.ld / 8u : 0u;
    for (uint g = lane; g < groups; g += p.tpr) {
      decode8(p.type, wrow + g * 8u, p.scale_word, w);
      const uint c0 = g * 8u;
      for (uint j = 0u; j < kTile; ++j) {
        if (j >= nt) break;
        const uint slot = LIST[p.list_off + e * p.nk + t0 + j];
        const uint ab = p.a_off + slot * p.cols + c0;
        float s = 0.0;
        for (uint i = 0u; i < 8u; ++i) s += (c0 + i < p.cols) ? w[i] * A[ab + i] : 0.0;
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
      barrier();
    }
    if (live && lane == 0u) {
      for (uint j = 0u; j < kTile; ++j) {
        if (j >= nt) break;
        const uint slot = LIST[p.list_off + e * p.nk + t0 + j];
        Y[p.y_off + slot * p.rows + row] = acc[j] + DB[p.db_off + e * p.rows + row];
      }
    }
  }
}
