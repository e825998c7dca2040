#pragma once
// The gpt-oss hyper-parameters, read from the model file (GGUF metadata or HF config.json); nothing is hard-coded.
#include <cstdint>
#include <string>
#include <vector>

namespace tally::model {

struct ModelConfig {
  std::string name;              // general.name or the HF folder name
  int n_layers = 0;
  int hidden = 0;                // embedding_length
  int n_heads = 0;               // query heads
  int n_kv_heads = 0;
  int head_dim = 0;
  int n_experts = 0;
  int n_experts_used = 0;
  int expert_ffn = 0;            // expert intermediate width
  int vocab = 0;
  int sliding_window = 0;        // 0: no sliding layers
  std::vector<bool> layer_sliding;  // per layer: true = sliding-window attention
  int context_length = 0;        // maximum positions (131072 for the real models)
  float rms_eps = 1e-5f;
  float rope_theta = 150000.f;
  float rope_scaling_factor = 1.f;      // YaRN factor (32)
  int rope_original_context = 4096;     // YaRN original context length
  float yarn_beta_fast = 32.f;
  float yarn_beta_slow = 1.f;
  float swiglu_limit = 7.f;

  int q_width() const { return n_heads * head_dim; }
  int kv_width() const { return n_kv_heads * head_dim; }
};

}  // namespace tally::model
