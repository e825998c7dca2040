#version 450
// YaRN rotary, half-split pairing, in place on q and k. The cos/sin table (host-computed in double, as the CPU's)
// holds per token `half` cosines then `half` sines.
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer Qb { float Q[]; };
layout(std430, binding = 1) buffer Kb { float K[]; };
layout(std430, binding = 2) readonly buffer Cb { float CS[]; };
layout(push_constant) uniform Push {
  uint q_off, q_stride, k_off, k_stride, n_heads, n_kv, dim, half_dim, n, cs_off;
} p;

void main() {
  const uint heads = p.n_heads + p.n_kv;
  const uint id = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 64u;
  if (id >= p.n * heads * p.half_dim) return;
  const uint d = id % p.half_dim;
  const uint h = (id / p.half_dim) % heads;
  const uint t = id / (p.half_dim * heads);
  const float c = CS[p.cs_off + t * 2u * p.half_dim + d];
  const float s = CS[p.cs_off + t * 2u * p.half_dim + p.half_dim + d];
  if (h < p.n_heads) {
    const uint b = p.q_off + t * p.q_stride + h * p.dim + d;
    const float x1 = Q[b], x2 = Q[b + p.half_dim];
    Q[b] = x1 * c - x2 * s;
    Q[b + p.half_dim] = x2 * c + x1 * s;
  } else {
    const uint b = p.k_off + t * p.k_stride + (h - p.n_heads) * p.dim + d;
    const float x1 = K[b], x2 = K[b + p.half_dim];
    K[b] = x1 * c - x2 * s;
    K[b + p.half_dim] = x2 * c + x1 * s;
  }
}
