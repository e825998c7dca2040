#include "loader/hf_config.h"

#include <nlohmann/json.hpp>

#include "loader/try_assign.h"
#include "loader/weight_assembly.h"

namespace tally::loader {

namespace {

using nlohmann::json;

constexpr int64_t kMaxCount = 1 << 20;
constexpr int64_t kMaxContext = int64_t{1} << 31;

class ConfigReader {
 public:
  ConfigReader(const json& j, const std::string& origin) : j_(j), origin_(origin) {}

  Result<int> count(const char* key, int64_t max = kMaxCount) const {
    if (!j_.contains(key)) return make_error(origin_ + ": required key '" + key + "' is missing");
    return checked(key, j_.at(key), 1, max);
  }
  Result<int> count_or(const char* key, int fallback, int64_t min = 1, int64_t max = kMaxCount) const {
    if (!j_.contains(key) || j_.at(key).is_null()) return fallback;
    return checked(key, j_.at(key), min, max);
  }
  Result<float> real_or(const json& obj, const char* key, float fallback) const {
    if (!obj.contains(key) || obj.at(key).is_null()) return fallback;
    if (!obj.at(key).is_number()) return make_error(origin_ + ": key '" + key + "' is not a number");
    return obj.at(key).get<float>();
  }

 private:
  Result<int> checked(const char* key, const json& v, int64_t min, int64_t max) const {
    if (!v.is_number_integer()) return make_error(origin_ + ": key '" + key + "' is not an integer");
    const auto x = v.get<int64_t>();
    if (x < min || x > max)
      return make_error(origin_ + ": key '" + key + "' = " + std::to_string(x) + " is out of range [" +
                        std::to_string(min) + ", " + std::to_string(max) + "]");
    return static_cast<int>(x);
  }

  const json& j_;
  const std::string& origin_;
};

}  // namespace

Result<model::ModelConfig> parse_hf_config(std::string_view text, const std::string& origin, const std::string& name) {
  const json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return make_error(origin + ": not a JSON object");
  if (j.contains("model_type") && j["model_type"] != "gpt_oss")
    return make_error(origin + ": key 'model_type' is " + j["model_type"].dump() + ", expected \"gpt_oss\"");
  const ConfigReader r(j, origin);
  model::ModelConfig c;
  c.name = name;
  TALLY_TRY_SET(c.n_layers, r.count("num_hidden_layers", 4096));
  TALLY_TRY_SET(c.hidden, r.count("hidden_size"));
  TALLY_TRY_SET(c.n_heads, r.count("num_attention_heads", 4096));
  TALLY_TRY_SET(c.n_kv_heads, r.count_or("num_key_value_heads", c.n_heads, 1, 4096));
  TALLY_TRY_SET(c.head_dim, r.count_or("head_dim", c.hidden / c.n_heads));
  TALLY_TRY_SET(c.n_experts, r.count("num_local_experts", 4096));
  // gpt-oss configs carry both spellings; transformers reads num_experts_per_tok.
  TALLY_TRY_SET(c.n_experts_used, r.count_or("experts_per_token", 0, 0, 4096));
  TALLY_TRY_SET(c.n_experts_used, r.count_or("num_experts_per_tok", c.n_experts_used, 0, 4096));
  if (c.n_experts_used < 1 || c.n_experts_used > c.n_experts)
    return make_error(origin + ": key 'num_experts_per_tok' must be between 1 and num_local_experts (" +
                      std::to_string(c.n_experts) + ")");
  TALLY_TRY_SET(c.expert_ffn, r.count("intermediate_size"));
  TALLY_TRY_SET(c.vocab, r.count("vocab_size", kMaxContext));
  TALLY_TRY_SET(c.context_length, r.count_or("max_position_embeddings", 4096, 1, kMaxContext));
  TALLY_TRY_SET(c.sliding_window, r.count_or("sliding_window", 0, 0, kMaxContext));
  c.layer_sliding.assign(static_cast<size_t>(c.n_layers), false);
  if (j.contains("layer_types")) {
    const json& lt = j["layer_types"];
    if (!lt.is_array() || lt.size() != static_cast<size_t>(c.n_layers))
      return make_error(origin + ": key 'layer_types' must list one type per layer (" + std::to_string(c.n_layers) +
                        ")");
    for (size_t i = 0; i < lt.size(); ++i) {
      if (lt[i] == "sliding_attention") {
        c.layer_sliding[i] = true;
      } else if (lt[i] != "full_attention") {
        return make_error(origin + ": key 'layer_types' item " + std::to_string(i) + " is " + lt[i].dump() +
                          ", expected \"sliding_attention\" or \"full_attention\"");
      }
    }
  } else if (c.sliding_window > 0) {
    for (size_t i = 0; i < c.layer_sliding.size(); i += 2) c.layer_sliding[i] = true;  // gpt-oss: even layers slide
  }
  bool any_sliding = false;
  for (bool s : c.layer_sliding) any_sliding = any_sliding || s;
  if (any_sliding && c.sliding_window == 0)
    return make_error(origin + ": 'layer_types' has sliding layers but 'sliding_window' is missing");
  TALLY_TRY_SET(c.rms_eps, r.real_or(j, "rms_norm_eps", c.rms_eps));
  TALLY_TRY_SET(c.rope_theta, r.real_or(j, "rope_theta", c.rope_theta));
  TALLY_TRY_SET(c.swiglu_limit, r.real_or(j, "swiglu_limit", c.swiglu_limit));
  if (j.contains("rope_scaling") && j["rope_scaling"].is_object()) {
    const json& rs = j["rope_scaling"];
    std::string type = "yarn";
    for (const char* key : {"type", "rope_type"}) {
      if (rs.contains(key) && rs[key].is_string()) type = rs[key].get<std::string>();
    }
    if (type != "yarn")
      return make_error(origin + ": key 'rope_scaling.rope_type' is \"" + type + "\", expected \"yarn\"");
    TALLY_TRY_SET(c.rope_scaling_factor, r.real_or(rs, "factor", c.rope_scaling_factor));
    float original = static_cast<float>(c.rope_original_context);
    TALLY_TRY_SET(original, r.real_or(rs, "original_max_position_embeddings", original));
    if (original < 1 || original > static_cast<float>(kMaxContext))
      return make_error(origin + ": key 'rope_scaling.original_max_position_embeddings' is out of range");
    c.rope_original_context = static_cast<int>(original);
    TALLY_TRY_SET(c.yarn_beta_fast, r.real_or(rs, "beta_fast", c.yarn_beta_fast));
    TALLY_TRY_SET(c.yarn_beta_slow, r.real_or(rs, "beta_slow", c.yarn_beta_slow));
  } else {
    c.rope_scaling_factor = 1.f;
  }
  if (auto ok = check_config(c, origin); !ok) return ok.error();
  return c;
}

}  // namespace tally::loader
