#pragma once
// The splitmix64 recipe that determines every synthetic weight (see the tiny-gptoss fixture README): tensor k of
// a file draws element i from splitmix64(splitmix64(seed * 1000003 + k) + i). Because each element is a pure
// function of (seed, k, i), any slice of any tensor can be generated on any thread in any order, which is what
// lets a 12 GB file be written as a parallel stream.
#include <bit>
#include <cmath>
#include <cstdint>

namespace tally::synth {

inline constexpr uint64_t kDefaultSeed = 20251122;

constexpr uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// The element words of one tensor.
struct TensorStream {
  uint64_t base = 0;
  uint64_t word(uint64_t i) const { return splitmix64(base + i); }
};

constexpr TensorStream tensor_stream(uint64_t seed, uint64_t k) { return {splitmix64(seed * 1000003ull + k)}; }

// "BF16 uniform with amplitude 2^a around mean m using b bits": u = top b bits - 2^(b-1), value = u/2^(b-1)*2^a + m.
// With b <= 8 the value has at most 8 significant bits, so it is exact in bf16 (and in every wider float).
struct UniformBf16 {
  int amp_log2 = 0;
  float mean = 0.f;
  int bits = 8;

  // The weight of one unit of u: a power of two, so u * step + mean is exact.
  float step() const { return std::ldexp(1.f, amp_log2 - (bits - 1)); }
  float value(uint64_t w, float unit_step) const {
    const int64_t u = static_cast<int64_t>(w >> (64 - bits)) - (int64_t{1} << (bits - 1));
    return static_cast<float>(u) * unit_step + mean;
  }
  float value(uint64_t w) const { return value(w, step()); }
};

// Exact for recipe values (they fit bf16); plain truncation is therefore enough.
inline uint16_t bf16_bits(float v) { return static_cast<uint16_t>(std::bit_cast<uint32_t>(v) >> 16); }

// "U8 in [lo, hi)": lo + ((w >> 32) mod (hi - lo)).
inline uint8_t uniform_u8(uint64_t w, int lo, int hi) {
  const uint64_t range = static_cast<uint64_t>(hi - lo);
  // MXFP4 nibble bytes use the full [0, 256): a mask gives the same result as the modulo without a 64-bit divide,
  // which would otherwise dominate the 10 GB of expert blocks in the 20b file.
  const uint64_t r = (range & (range - 1)) == 0 ? (w >> 32) & (range - 1) : (w >> 32) % range;
  return static_cast<uint8_t>(lo + static_cast<int>(r));
}

// MXFP4 scale centre for a matrix of fan-in n: 2^(c-127) times the E2M1 codes (mean |code| about 2.93) gives rows
// whose dot products with unit-RMS inputs stay of order one: c = 127 + round(log2(1 / (2.93 * sqrt(n)))).
inline int mxfp4_scale_centre(int fan_in) {
  return 127 + static_cast<int>(std::lround(std::log2(1.0 / (2.93 * std::sqrt(static_cast<double>(fan_in))))));
}

}  // namespace tally::synth
