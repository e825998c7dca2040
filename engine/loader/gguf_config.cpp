#include <filesystem>

#include "loader/gguf_model.h"
#include "loader/try_assign.h"
#include "loader/weight_assembly.h"

namespace tally::loader {

namespace {

constexpr const char* kArch = "gpt-oss";
// Bounds well past any gpt-oss variant; they keep a corrupt value from driving huge allocations later.
constexpr int64_t kMaxCount = 1 << 20;
constexpr int64_t kMaxContext = int64_t{1} << 31;

class KeyReader {
 public:
  explicit KeyReader(const GgufFile& f) : f_(f) {}

  Result<int> count(const std::string& key, int64_t max = kMaxCount) const {
    const GgufValue* v = f_.find(key);
    if (v == nullptr) return make_error(f_.origin + ": required key '" + key + "' is missing");
    return checked(key, *v, 1, max);
  }

  Result<int> count_or(const std::string& key, int fallback, int64_t min = 1, int64_t max = kMaxCount) const {
    const GgufValue* v = f_.find(key);
    if (v == nullptr) return fallback;
    return checked(key, *v, min, max);
  }

  Result<float> real_or(const std::string& key, float fallback) const {
    const GgufValue* v = f_.find(key);
    if (v == nullptr) return fallback;
    const auto x = v->as_number();
    if (!x) return type_error(key, *v, "a number");
    return static_cast<float>(*x);
  }

 private:
  Result<int> checked(const std::string& key, const GgufValue& v, int64_t min, int64_t max) const {
    const auto x = v.as_int();
    if (!x) return type_error(key, v, "an integer");
    if (*x < min || *x > max)
      return make_error(f_.origin + ": key '" + key + "' = " + std::to_string(*x) + " is out of range [" +
                        std::to_string(min) + ", " + std::to_string(max) + "]");
    return static_cast<int>(*x);
  }

  Error type_error(const std::string& key, const GgufValue& v, const char* want) const {
    return make_error(f_.origin + ": key '" + key + "' has type " + gguf_value_type_name(v.type) + ", expected " +
                      want);
  }

  const GgufFile& f_;
};

}  // namespace

Result<model::ModelConfig> gguf_model_config(const GgufFile& file) {
  const GgufValue* arch = file.find("general.architecture");
  if (arch == nullptr) return make_error(file.origin + ": required key 'general.architecture' is missing");
  if (arch->type != GgufValueType::String || arch->text != kArch)
    return make_error(file.origin + ": key 'general.architecture' is '" + arch->printable() + "', expected '" + kArch +
                      "' (only gpt-oss models are supported)");
  const std::string p = std::string(kArch) + ".";
  KeyReader keys(file);
  model::ModelConfig c;
  if (const GgufValue* name = file.find("general.name"); name != nullptr && name->type == GgufValueType::String)
    c.name = name->text;
  if (c.name.empty()) c.name = std::filesystem::path(file.origin).stem().string();
  TALLY_TRY_SET(c.n_layers, keys.count(p + "block_count", 4096));
  TALLY_TRY_SET(c.context_length, keys.count(p + "context_length", kMaxContext));
  TALLY_TRY_SET(c.hidden, keys.count(p + "embedding_length"));
  TALLY_TRY_SET(c.n_heads, keys.count(p + "attention.head_count", 4096));
  TALLY_TRY_SET(c.n_kv_heads, keys.count(p + "attention.head_count_kv", 4096));
  // llama.cpp's default when key_length is absent; gpt-oss files always carry it (64 != 2880 / 64).
  TALLY_TRY_SET(c.head_dim, keys.count_or(p + "attention.key_length", c.hidden / c.n_heads));
  if (const GgufValue* vl = file.find(p + "attention.value_length"); vl != nullptr && vl->as_int() != c.head_dim)
    return make_error(file.origin + ": key '" + p + "attention.value_length' = " + vl->printable() +
                      " differs from attention.key_length " + std::to_string(c.head_dim) + " (gpt-oss has equal widths)");
  TALLY_TRY_SET(c.n_experts, keys.count(p + "expert_count", 4096));
  TALLY_TRY_SET(c.n_experts_used, keys.count(p + "expert_used_count", 4096));
  if (c.n_experts_used > c.n_experts)
    return make_error(file.origin + ": key '" + p + "expert_used_count' = " + std::to_string(c.n_experts_used) +
                      " exceeds expert_count " + std::to_string(c.n_experts));
  int ffn = 0;
  TALLY_TRY_SET(ffn, keys.count_or(p + "feed_forward_length", 0, 0));
  TALLY_TRY_SET(c.expert_ffn, keys.count_or(p + "expert_feed_forward_length", ffn, 0));
  if (c.expert_ffn <= 0)
    return make_error(file.origin + ": required key '" + p + "expert_feed_forward_length' is missing");
  TALLY_TRY_SET(c.sliding_window, keys.count_or(p + "attention.sliding_window", 0, 0, kMaxContext));
  // gpt-oss alternates sliding and full attention starting with a sliding layer 0; GGUF stores only the window.
  c.layer_sliding.assign(static_cast<size_t>(c.n_layers), false);
  if (c.sliding_window > 0) {
    for (int i = 0; i < c.n_layers; i += 2) c.layer_sliding[static_cast<size_t>(i)] = true;
  }
  TALLY_TRY_SET(c.rms_eps, keys.real_or(p + "attention.layer_norm_rms_epsilon", c.rms_eps));
  TALLY_TRY_SET(c.rope_theta, keys.real_or(p + "rope.freq_base", c.rope_theta));
  if (const GgufValue* type = file.find(p + "rope.scaling.type"); type != nullptr && type->text != "yarn" &&
                                                                   type->text != "none")
    return make_error(file.origin + ": key '" + p + "rope.scaling.type' is '" + type->printable() +
                      "', expected 'yarn'");
  TALLY_TRY_SET(c.rope_scaling_factor, keys.real_or(p + "rope.scaling.factor", c.rope_scaling_factor));
  TALLY_TRY_SET(c.rope_original_context,
                keys.count_or(p + "rope.scaling.original_context_length", c.rope_original_context, 1, kMaxContext));
  TALLY_TRY_SET(c.yarn_beta_fast, keys.real_or(p + "rope.scaling.yarn_beta_fast", c.yarn_beta_fast));
  TALLY_TRY_SET(c.yarn_beta_slow, keys.real_or(p + "rope.scaling.yarn_beta_slow", c.yarn_beta_slow));
  TALLY_TRY_SET(c.swiglu_limit, keys.real_or(p + "swiglu_limit", c.swiglu_limit));
  // The vocabulary size is the embedding's row count: the file decides, the token list must agree.
  const GgufTensor* embd = file.tensor("token_embd.weight");
  if (embd == nullptr) return make_error(file.origin + ": required tensor 'token_embd.weight' is missing");
  if (embd->dims.size() != 2 || embd->dims[1] > kMaxContext)
    return make_error(file.origin + ": tensor 'token_embd.weight' must be 2-D [hidden, vocab]");
  c.vocab = static_cast<int>(embd->dims[1]);
  if (auto ok = check_config(c, file.origin); !ok) return ok.error();
  return c;
}

Result<tok::GgufVocab> gguf_vocab(const GgufFile& file) {
  tok::GgufVocab v;
  const GgufValue* tokens = file.find("tokenizer.ggml.tokens");
  if (tokens == nullptr) return make_error(file.origin + ": required key 'tokenizer.ggml.tokens' is missing");
  auto t = tokens->strings();
  if (!t) return make_error(file.origin + ": key 'tokenizer.ggml.tokens' is not an array of strings");
  v.tokens = std::move(*t);
  if (const GgufValue* merges = file.find("tokenizer.ggml.merges")) {
    auto m = merges->strings();
    if (!m) return make_error(file.origin + ": key 'tokenizer.ggml.merges' is not an array of strings");
    v.merges = std::move(*m);
  }
  if (const GgufValue* types = file.find("tokenizer.ggml.token_type")) {
    auto ty = types->ints();
    if (!ty || ty->size() != v.tokens.size())
      return make_error(file.origin + ": key 'tokenizer.ggml.token_type' is not an integer array as long as the "
                        "token list");
    v.token_types.assign(ty->begin(), ty->end());
  }
  return v;
}

}  // namespace tally::loader
