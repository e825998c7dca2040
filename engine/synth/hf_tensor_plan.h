#pragma once
// The Hugging Face checkpoint's tensors, in file order, each with its recipe parameters. This order numbers the
// recipe's streams (k = 1, 2, ...), so it is also what the GGUF writer draws from: both formats carry the same
// numbers for the same seed.
#include <cstdint>
#include <string>
#include <vector>

#include "synth/preset.h"
#include "synth/splitmix_recipe.h"

namespace tally::synth {

enum class HfDType { BF16, U8 };

struct HfTensor {
  std::string name;
  HfDType dtype = HfDType::BF16;
  std::vector<int64_t> shape;  // as stored: [rows, cols]; expert blocks [E, rows, cols/32, 16]
  uint64_t k = 0;              // recipe stream number
  UniformBf16 uniform;         // BF16 tensors
  int lo = 0, hi = 0;          // U8 tensors: [lo, hi)

  uint64_t elements() const;
  uint64_t bytes() const { return elements() * (dtype == HfDType::BF16 ? 2 : 1); }
  // Writes elements [first, first + count) in their stored form (bf16 little-endian or u8).
  void fill(uint64_t seed, uint64_t first, uint64_t count, uint8_t* out) const;
  // The element's value as the recipe defines it (bf16 tensors; exact in float).
  float value(uint64_t seed, uint64_t i) const { return uniform.value(tensor_stream(seed, k).word(i)); }
  uint8_t byte(uint64_t seed, uint64_t i) const { return uniform_u8(tensor_stream(seed, k).word(i), lo, hi); }
};

std::vector<HfTensor> hf_tensor_plan(const Preset& p);

// The plan's tensor of that name; the plan must contain it (names come from this code, not from input).
const HfTensor& hf_tensor(const std::vector<HfTensor>& plan, const std::string& name);

}  // namespace tally::synth
