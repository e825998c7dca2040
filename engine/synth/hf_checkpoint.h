#pragma once
// A complete Hugging Face gpt-oss checkpoint folder: model.safetensors plus config.json, tokenizer.json,
// tokenizer_config.json, chat_template.jinja and generation_config.json, as users download openai/gpt-oss-20b.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "synth/payload_stream.h"
#include "synth/preset.h"
#include "tally/result.h"

namespace tally::synth {

std::string hf_config_json(const Preset& p);
std::string hf_generation_config_json();

// tokenizer.json in the layout of Hugging Face's tiktoken conversion (pretty-printed with two spaces).
std::string hf_tokenizer_json(const std::vector<std::string>& ranks,
                              const std::vector<std::pair<uint32_t, uint32_t>>& merges);

struct HfCheckpointOptions {
  uint64_t seed = 0;
  std::string resources_dir;  // holds tokenizer/o200k_base.tiktoken and model/{chat_template.jinja,tokenizer_config.json}
  unsigned threads = 0;
  SynthProgress progress;
};

Result<void> write_hf_checkpoint(const Preset& p, const std::string& dir, const HfCheckpointOptions& options);

// The resources folder this build was configured with.
std::string default_resources_dir();
// A whole resource file (chat template, tokenizer config); the error names the file.
Result<std::string> read_resource(const std::string& path);

}  // namespace tally::synth
