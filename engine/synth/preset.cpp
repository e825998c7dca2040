#include "synth/preset.h"

#include <cmath>

namespace tally::synth {

namespace {

Preset tiny() {
  Preset p;
  p.name = "tiny";
  p.gguf_name = "Tiny";
  p.size_label = "8x13M";
  p.n_layers = 4;
  p.hidden = 32;
  p.n_heads = 8;
  p.n_kv_heads = 2;
  p.head_dim = 64;
  p.n_experts = 8;
  p.n_experts_used = 4;
  p.expert_ffn = 64;
  p.sliding_window = 16;
  return p;  // Amplitudes' defaults are the fixture recipe's.
}

// The tiny recipe's amplitudes were picked for fan-in 32 (512 for o); wider models shrink each matrix by the
// square root of the fan-in ratio, rounded to a power of two, so dot products keep the tiny model's scale.
int shrink(int amp, int tiny_fan_in, int fan_in) {
  return amp - static_cast<int>(std::lround(0.5 * std::log2(static_cast<double>(fan_in) / tiny_fan_in)));
}

Preset full_size(const char* name, const char* gguf_name, const char* size_label, int layers, int experts) {
  Preset p;
  p.name = name;
  p.gguf_name = gguf_name;
  p.size_label = size_label;
  p.n_layers = layers;
  p.hidden = 2880;
  p.n_heads = 64;
  p.n_kv_heads = 8;
  p.head_dim = 64;
  p.n_experts = experts;
  p.n_experts_used = 4;
  p.expert_ffn = 2880;
  p.sliding_window = 128;
  const Amplitudes base;
  p.amp.attn_in = shrink(base.attn_in, 32, p.hidden);
  p.amp.attn_out = shrink(base.attn_out, 512, p.q_width());
  p.amp.router = shrink(base.router, 32, p.hidden);
  p.amp.lm_head = shrink(base.lm_head, 32, p.hidden);
  return p;
}

}  // namespace

std::optional<Preset> find_preset(std::string_view name) {
  if (name == "tiny") return tiny();
  if (name == "20b") return full_size("20b", "Gpt Oss 20b", "20B", 24, 32);
  if (name == "120b") return full_size("120b", "Gpt Oss 120b", "120B", 36, 128);
  return std::nullopt;
}

std::vector<std::string> preset_names() { return {"tiny", "20b", "120b"}; }

}  // namespace tally::synth
