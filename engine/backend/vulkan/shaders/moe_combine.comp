#version 450
// out[t] += sum over slots s of weight[t][s] * Y[t * k + s], in slot order (as the CPU sums).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Yb { float Y[]; };
layout(std430, binding = 1) readonly buffer Wb { float RW[]; };
layout(std430, binding = 2) buffer Ob { float O[]; };
layout(push_constant) uniform Push { uint n, hidden, k, y_off, w_off, o_off, o_stride; } p;

void main() {
  const uint id = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 256u;
  if (id >= p.n * p.hidden) return;
  const uint t = id / p.hidden;
  const uint d = id % p.hidden;
  float sum = 0.0;
  for (uint s = 0u; s < p.k; ++s) sum += RW[p.w_off + t * p.k + s] * Y[p.y_off + (t * p.k + s) * p.hidden + d];
  O[p.o_off + t * p.o_stride + d] += sum;
}
