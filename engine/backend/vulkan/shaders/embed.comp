#version 450
// out[i] = row tokens[i] of the table, decoded to f32; one lane per 8 columns.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Wb { uint W[]; };
layout(std430, binding = 1) readonly buffer Tb { int T[]; };
layout(std430, binding = 2) writeonly buffer Ob { float O[]; };
layout(push_constant) uniform Push { uint type, rows, cols, ld, scale_word, n, o_off, o_stride, t_off; } p;

DEFINE_DECODE8(decode8, W)

void main() {
  const uint groups = p.ld / 8u;
  const uint id = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 64u;
  if (id >= p.n * groups) return;
  const uint i = id / groups;
  const uint g = id % groups;
  const int tok = T[p.t_off + i];
  float w[8];
  if (tok < 0 || uint(tok) >= p.rows) {
    for (uint k = 0u; k < 8u; ++k) w[k] = 0.0;  // out-of-range ids were rejected upstream; never read past the table
  } else {
    decode8(p.type, uint(tok) * p.ld + g * 8u, p.scale_word, w);
  }
  for (uint k = 0u; k < 8u; ++k) {
    const uint c = g * 8u + k;
    if (c < p.cols) O[p.o_off + i * p.o_stride + c] = w[k];
  }
}
