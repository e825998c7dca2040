#include "loader/model_summary.h"

#include <algorithm>

namespace tally::loader {

namespace {

bool ends_with(const std::string& s, const char* suffix) {
  const std::string_view x(suffix);
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

uint64_t parameter_count(const TensorInfo& t) {
  // HF MXFP4: the *_blocks bytes hold two 4-bit weights each; the *_scales are block metadata, not parameters.
  if (t.type == "U8" && ends_with(t.name, "_blocks")) return t.bytes * 2;
  if (t.type == "U8" && ends_with(t.name, "_scales")) return 0;
  uint64_t n = 1;
  for (int64_t d : t.shape) n *= static_cast<uint64_t>(d);
  return n;
}

}  // namespace

uint64_t kv_cache_bytes(const model::ModelConfig& config, int context) {
  const uint64_t per_position = 2ull * static_cast<uint64_t>(config.kv_width()) * 2;  // K and V, 2 bytes each
  uint64_t total = 0;
  for (int layer = 0; layer < config.n_layers; ++layer) {
    const bool sliding =
        static_cast<size_t>(layer) < config.layer_sliding.size() && config.layer_sliding[static_cast<size_t>(layer)];
    const int positions = sliding ? std::min(context, config.sliding_window) : context;
    total += per_position * static_cast<uint64_t>(positions);
  }
  return total;
}

ModelSummary summarize(const LoadedModel& model, int context) {
  ModelSummary s;
  for (const auto& t : model.tensors) {
    TypeUsage& u = s.types[t.type];
    ++u.count;
    u.bytes += t.bytes;
    s.weight_bytes += t.bytes;
    s.parameters += parameter_count(t);
  }
  const model::ModelConfig& c = model.weights.config;
  s.kv_context = c.context_length > 0 ? std::min(context, c.context_length) : context;
  s.kv_bytes = kv_cache_bytes(c, s.kv_context);
  s.memory_bytes = s.weight_bytes + s.kv_bytes;
  return s;
}

}  // namespace tally::loader
