#pragma once
// A Hugging Face gpt-oss checkpoint folder: config.json, the weights in model.safetensors or in shards listed by
// model.safetensors.index.json, and tokenizer.json.
#include <functional>
#include <string>
#include <unordered_map>

#include "loader/model_file.h"
#include "loader/tensor_ref.h"
#include "model/weights.h"
#include "tally/result.h"

namespace tally::loader {

Result<LoadedModel> load_hf_checkpoint(const std::string& dir, const std::function<bool(float)>& progress = {});

using TensorTable = std::unordered_map<std::string, TensorRef>;

// HF tensor names and layouts -> ModelWeights. The MXFP4 expert tensors stay in place: gate and up become two
// strided MXFP4_SPLIT views of the interleaved gate_up rows. `origin` names the checkpoint in messages about
// missing tensors.
Result<model::ModelWeights> hf_model_weights(const TensorTable& tensors, const model::ModelConfig& config,
                                             const std::string& origin,
                                             const std::function<bool(float)>& progress = {});

}  // namespace tally::loader
