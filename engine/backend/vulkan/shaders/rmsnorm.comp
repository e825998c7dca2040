#version 450
// out = x / rms(x) * w per row: one workgroup per row, shared-memory reduction.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Xb { float X[]; };
layout(std430, binding = 1) readonly buffer Wb { float Wt[]; };
layout(std430, binding = 2) writeonly buffer Ob { float O[]; };
layout(push_constant) uniform Push { uint cols, x_off, x_stride, o_off, o_stride, w_off, rows; float eps; } p;

shared float red[64];

void main() {
  const uint row = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
  if (row >= p.rows) return;
  const uint tid = gl_LocalInvocationID.x;
  const uint xb = p.x_off + row * p.x_stride;
  float ss = 0.0;
  for (uint i = tid; i < p.cols; i += 64u) ss += X[xb + i] * X[xb + i];
  red[tid] = ss;
  barrier();
  for (uint s = 32u; s > 0u; s >>= 1) {
    if (tid < s) red[tid] += red[tid + s];
    barrier();
  }
  const float inv = inversesqrt(red[0] / float(p.cols) + p.eps);
  const uint ob = p.o_off + row * p.o_stride;
  for (uint i = tid; i < p.cols; i += 64u) O[ob + i] = X[xb + i] * inv * Wt[p.w_off + i];
}
