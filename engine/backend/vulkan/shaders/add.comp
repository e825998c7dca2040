#version 450
// x += y over n contiguous elements.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Xb { float X[]; };
layout(std430, binding = 1) readonly buffer Yb { float Y[]; };
layout(push_constant) uniform Push { uint n, x_off, y_off; } p;

void main() {
  const uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 256u;
  if (i < p.n) X[p.x_off + i] += Y[p.y_off + i];
}
