#version 450
// Stores k and v of tokens [t0, t1) into the layer's cache at slot position % slots (f16 pairs or f32).
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Kb { float K[]; };
layout(std430, binding = 1) readonly buffer Vb { float V[]; };
layout(std430, binding = 2) writeonly buffer KCb { uint KC[]; };
layout(std430, binding = 3) writeonly buffer VCb { uint VC[]; };
layout(std430, binding = 4) readonly buffer Pb { int POS[]; };
layout(push_constant) uniform Push {
  uint k_off, k_stride, v_off, v_stride, width, slots, t0, t1, f16, pos_off;
} p;

void main() {
  const uint pairs = p.width / 2u;
  const uint id = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 64u;
  if (id >= (p.t1 - p.t0) * pairs) return;
  const uint t = p.t0 + id / pairs;
  const uint i = (id % pairs) * 2u;
  const uint slot = uint(POS[p.pos_off + t]) % p.slots;
  const uint kb = p.k_off + t * p.k_stride + i;
  const uint vb = p.v_off + t * p.v_stride + i;
  if (p.f16 != 0u) {
    KC[(slot * p.width + i) / 2u] = packHalf2x16(vec2(K[kb], K[kb + 1u]));
    VC[(slot * p.width + i) / 2u] = packHalf2x16(vec2(V[vb], V[vb + 1u]));
  } else {
    KC[slot * p.width + i] = floatBitsToUint(K[kb]);
    KC[slot * p.width + i + 1u] = floatBitsToUint(K[kb + 1u]);
    VC[slot * p.width + i] = floatBitsToUint(V[vb]);
    VC[slot * p.width + i + 1u] = floatBitsToUint(V[vb + 1u]);
  }
}
