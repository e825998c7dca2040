#include <algorithm>

#include "loader/gguf_model.h"
#include "loader/try_assign.h"
#include "loader/weight_assembly.h"

namespace tally::loader {

namespace {

StoredType stored_type(uint32_t type_id) {
  switch (static_cast<GgmlType>(type_id)) {
    case GgmlType::F32: return StoredType::F32;
    case GgmlType::F16: return StoredType::F16;
    case GgmlType::BF16: return StoredType::BF16;
    case GgmlType::Q8_0: return StoredType::Q8_0;
    case GgmlType::MXFP4: return StoredType::MXFP4;
  }
  return StoredType::U8;  // not reached: parse_gguf rejects other types
}

class GgufTensors {
 public:
  explicit GgufTensors(const GgufFile& f) : f_(f) {}

  Result<TensorRef> get(const std::string& name) const {
    const GgufTensor* t = f_.tensor(name);
    if (t == nullptr) return missing_tensor(f_.origin, name);
    TensorRef r;
    r.name = t->name;
    r.file = f_.origin;
    r.type = stored_type(t->type_id);
    r.shape.assign(t->dims.rbegin(), t->dims.rend());  // ggml lists the fastest dimension first
    r.data = t->data;
    r.bytes = t->bytes;
    return r;
  }

  Result<model::WeightMatrix> matrix(const std::string& name, int64_t count, int64_t rows, int64_t cols) const {
    auto t = get(name);
    if (!t) return t.error();
    return matrix_view(t.value(), count, rows, cols);
  }

  Result<std::vector<float>> floats(const std::string& name, const std::vector<int64_t>& shape) const {
    auto t = get(name);
    if (!t) return t.error();
    return float_vector(t.value(), shape);
  }

 private:
  const GgufFile& f_;
};

}  // namespace

Result<model::ModelWeights> gguf_model_weights(const GgufFile& file, const model::ModelConfig& config,
                                               const std::function<bool(float)>& progress) {
  const GgufTensors t(file);
  model::ModelWeights w;
  w.config = config;
  const int64_t H = config.hidden, V = config.vocab, E = config.n_experts, I = config.expert_ffn;
  const int64_t QW = config.q_width(), KW = config.kv_width();
  TALLY_TRY_SET(w.embed, t.matrix("token_embd.weight", 0, V, H));
  w.layers.resize(static_cast<size_t>(config.n_layers));
  for (int n = 0; n < config.n_layers; ++n) {
    model::LayerWeights& L = w.layers[static_cast<size_t>(n)];
    const std::string b = "blk." + std::to_string(n) + ".";
    TALLY_TRY_SET(L.attn_norm, t.floats(b + "attn_norm.weight", {H}));
    TALLY_TRY_SET(L.wq, t.matrix(b + "attn_q.weight", 0, QW, H));
    TALLY_TRY_SET(L.bq, t.floats(b + "attn_q.bias", {QW}));
    TALLY_TRY_SET(L.wk, t.matrix(b + "attn_k.weight", 0, KW, H));
    TALLY_TRY_SET(L.bk, t.floats(b + "attn_k.bias", {KW}));
    TALLY_TRY_SET(L.wv, t.matrix(b + "attn_v.weight", 0, KW, H));
    TALLY_TRY_SET(L.bv, t.floats(b + "attn_v.bias", {KW}));
    TALLY_TRY_SET(L.wo, t.matrix(b + "attn_output.weight", 0, H, QW));
    TALLY_TRY_SET(L.bo, t.floats(b + "attn_output.bias", {H}));
    TALLY_TRY_SET(L.sinks, t.floats(b + "attn_sinks.weight", {config.n_heads}));
    TALLY_TRY_SET(L.post_norm, t.floats(b + "post_attention_norm.weight", {H}));
    TALLY_TRY_SET(L.router, t.matrix(b + "ffn_gate_inp.weight", 0, E, H));
    TALLY_TRY_SET(L.router_bias, t.floats(b + "ffn_gate_inp.bias", {E}));
    TALLY_TRY_SET(L.gate, t.matrix(b + "ffn_gate_exps.weight", E, I, H));
    TALLY_TRY_SET(L.gate_bias, t.floats(b + "ffn_gate_exps.bias", {E, I}));
    TALLY_TRY_SET(L.up, t.matrix(b + "ffn_up_exps.weight", E, I, H));
    TALLY_TRY_SET(L.up_bias, t.floats(b + "ffn_up_exps.bias", {E, I}));
    TALLY_TRY_SET(L.down, t.matrix(b + "ffn_down_exps.weight", E, H, I));
    TALLY_TRY_SET(L.down_bias, t.floats(b + "ffn_down_exps.bias", {E, H}));
    if (progress && !progress(static_cast<float>(n + 1) / static_cast<float>(config.n_layers)))
      return make_error(file.origin + ": cancelled");
  }
  TALLY_TRY_SET(w.final_norm, t.floats("output_norm.weight", {H}));
  TALLY_TRY_SET(w.output, t.matrix("output.weight", 0, V, H));
  return w;
}

}  // namespace tally::loader
