#pragma once
// Hugging Face config.json of a gpt-oss checkpoint -> ModelConfig.
#include <string>
#include <string_view>

#include "model/config.h"
#include "tally/result.h"

namespace tally::loader {

// `origin` names the file in messages; `name` becomes ModelConfig::name (the folder's name).
Result<model::ModelConfig> parse_hf_config(std::string_view json, const std::string& origin, const std::string& name);

}  // namespace tally::loader
