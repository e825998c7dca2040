#pragma once
// From a parsed GGUF to the engine's model: hyper-parameters from the gpt-oss.* keys, weights from the blk.N.*
// tensors (views into the file), and the vocabulary from the tokenizer.ggml.* arrays.
#include <functional>

#include "loader/gguf_file.h"
#include "model/config.h"
#include "model/weights.h"
#include "tally/result.h"
#include "tokenizer/tokenizer.h"

namespace tally::loader {

Result<model::ModelConfig> gguf_model_config(const GgufFile& file);

// `progress` gets the fraction of layers done and may return false to cancel. The weights point into the bytes
// the GgufFile was parsed from; the caller keeps that mapping alive (ModelWeights::files).
Result<model::ModelWeights> gguf_model_weights(const GgufFile& file, const model::ModelConfig& config,
                                               const std::function<bool(float)>& progress = {});

Result<tok::GgufVocab> gguf_vocab(const GgufFile& file);

}  // namespace tally::loader
