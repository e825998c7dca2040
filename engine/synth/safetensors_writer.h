#pragma once
// model.safetensors in the layout of the tiny-gptoss recipe: 8-byte little-endian header length, compact JSON
// (tensors in file order, keys dtype/shape/data_offsets, then "__metadata__":{"format":"pt"}) padded with spaces
// to a multiple of 8, then the tensors back to back.
#include <cstdint>
#include <string>
#include <vector>

#include "synth/hf_tensor_plan.h"
#include "synth/payload_stream.h"
#include "tally/result.h"

namespace tally::synth {

// The JSON header including its space padding (without the 8-byte length).
std::string safetensors_header(const std::vector<HfTensor>& plan);

Result<void> write_safetensors(const std::string& path, const std::vector<HfTensor>& plan, uint64_t seed,
                               unsigned threads = 0, const SynthProgress& progress = {});

}  // namespace tally::synth
