#include "loader/hf_checkpoint.h"
#include "loader/try_assign.h"
#include "loader/weight_assembly.h"

namespace tally::loader {

namespace {

constexpr int64_t kMxBlock = 32;      // values per MXFP4 block
constexpr int64_t kMxBlockBytes = 16;  // nibble bytes per block (HF keeps the scales apart)

class HfTensors {
 public:
  HfTensors(const TensorTable& t, const std::string& origin) : t_(t), origin_(origin) {}

  Result<TensorRef> get(const std::string& name) const {
    const auto it = t_.find(name);
    if (it == t_.end()) return missing_tensor(origin_, name);
    return it->second;
  }
  Result<model::WeightMatrix> matrix(const std::string& name, int64_t rows, int64_t cols) const {
    auto t = get(name);
    if (!t) return t.error();
    return matrix_view(t.value(), 0, rows, cols);
  }
  Result<std::vector<float>> floats(const std::string& name, const std::vector<int64_t>& shape) const {
    auto t = get(name);
    if (!t) return t.error();
    return float_vector(t.value(), shape);
  }

  // Experts' `<base>_blocks` [E, rows, cols/32, 16] and `<base>_scales` [E, rows, cols/32] as `parts` views: with
  // parts = 2 the rows interleave (even rows = part 0, odd rows = part 1), as gpt-oss stores gate and up.
  Result<std::vector<model::WeightMatrix>> mxfp4_experts(const std::string& base, int64_t experts, int64_t rows,
                                                          int64_t cols, int parts) const {
    auto blocks = get(base + "_blocks");
    if (!blocks) return blocks.error();
    auto scales = get(base + "_scales");
    if (!scales) return scales.error();
    if (cols % kMxBlock != 0)
      return make_error(origin_ + ": tensor '" + base + "_blocks': " + std::to_string(cols) +
                        " columns is not a multiple of the MXFP4 block of 32");
    const int64_t nb = cols / kMxBlock;
    for (const TensorRef* t : {&blocks.value(), &scales.value()}) {
      if (t->type != StoredType::U8)
        return make_error(t->file + ": tensor '" + t->name + "' has type " + stored_type_name(t->type) +
                          ", expected U8");
    }
    const std::vector<int64_t> want_blocks{experts, rows, nb, kMxBlockBytes};
    const std::vector<int64_t> want_scales{experts, rows, nb};
    if (blocks->shape != want_blocks)
      return make_error(blocks->file + ": tensor '" + blocks->name + "' has shape " + shape_string(blocks->shape) +
                        ", expected " + shape_string(want_blocks));
    if (scales->shape != want_scales)
      return make_error(scales->file + ": tensor '" + scales->name + "' has shape " + shape_string(scales->shape) +
                        ", expected " + shape_string(want_scales));
    const auto row_bytes = static_cast<size_t>(nb * kMxBlockBytes);
    const auto scale_row = static_cast<size_t>(nb);
    std::vector<model::WeightMatrix> out;
    for (int p = 0; p < parts; ++p) {
      model::WeightMatrix m;
      m.name = blocks->name;
      m.type = model::DType::MXFP4_SPLIT;
      m.rows = rows / parts;
      m.cols = cols;
      m.count = experts;
      m.data = blocks->data + static_cast<size_t>(p) * row_bytes;
      m.row_stride = row_bytes * static_cast<size_t>(parts);
      m.mat_stride = row_bytes * static_cast<size_t>(rows);
      m.scales = scales->data + static_cast<size_t>(p) * scale_row;
      m.scale_row_stride = scale_row * static_cast<size_t>(parts);
      m.scale_mat_stride = scale_row * static_cast<size_t>(rows);
      out.push_back(m);
    }
    return out;
  }

 private:
  const TensorTable& t_;
  const std::string& origin_;
};

}  // namespace

Result<model::ModelWeights> hf_model_weights(const TensorTable& tensors, const model::ModelConfig& config,
                                             const std::string& origin, const std::function<bool(float)>& progress) {
  const HfTensors t(tensors, origin);
  model::ModelWeights w;
  w.config = config;
  const int64_t H = config.hidden, V = config.vocab, E = config.n_experts, I = config.expert_ffn;
  const int64_t QW = config.q_width(), KW = config.kv_width();
  TALLY_TRY_SET(w.embed, t.matrix("model.embed_tokens.weight", V, H));
  w.layers.resize(static_cast<size_t>(config.n_layers));
  for (int n = 0; n < config.n_layers; ++n) {
    model::LayerWeights& L = w.layers[static_cast<size_t>(n)];
    const std::string b = "model.layers." + std::to_string(n) + ".";
    TALLY_TRY_SET(L.attn_norm, t.floats(b + "input_layernorm.weight", {H}));
    TALLY_TRY_SET(L.wq, t.matrix(b + "self_attn.q_proj.weight", QW, H));
    TALLY_TRY_SET(L.bq, t.floats(b + "self_attn.q_proj.bias", {QW}));
    TALLY_TRY_SET(L.wk, t.matrix(b + "self_attn.k_proj.weight", KW, H));
    TALLY_TRY_SET(L.bk, t.floats(b + "self_attn.k_proj.bias", {KW}));
    TALLY_TRY_SET(L.wv, t.matrix(b + "self_attn.v_proj.weight", KW, H));
    TALLY_TRY_SET(L.bv, t.floats(b + "self_attn.v_proj.bias", {KW}));
    TALLY_TRY_SET(L.wo, t.matrix(b + "self_attn.o_proj.weight", H, QW));
    TALLY_TRY_SET(L.bo, t.floats(b + "self_attn.o_proj.bias", {H}));
    TALLY_TRY_SET(L.sinks, t.floats(b + "self_attn.sinks", {config.n_heads}));
    TALLY_TRY_SET(L.post_norm, t.floats(b + "post_attention_layernorm.weight", {H}));
    TALLY_TRY_SET(L.router, t.matrix(b + "mlp.router.weight", E, H));
    TALLY_TRY_SET(L.router_bias, t.floats(b + "mlp.router.bias", {E}));

    std::vector<model::WeightMatrix> gate_up;
    TALLY_TRY_SET(gate_up, t.mxfp4_experts(b + "mlp.experts.gate_up_proj", E, 2 * I, H, 2));
    L.gate = gate_up[0];
    L.up = gate_up[1];
    std::vector<float> gate_up_bias;
    TALLY_TRY_SET(gate_up_bias, t.floats(b + "mlp.experts.gate_up_proj_bias", {E, 2 * I}));
    L.gate_bias.resize(static_cast<size_t>(E * I));
    L.up_bias.resize(static_cast<size_t>(E * I));
    for (size_t k = 0; k < L.gate_bias.size(); ++k) {
      L.gate_bias[k] = gate_up_bias[2 * k];  // rows interleave: even = gate, odd = up
      L.up_bias[k] = gate_up_bias[2 * k + 1];
    }
    std::vector<model::WeightMatrix> down;
    TALLY_TRY_SET(down, t.mxfp4_experts(b + "mlp.experts.down_proj", E, H, I, 1));
    L.down = down[0];
    TALLY_TRY_SET(L.down_bias, t.floats(b + "mlp.experts.down_proj_bias", {E, H}));
    if (progress && !progress(static_cast<float>(n + 1) / static_cast<float>(config.n_layers)))
      return make_error(origin + ": cancelled");
  }
  TALLY_TRY_SET(w.final_norm, t.floats("model.norm.weight", {H}));
  TALLY_TRY_SET(w.output, t.matrix("lm_head.weight", V, H));
  return w;
}

}  // namespace tally::loader
