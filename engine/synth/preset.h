#pragma once
// Shapes and weight amplitudes of the synthetic gpt-oss models. `tiny` is the tiny-gptoss fixture exactly; `20b`
// and `120b` have the real models' shapes, with amplitudes scaled by fan-in so activations stay of order one.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synth/splitmix_recipe.h"

namespace tally::synth {

// log2 amplitudes (the recipe's `a`) of each tensor family.
struct Amplitudes {
  int embed = 0;
  int norm = -3;          // norms: mean 1, 4 bits
  int attn_in = -2;       // q, k, v weights
  int attn_out = -4;      // o weight
  int bias = -3;          // every bias
  int sinks = 1;
  int router = -1;
  int lm_head = 0;
};

struct Preset {
  std::string name;        // "tiny", "20b", "120b"
  std::string gguf_name;   // general.name
  std::string size_label;  // general.size_label
  int n_layers = 0;
  int hidden = 0;
  int n_heads = 0;
  int n_kv_heads = 0;
  int head_dim = 0;
  int n_experts = 0;
  int n_experts_used = 0;
  int expert_ffn = 0;
  int vocab = 201088;
  int sliding_window = 0;
  int context_length = 131072;
  int rope_original_context = 4096;
  float rope_theta = 150000.f;
  float rope_factor = 32.f;
  double rms_eps = 1e-5;
  float swiglu_limit = 7.f;
  Amplitudes amp;

  int q_width() const { return n_heads * head_dim; }
  int kv_width() const { return n_kv_heads * head_dim; }
  // Even layers use the sliding window (the reference's layer_types).
  bool layer_sliding(int layer) const { return layer % 2 == 0; }
};

std::optional<Preset> find_preset(std::string_view name);
std::vector<std::string> preset_names();

}  // namespace tally::synth
