// Arbitrary bytes as a safetensors file: parse, convert every float tensor, and assemble a fixed tiny gpt-oss
// (the seed's shapes) from whatever tensors it names, decoding one row of every matrix.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "loader/dequantize.h"
#include "loader/hf_checkpoint.h"
#include "loader/safetensors_file.h"
#include "loader/weight_assembly.h"

namespace {

tally::model::ModelConfig seed_config() {
  tally::model::ModelConfig c;
  c.n_layers = 1;
  c.hidden = 32;
  c.n_heads = 2;
  c.n_kv_heads = 1;
  c.head_dim = 16;
  c.n_experts = 2;
  c.n_experts_used = 1;
  c.expert_ffn = 32;
  c.vocab = 4;
  c.sliding_window = 8;
  c.layer_sliding = {true};
  return c;
}

void touch(const tally::model::WeightMatrix& m, std::vector<float>& row) {
  if (m.empty() || m.rows == 0) return;
  row.resize(static_cast<size_t>(m.cols));
  tally::loader::dequantize_row(m, m.count - 1, m.rows - 1, row.data());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tally::loader;
  auto file = parse_safetensors({data, size}, "fuzz.safetensors");
  if (!file) return 0;
  TensorTable table;
  for (const auto& t : file->tensors) {
    if (t.bytes <= (1u << 20)) (void)float_vector(t, t.shape);
    table.emplace(t.name, t);
  }
  static const tally::model::ModelConfig config = seed_config();
  auto weights = hf_model_weights(table, config, "fuzz");
  if (!weights) return 0;
  std::vector<float> row;
  touch(weights->embed, row);
  touch(weights->output, row);
  for (const auto& L : weights->layers) {
    for (const auto* m : {&L.wq, &L.wk, &L.wv, &L.wo, &L.router, &L.gate, &L.up, &L.down}) touch(*m, row);
  }
  return 0;
}
