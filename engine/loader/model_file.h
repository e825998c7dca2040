#pragma once
// Opening a model: a GGUF file or a Hugging Face folder (config.json + one or sharded safetensors). Both give the
// same ModelWeights (same values in the same order of math, so the same logits bit for bit) and the same tokenizer.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/weights.h"
#include "tally/result.h"
#include "tokenizer/tokenizer.h"

namespace tally::loader {

enum class ModelFormat { Gguf, HuggingFace };

struct TensorInfo {  // for `tally-cli info`
  std::string name;
  std::string type;            // "Q8_0", "MXFP4", "BF16", ...
  std::vector<int64_t> shape;  // as the file lists it
  uint64_t bytes = 0;
};

struct LoadedModel {
  ModelFormat format = ModelFormat::Gguf;
  std::string path;
  model::ModelWeights weights;
  std::shared_ptr<const tok::Tokenizer> tokenizer;
  std::map<std::string, std::string> metadata;  // key -> printable value (arrays summarised)
  std::vector<TensorInfo> tensors;
  uint64_t file_bytes = 0;
};

// Progress in [0,1]; return false to cancel (the load then fails with "cancelled").
using LoadProgress = std::function<bool(float)>;

// Detects the format from the path (a .gguf file, or a folder / config.json / .safetensors of an HF checkpoint).
Result<LoadedModel> load_model(const std::string& path, const LoadProgress& progress = {});

}  // namespace tally::loader
