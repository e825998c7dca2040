#pragma once
// gpt-oss in llama.cpp's GGUF layout (what ggml-org/gpt-oss-20b-GGUF users download): Q8_0 attention, embeddings
// and output; F32 router, norms, biases and sinks; MXFP4 experts with gate and up as separate tensors; tensors in
// the order llama.cpp's converter emits them; full tokenizer and chat template in the metadata. The values are the
// HF checkpoint's (same recipe, same seed), converted the way the converter converts them.
#include <cstdint>
#include <string>
#include <vector>

#include "synth/gguf_writer.h"
#include "synth/hf_tensor_plan.h"
#include "synth/preset.h"
#include "tally/result.h"

namespace tally::synth {

// Storage of the non-expert matrices (attention, embeddings, output). Q8_0 is the official file; F16 is what
// the tiny fixture's GGUF uses; F32 keeps the recipe's values exactly.
enum class DenseType { Q8_0, F16, F32 };

struct GgufOptions {
  uint64_t seed = 0;
  DenseType dense = DenseType::Q8_0;
  std::string resources_dir;  // "" = default_resources_dir()
  unsigned threads = 0;
  SynthProgress progress;
};

Result<GgufMetadata> gptoss_metadata(const Preset& p, const std::string& resources_dir);
std::vector<GgufTensor> gptoss_tensors(const Preset& p, uint64_t seed, DenseType dense);

Result<void> write_gptoss_gguf(const Preset& p, const std::string& path, const GgufOptions& options);

}  // namespace tally::synth
