#version 450
// Attention with a learned sink per head and an optional sliding window. One workgroup per (token, head): each lane
// keeps an online softmax over every 64th key, then the lanes' maxima, sums and accumulators are merged. The sink
// joins the softmax's denominator only (its share is dropped, as in the reference).
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Qb { float Q[]; };
layout(std430, binding = 1) readonly buffer KCb { uint KC[]; };
layout(std430, binding = 2) readonly buffer VCb { uint VC[]; };
layout(std430, binding = 3) readonly buffer Pb { int POS[]; };
layout(std430, binding = 4) readonly buffer Sb { float SINK[]; };
layout(std430, binding = 5) writeonly buffer Ob { float O[]; };
layout(push_constant) uniform Push {
  uint q_off, q_stride, o_off, o_stride, n_heads, group, dim, width, slots, window, t0, t1, f16, pos_off, sink_off;
  float scale;
} p;

const uint kMaxDim = 64u;
shared float q_s[kMaxDim];
shared float m_s[64];
shared float l_s[64];
shared float acc_s[64][kMaxDim + 1u];

float cache_at(uint which, uint index) {
  if (p.f16 != 0u) {
    const uint word = which == 0u ? KC[index >> 1] : VC[index >> 1];
    const vec2 h = unpackHalf2x16(word);
    return (index & 1u) == 0u ? h.x : h.y;
  }
  return uintBitsToFloat(which == 0u ? KC[index] : VC[index]);
}

void main() {
  const uint t = p.t0 + gl_WorkGroupID.x;
  const uint h = gl_WorkGroupID.y;
  if (t >= p.t1) return;
  const uint tid = gl_LocalInvocationID.x;
  const uint kvh = h / p.group;
  const int pos = POS[p.pos_off + t];
  const int first = p.window > 0u ? max(0, pos - int(p.window) + 1) : 0;
  const uint count = uint(pos - first + 1);
  for (uint d = tid; d < p.dim; d += 64u) q_s[d] = Q[p.q_off + t * p.q_stride + h * p.dim + d];
  barrier();

  float m = -1.0 / 0.0;
  float l = 0.0;
  float acc[kMaxDim];
  for (uint d = 0u; d < kMaxDim; ++d) acc[d] = 0.0;
  for (uint j = tid; j < count; j += 64u) {
    const uint base = (uint(first + int(j)) % p.slots) * p.width + kvh * p.dim;
    float s = 0.0;
    if (p.f16 != 0u) {
      for (uint d = 0u; d < kMaxDim; d += 2u) {
        if (d >= p.dim) break;
        const vec2 k2 = unpackHalf2x16(KC[(base + d) >> 1]);
        s += q_s[d] * k2.x + q_s[d + 1u] * k2.y;
      }
    } else {
      for (uint d = 0u; d < kMaxDim && d < p.dim; ++d) s += q_s[d] * uintBitsToFloat(KC[base + d]);
    }
    s *= p.scale;
    const float m_new = max(m, s);
    const float carry = exp(m - m_new);
    const float e = exp(s - m_new);
    l = l * carry + e;
    if (p.f16 != 0u) {
      for (uint d = 0u; d < kMaxDim; d += 2u) {
        if (d >= p.dim) break;
        const vec2 v2 = unpackHalf2x16(VC[(base + d) >> 1]);
        acc[d] = acc[d] * carry + e * v2.x;
        acc[d + 1u] = acc[d + 1u] * carry + e * v2.y;
      }
    } else {
      for (uint d = 0u; d < kMaxDim && d < p.dim; ++d) acc[d] = acc[d] * carry + e * uintBitsToFloat(VC[base + d]);
    }
    m = m_new;
  }
  m_s[tid] = m;
  barrier();
  float m_all = SINK[p.sink_off + h];
  for (uint i = 0u; i < 64u; ++i) m_all = max(m_all, m_s[i]);
  const float f = l > 0.0 ? exp(m - m_all) : 0.0;
  l_s[tid] = l * f;
  for (uint d = 0u; d < kMaxDim && d < p.dim; ++d) acc_s[tid][d] = acc[d] * f;
  barrier();
  float denom = exp(SINK[p.sink_off + h] - m_all);
  for (uint i = 0u; i < 64u; ++i) denom += l_s[i];
  for (uint d = tid; d < p.dim; d += 64u) {
    float sum = 0.0;
    for (uint i = 0u; i < 64u; ++i) sum += acc_s[i][d];
    O[p.o_off + t * p.o_stride + h * p.dim + d] = sum / denom;
  }
}
