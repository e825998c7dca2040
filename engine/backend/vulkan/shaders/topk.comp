#version 450
// Router logits -> the k largest (ties: lower expert index first) and their softmax over those k only.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Lb { float L[]; };
layout(std430, binding = 1) writeonly buffer Eb { int E[]; };
layout(std430, binding = 2) writeonly buffer Wb { float Wt[]; };
layout(push_constant) uniform Push { uint n, n_experts, k, l_off, l_stride, e_off, w_off; } p;

void main() {
  const uint t = gl_GlobalInvocationID.x;
  if (t >= p.n) return;
  uint taken[8] = uint[8](0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u);  // up to 256 experts
  const uint lb = p.l_off + t * p.l_stride;
  float top = 0.0;
  float vals[32];
  uint ids[32];
  for (uint s = 0u; s < p.k; ++s) {
    int best = -1;
    float bv = 0.0;
    for (uint e = 0u; e < p.n_experts; ++e) {
      if ((taken[e >> 5] & (1u << (e & 31u))) != 0u) continue;
      const float v = L[lb + e];
      if (best < 0 || v > bv) {
        best = int(e);
        bv = v;
      }
    }
    taken[uint(best) >> 5] |= 1u << (uint(best) & 31u);
    if (s == 0u) top = bv;
    vals[s] = bv;
    ids[s] = uint(best);
  }
  float sum = 0.0;
  for (uint s = 0u; s < p.k; ++s) sum += exp(vals[s] - top);
  for (uint s = 0u; s < p.k; ++s) {
    E[p.e_off + t * p.k + s] = int(ids[s]);
    Wt[p.w_off + t * p.k + s] = exp(vals[s] - top) / sum;
  }
}
