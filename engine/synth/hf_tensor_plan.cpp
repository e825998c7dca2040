#include "synth/hf_tensor_plan.h"

#include <cassert>
#include <stdexcept>

namespace tally::synth {

uint64_t HfTensor::elements() const {
  uint64_t n = 1;
  for (int64_t d : shape) n *= static_cast<uint64_t>(d);
  return n;
}

void HfTensor::fill(uint64_t seed, uint64_t first, uint64_t count, uint8_t* out) const {
  const TensorStream s = tensor_stream(seed, k);
  if (dtype == HfDType::U8) {
    for (uint64_t i = 0; i < count; ++i) out[i] = uniform_u8(s.word(first + i), lo, hi);
    return;
  }
  const float step = uniform.step();
  for (uint64_t i = 0; i < count; ++i) {
    const uint16_t b = bf16_bits(uniform.value(s.word(first + i), step));
    out[2 * i] = static_cast<uint8_t>(b & 0xFF);
    out[2 * i + 1] = static_cast<uint8_t>(b >> 8);
  }
}

namespace {

class PlanBuilder {
 public:
  explicit PlanBuilder(std::vector<HfTensor>& out) : out_(out) {}

  void bf16(std::string name, std::vector<int64_t> shape, int amp, float mean = 0.f, int bits = 8) {
    HfTensor t;
    t.name = std::move(name);
    t.shape = std::move(shape);
    t.k = out_.size() + 1;
    t.uniform = UniformBf16{amp, mean, bits};
    out_.push_back(std::move(t));
  }
  void u8(std::string name, std::vector<int64_t> shape, int lo, int hi) {
    HfTensor t;
    t.name = std::move(name);
    t.dtype = HfDType::U8;
    t.shape = std::move(shape);
    t.k = out_.size() + 1;
    t.lo = lo;
    t.hi = hi;
    out_.push_back(std::move(t));
  }

 private:
  std::vector<HfTensor>& out_;
};

}  // namespace

std::vector<HfTensor> hf_tensor_plan(const Preset& p) {
  std::vector<HfTensor> plan;
  PlanBuilder b(plan);
  const Amplitudes& a = p.amp;
  const int64_t H = p.hidden, Q = p.q_width(), KV = p.kv_width(), E = p.n_experts, I = p.expert_ffn;
  b.bf16("model.embed_tokens.weight", {p.vocab, H}, a.embed);
  for (int l = 0; l < p.n_layers; ++l) {
    const std::string pre = "model.layers." + std::to_string(l) + ".";
    b.bf16(pre + "input_layernorm.weight", {H}, a.norm, 1.f, 4);
    b.bf16(pre + "post_attention_layernorm.weight", {H}, a.norm, 1.f, 4);
    b.bf16(pre + "self_attn.q_proj.weight", {Q, H}, a.attn_in);
    b.bf16(pre + "self_attn.q_proj.bias", {Q}, a.bias);
    b.bf16(pre + "self_attn.k_proj.weight", {KV, H}, a.attn_in);
    b.bf16(pre + "self_attn.k_proj.bias", {KV}, a.bias);
    b.bf16(pre + "self_attn.v_proj.weight", {KV, H}, a.attn_in);
    b.bf16(pre + "self_attn.v_proj.bias", {KV}, a.bias);
    b.bf16(pre + "self_attn.o_proj.weight", {H, Q}, a.attn_out);
    b.bf16(pre + "self_attn.o_proj.bias", {H}, a.bias);
    b.bf16(pre + "self_attn.sinks", {p.n_heads}, a.sinks);
    b.bf16(pre + "mlp.router.weight", {E, H}, a.router);
    b.bf16(pre + "mlp.router.bias", {E}, a.bias);
    const int c_up = mxfp4_scale_centre(p.hidden), c_down = mxfp4_scale_centre(p.expert_ffn);
    b.u8(pre + "mlp.experts.gate_up_proj_blocks", {E, 2 * I, H / 32, 16}, 0, 256);
    b.u8(pre + "mlp.experts.gate_up_proj_scales", {E, 2 * I, H / 32}, c_up - 2, c_up + 3);
    b.bf16(pre + "mlp.experts.gate_up_proj_bias", {E, 2 * I}, a.bias);
    b.u8(pre + "mlp.experts.down_proj_blocks", {E, H, I / 32, 16}, 0, 256);
    b.u8(pre + "mlp.experts.down_proj_scales", {E, H, I / 32}, c_down - 2, c_down + 3);
    b.bf16(pre + "mlp.experts.down_proj_bias", {E, H}, a.bias);
  }
  b.bf16("model.norm.weight", {H}, a.norm, 1.f, 4);
  b.bf16("lm_head.weight", {p.vocab, H}, a.lm_head);
  return plan;
}

const HfTensor& hf_tensor(const std::vector<HfTensor>& plan, const std::string& name) {
  for (const HfTensor& t : plan) {
    if (t.name == name) return t;
  }
  assert(false && "tensor missing from the synth plan");
  throw std::logic_error("synth plan has no tensor " + name);
}

}  // namespace tally::synth
