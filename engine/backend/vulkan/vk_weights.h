#pragma once
// Weight matrices as the Vulkan kernels read them: every layout of model::WeightMatrix (strided rows, expert stacks,
// the HF split MXFP4 planes, ggml's 34- and 17-byte blocks) is repacked at upload into one dense, word-aligned
// form per type (see shaders/common.glsl), so each kernel has a single decoder per type.
#include <cstdint>
#include <vector>

#include "model/weights.h"
#include "tally/result.h"

namespace tally::backend::vk {

// Type codes the shaders switch on (T_F32 ... T_MX4 in common.glsl).
enum class GpuType : uint32_t { F32 = 0, F16 = 1, BF16 = 2, Q8_0 = 3, MXFP4 = 4 };

struct PackedLayout {
  GpuType type = GpuType::F32;
  uint32_t ld = 0;          // elements per stored row (cols rounded up to 8 or 32)
  uint32_t scale_word = 0;  // block types: where the scale plane starts, in 32-bit words
  uint64_t bytes = 0;       // total size
};

// Where `w` would be stored, without packing it (for memory estimates).
Result<PackedLayout> packed_layout(const model::WeightMatrix& w);
// Packs `w` into `out` (resized to layout.bytes).
Result<PackedLayout> pack_weights(const model::WeightMatrix& w, std::vector<uint8_t>& out);

}  // namespace tally::backend::vk
