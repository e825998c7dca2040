#pragma once
// What `tally-cli info` (and the app's model picker) shows about a loaded model: sizes, a tensor type histogram,
// the parameter count and how much memory running it needs.
#include <cstdint>
#include <map>
#include <string>

#include "loader/model_file.h"

namespace tally::loader {

struct TypeUsage {
  int count = 0;
  uint64_t bytes = 0;
};

struct ModelSummary {
  std::map<std::string, TypeUsage> types;  // by type name ("F16", "MXFP4", "U8", ...)
  uint64_t parameters = 0;
  uint64_t weight_bytes = 0;  // all tensor data
  int kv_context = 0;         // positions the KV estimate assumes
  uint64_t kv_bytes = 0;      // f16 K and V: full layers keep kv_context positions, sliding layers their window
  uint64_t memory_bytes = 0;  // weight_bytes + kv_bytes
};

constexpr int kDefaultKvContext = 8192;

// `context` is capped at the model's context length.
ModelSummary summarize(const LoadedModel& model, int context = kDefaultKvContext);

// The KV cache estimate alone (f16 keys and values).
uint64_t kv_cache_bytes(const model::ModelConfig& config, int context);

}  // namespace tally::loader
