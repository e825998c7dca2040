// Shared by the kernels: weight decoding for the layouts vk_weights.cpp uploads. Every matrix is stored densely,
// matrix e row r starting at element (e * rows + r) * ld (ld = cols rounded up to 8, or to 32 for block types):
//   F32: one word per element; F16/BF16: two per word; Q8_0: int8 quants, then (at scale_word) one f32 scale per
//   32; MXFP4: nibbles in element order (8 per word), then (at scale_word) one E8M0 byte per 32.
#define T_F32 0u
#define T_F16 1u
#define T_BF16 2u
#define T_Q8 3u
#define T_MX4 4u

const float kE2M1[16] = float[16](0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0,
                                  -0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0, -6.0);

// 2^(e - 127) built from its bits (exact, also for e = 0), NaN for 255: as the CPU's e8m0_to_f32.
float e8m0(uint e) {
  if (e == 255u) return uintBitsToFloat(0x7fc00000u);
  if (e == 0u) return uintBitsToFloat(0x00400000u);
  return uintBitsToFloat(e << 23);
}

// Decodes the 8 elements starting at global element index `elem` (a multiple of 8) of the weight buffer W.
#define DEFINE_DECODE8(NAME, W)                                                              \
  void NAME(uint type, uint elem, uint scale_word, inout float w[8]) {                       \
    if (type == T_F32) {                                                                     \
      for (uint i = 0u; i < 8u; ++i) w[i] = uintBitsToFloat(W[elem + i]);                    \
    } else if (type == T_F16) {                                                              \
      uint b = elem >> 1;                                                                    \
      for (uint i = 0u; i < 4u; ++i) {                                                       \
        vec2 h = unpackHalf2x16(W[b + i]);                                                   \
        w[2u * i] = h.x;                                                                     \
        w[2u * i + 1u] = h.y;                                                                \
      }                                                                                      \
    } else if (type == T_BF16) {                                                             \
      uint b = elem >> 1;                                                                    \
      for (uint i = 0u; i < 4u; ++i) {                                                       \
        uint v = W[b + i];                                                                   \
        w[2u * i] = uintBitsToFloat(v << 16);                                                \
        w[2u * i + 1u] = uintBitsToFloat(v & 0xffff0000u);                                   \
      }                                                                                      \
    } else if (type == T_Q8) {                                                               \
      uint b = elem >> 2;                                                                    \
      float d = uintBitsToFloat(W[scale_word + (elem >> 5)]);                                \
      for (uint i = 0u; i < 2u; ++i) {                                                       \
        int v = int(W[b + i]);                                                               \
        for (int j = 0; j < 4; ++j) w[4u * i + uint(j)] = d * float(bitfieldExtract(v, 8 * j, 8)); \
      }                                                                                      \
    } else {                                                                                 \
      uint v = W[elem >> 3];                                                                 \
      uint sb = (W[scale_word + (elem >> 7)] >> (((elem >> 5) & 3u) * 8u)) & 0xffu;          \
      float d = e8m0(sb);                                                                    \
      for (uint j = 0u; j < 8u; ++j) w[j] = kE2M1[(v >> (4u * j)) & 15u] * d;                \
    }                                                                                        \
  }

// Workgroups beyond 65535 along x spill into y.
uint linear_group() { return gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x; }
