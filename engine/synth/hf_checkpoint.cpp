#include "synth/hf_checkpoint.h"

#include "tally/resources.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "synth/byte_level_vocab.h"
#include "synth/hf_tensor_plan.h"
#include "synth/safetensors_writer.h"

namespace tally::synth {

namespace {

using ordered_json = nlohmann::ordered_json;

// JSON string escaping as serde_json and nlohmann write it (quotes, backslash, controls; UTF-8 passes through).
void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[(c >> 4) & 0xF];
          out += hex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

Result<void> write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return make_error(path + ": write failed: " + std::strerror(errno));
  return {};
}

}  // namespace

Result<std::string> read_resource(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot open (synth needs the resources folder)");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string default_resources_dir() { return tally::resources_dir(); }

std::string hf_config_json(const Preset& p) {
  ordered_json c;
  c["architectures"] = {"GptOssForCausalLM"};
  c["model_type"] = "gpt_oss";
  c["attention_bias"] = true;
  c["attention_dropout"] = 0.0;
  c["eos_token_id"] = kEosId;
  c["pad_token_id"] = kPadId;
  c["hidden_act"] = "silu";
  c["initializer_range"] = 0.02;
  c["initial_context_length"] = p.rope_original_context;
  c["max_position_embeddings"] = p.context_length;
  c["rms_norm_eps"] = p.rms_eps;
  c["rope_theta"] = static_cast<int64_t>(p.rope_theta);
  ordered_json rope;
  rope["beta_fast"] = 32.0;
  rope["beta_slow"] = 1.0;
  rope["factor"] = static_cast<double>(p.rope_factor);
  rope["original_max_position_embeddings"] = p.rope_original_context;
  rope["rope_type"] = "yarn";
  rope["truncate"] = false;
  c["rope_scaling"] = rope;
  c["router_aux_loss_coef"] = 0.9;
  c["output_router_logits"] = false;
  c["swiglu_limit"] = static_cast<double>(p.swiglu_limit);
  c["tie_word_embeddings"] = false;
  c["use_cache"] = true;
  c["vocab_size"] = p.vocab;
  c["head_dim"] = p.head_dim;
  ordered_json quant;
  quant["quant_method"] = "mxfp4";
  quant["modules_to_not_convert"] = {"model.layers.*.self_attn", "model.layers.*.mlp.router", "model.embed_tokens",
                                     "lm_head"};
  c["quantization_config"] = quant;
  c["hidden_size"] = p.hidden;
  c["intermediate_size"] = p.expert_ffn;
  c["num_hidden_layers"] = p.n_layers;
  c["num_attention_heads"] = p.n_heads;
  c["num_key_value_heads"] = p.n_kv_heads;
  c["num_local_experts"] = p.n_experts;
  c["experts_per_token"] = p.n_experts_used;
  c["num_experts_per_tok"] = p.n_experts_used;
  c["sliding_window"] = p.sliding_window;
  ordered_json types = ordered_json::array();
  for (int l = 0; l < p.n_layers; ++l) types.push_back(p.layer_sliding(l) ? "sliding_attention" : "full_attention");
  c["layer_types"] = types;
  return c.dump(2);
}

std::string hf_generation_config_json() {
  ordered_json g;
  g["bos_token_id"] = kBosId;
  g["eos_token_id"] = {kEosId, kPadId, kCallId};
  g["pad_token_id"] = kPadId;
  return g.dump(2);
}

std::string hf_tokenizer_json(const std::vector<std::string>& ranks,
                              const std::vector<std::pair<uint32_t, uint32_t>>& merges) {
  std::string out;
  out.reserve(32u << 20);
  out += "{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": [";
  const std::vector<SpecialToken> specials = harmony_specials();
  for (size_t i = 0; i < specials.size(); ++i) {
    out += i ? ",\n" : "\n";
    out += "    {\n      \"id\": " + std::to_string(specials[i].id) + ",\n      \"content\": ";
    append_json_string(out, specials[i].text);
    out += ",\n      \"single_word\": false,\n      \"lstrip\": false,\n      \"rstrip\": false,\n"
           "      \"normalized\": false,\n      \"special\": true\n    }";
  }
  // The pre-tokenizer, post-processor and decoder are fixed parts of o200k's conversion; the regex is
  // o200k's pattern with JSON escaping.
  out += R"(
  ],
  "normalizer": null,
  "pre_tokenizer": {
    "type": "Sequence",
    "pretokenizers": [
      {
        "type": "Split",
        "pattern": {
          "Regex": "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
        },
        "behavior": "Isolated",
        "invert": false
      },
      {
        "type": "ByteLevel",
        "add_prefix_space": false,
        "trim_offsets": true,
        "use_regex": false
      }
    ]
  },
  "post_processor": {
    "type": "ByteLevel",
    "add_prefix_space": true,
    "trim_offsets": false,
    "use_regex": true
  },
  "decoder": {
    "type": "ByteLevel",
    "add_prefix_space": true,
    "trim_offsets": true,
    "use_regex": true
  },
  "model": {
    "type": "BPE",
    "dropout": null,
    "unk_token": null,
    "continuing_subword_prefix": null,
    "end_of_word_suffix": null,
    "fuse_unk": false,
    "byte_fallback": false,
    "ignore_merges": true,
    "vocab": {)";
  std::vector<std::string> text(ranks.size());
  for (size_t r = 0; r < ranks.size(); ++r) text[r] = byte_level_text(ranks[r]);
  for (size_t r = 0; r < ranks.size(); ++r) {
    out += r ? ",\n      " : "\n      ";
    append_json_string(out, text[r]);
    out += ": " + std::to_string(r);
  }
  out += "\n    },\n    \"merges\": [";
  for (size_t m = 0; m < merges.size(); ++m) {
    out += m ? ",\n      [\n        " : "\n      [\n        ";
    append_json_string(out, text[merges[m].first]);
    out += ",\n        ";
    append_json_string(out, text[merges[m].second]);
    out += "\n      ]";
  }
  out += "\n    ]\n  }\n}";
  return out;
}

Result<void> write_hf_checkpoint(const Preset& p, const std::string& dir, const HfCheckpointOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(dir + ": cannot create folder: " + ec.message());
  const std::string res = options.resources_dir.empty() ? default_resources_dir() : options.resources_dir;

  Result<std::vector<std::string>> ranks = read_tiktoken_ranks(res + "/tokenizer/o200k_base.tiktoken");
  if (!ranks) return ranks.error();
  Result<std::string> template_text = read_resource(res + "/model/chat_template.jinja");
  if (!template_text) return template_text.error();
  Result<std::string> tokenizer_config = read_resource(res + "/model/tokenizer_config.json");
  if (!tokenizer_config) return tokenizer_config.error();

  Result<void> r = write_text(dir + "/config.json", hf_config_json(p));
  if (r) r = write_text(dir + "/generation_config.json", hf_generation_config_json());
  if (r) r = write_text(dir + "/chat_template.jinja", *template_text);
  if (r) r = write_text(dir + "/tokenizer_config.json", *tokenizer_config);
  if (r) r = write_text(dir + "/tokenizer.json", hf_tokenizer_json(*ranks, derive_merges(*ranks)));
  if (!r) return r;
  return write_safetensors(dir + "/model.safetensors", hf_tensor_plan(p), options.seed, options.threads,
                           options.progress);
}

}  // namespace tally::synth
