#version 450
// Lists, per expert, the (token, slot) pairs routed to it, in slot order: LIST[e * nk + i], count at
// LIST[n_experts * nk + e]. One workgroup per expert; lanes take contiguous ranges and a prefix sum orders them.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Eb { int E[]; };
layout(std430, binding = 1) writeonly buffer Lb { uint LIST[]; };
layout(push_constant) uniform Push { uint nk, n_experts, e_off, list_off; } p;

shared uint counts[64];

void main() {
  const uint e = gl_WorkGroupID.x;
  const uint tid = gl_LocalInvocationID.x;
  const uint per = (p.nk + 63u) / 64u;
  const uint begin = min(p.nk, tid * per), end = min(p.nk, begin + per);
  uint c = 0u;
  for (uint i = begin; i < end; ++i) c += uint(E[p.e_off + i]) == e ? 1u : 0u;
  counts[tid] = c;
  barrier();
  uint offset = 0u;
  for (uint i = 0u; i < tid; ++i) offset += counts[i];
  for (uint i = begin; i < end; ++i) {
    if (uint(E[p.e_off + i]) == e) LIST[p.list_off + e * p.nk + offset++] = i;
  }
  if (tid == 63u) LIST[p.list_off + p.n_experts * p.nk + e] = offset;
}
