#include "synth/gptoss_gguf.h"

#include <algorithm>
#include <cstring>

#include "synth/byte_level_vocab.h"
#include "synth/ggml_blocks.h"
#include "synth/hf_checkpoint.h"

namespace tally::synth {

namespace {

// Which HF row a GGUF row comes from: gate and up are the even and odd rows of the HF gate_up tensors.
struct RowPick {
  int64_t stride = 1;  // HF rows per GGUF row
  int64_t phase = 0;
  int64_t operator()(int64_t r) const { return r * stride + phase; }
};

Payload f32_payload(const HfTensor& t, uint64_t seed, int64_t rows, int64_t cols, RowPick pick) {
  Payload p;
  p.name = t.name;
  p.units = static_cast<uint64_t>(rows * cols);
  p.unit_bytes = 4;
  const int64_t hf_rows_per_mat = rows * pick.stride;
  p.fill = [t, seed, rows, cols, pick, hf_rows_per_mat](uint64_t first, uint64_t count, uint8_t* out) {
    const TensorStream s = tensor_stream(seed, t.k);
    const float step = t.uniform.step();
    for (uint64_t i = 0; i < count; ++i) {
      const int64_t j = static_cast<int64_t>(first + i);
      const int64_t mat = j / (rows * cols), r = (j / cols) % rows, c = j % cols;
      const uint64_t src = static_cast<uint64_t>((mat * hf_rows_per_mat + pick(r)) * cols + c);
      const float v = t.uniform.value(s.word(src), step);
      std::memcpy(out + 4 * i, &v, 4);
    }
  };
  return p;
}

Payload dense_payload(const HfTensor& t, uint64_t seed, DenseType dense) {
  Payload p;
  p.name = t.name;
  const uint64_t n = t.elements();
  if (dense == DenseType::Q8_0) {
    p.units = n / kQ8Block;
    p.unit_bytes = kQ8BlockBytes;
    p.fill = [t, seed](uint64_t first, uint64_t count, uint8_t* out) {
      const TensorStream s = tensor_stream(seed, t.k);
      const float step = t.uniform.step();
      float x[kQ8Block];
      for (uint64_t b = 0; b < count; ++b) {
        const uint64_t base = (first + b) * kQ8Block;
        for (int j = 0; j < kQ8Block; ++j) x[j] = t.uniform.value(s.word(base + static_cast<uint64_t>(j)), step);
        encode_q8_0(x, out + b * kQ8BlockBytes);
      }
    };
  } else if (dense == DenseType::F16) {
    p.units = n;
    p.unit_bytes = 2;
    p.fill = [t, seed](uint64_t first, uint64_t count, uint8_t* out) {
      const TensorStream s = tensor_stream(seed, t.k);
      const float step = t.uniform.step();
      for (uint64_t i = 0; i < count; ++i) {
        const uint16_t h = f32_to_f16(t.uniform.value(s.word(first + i), step));
        out[2 * i] = static_cast<uint8_t>(h & 0xFF);
        out[2 * i + 1] = static_cast<uint8_t>(h >> 8);
      }
    };
  } else {
    return f32_payload(t, seed, 1, static_cast<int64_t>(n), RowPick{});
  }
  return p;
}

// Expert matrices [E, rows, cols] from the HF blocks [E, hf_rows, cols/32, 16] and scales [E, hf_rows, cols/32].
Payload mxfp4_payload(const HfTensor& blocks, const HfTensor& scales, uint64_t seed, int64_t rows, RowPick pick) {
  Payload p;
  p.name = blocks.name;
  const int64_t experts = blocks.shape[0], hf_rows = blocks.shape[1], nb = blocks.shape[2];
  p.units = static_cast<uint64_t>(experts * rows * nb);
  p.unit_bytes = kMxfp4BlockBytes;
  p.fill = [blocks, scales, seed, rows, pick, hf_rows, nb](uint64_t first, uint64_t count, uint8_t* out) {
    const TensorStream bs = tensor_stream(seed, blocks.k), ss = tensor_stream(seed, scales.k);
    uint8_t hf[16];
    for (uint64_t i = 0; i < count; ++i) {
      const int64_t j = static_cast<int64_t>(first + i);
      const int64_t e = j / (rows * nb), r = (j / nb) % rows, b = j % nb;
      const uint64_t src = static_cast<uint64_t>((e * hf_rows + pick(r)) * nb + b);
      for (int q = 0; q < 16; ++q) hf[q] = uniform_u8(bs.word(src * 16 + static_cast<uint64_t>(q)), blocks.lo, blocks.hi);
      encode_mxfp4(uniform_u8(ss.word(src), scales.lo, scales.hi), hf, out + i * kMxfp4BlockBytes);
    }
  };
  return p;
}

GgmlType ggml_dense(DenseType d) {
  switch (d) {
    case DenseType::Q8_0: return GgmlType::Q8_0;
    case DenseType::F16: return GgmlType::F16;
    case DenseType::F32: break;
  }
  return GgmlType::F32;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

std::vector<GgufTensor> gptoss_tensors(const Preset& p, uint64_t seed, DenseType dense) {
  const std::vector<HfTensor> plan = hf_tensor_plan(p);
  // llama.cpp's converter reads safetensors names in sorted order: first it emits the experts (at each *_scales,
  // from the blocks before it), then every other tensor renamed.
  std::vector<const HfTensor*> sorted;
  for (const HfTensor& t : plan) sorted.push_back(&t);
  std::sort(sorted.begin(), sorted.end(), [](const HfTensor* a, const HfTensor* b) { return a->name < b->name; });

  const int64_t H = p.hidden, I = p.expert_ffn, E = p.n_experts;
  std::vector<GgufTensor> out;
  auto layer_of = [](const std::string& name) {
    const size_t start = std::string("model.layers.").size();
    return name.substr(start, name.find('.', start) - start);
  };
  auto find = [&](const std::string& name) -> const HfTensor& { return hf_tensor(plan, name); };

  for (const HfTensor* t : sorted) {
    const std::string blk = t->name.rfind("model.layers.", 0) == 0 ? "blk." + layer_of(t->name) + "." : "";
    const std::string pre = "model.layers." + (blk.empty() ? "" : layer_of(t->name)) + ".mlp.experts.";
    if (ends_with(t->name, "down_proj_scales")) {
      out.push_back({blk + "ffn_down_exps.weight", GgmlType::MXFP4, {I, H, E},
                     mxfp4_payload(find(pre + "down_proj_blocks"), *t, seed, H, RowPick{})});
    } else if (ends_with(t->name, "gate_up_proj_scales")) {
      const HfTensor& blocks = find(pre + "gate_up_proj_blocks");
      out.push_back({blk + "ffn_gate_exps.weight", GgmlType::MXFP4, {H, I, E},
                     mxfp4_payload(blocks, *t, seed, I, RowPick{2, 0})});
      out.push_back({blk + "ffn_up_exps.weight", GgmlType::MXFP4, {H, I, E},
                     mxfp4_payload(blocks, *t, seed, I, RowPick{2, 1})});
    }
  }

  for (const HfTensor* t : sorted) {
    const std::string& n = t->name;
    const std::string blk = n.rfind("model.layers.", 0) == 0 ? "blk." + layer_of(n) + "." : "";
    auto vec = [&](const std::string& gguf_name) {
      out.push_back({gguf_name, GgmlType::F32, {t->shape[0]}, f32_payload(*t, seed, 1, t->shape[0], RowPick{})});
    };
    auto mat = [&](const std::string& gguf_name) {
      out.push_back({gguf_name, ggml_dense(dense), {t->shape[1], t->shape[0]}, dense_payload(*t, seed, dense)});
    };
    if (n == "lm_head.weight") mat("output.weight");
    else if (n == "model.embed_tokens.weight") mat("token_embd.weight");
    else if (n == "model.norm.weight") vec("output_norm.weight");
    else if (ends_with(n, "input_layernorm.weight")) vec(blk + "attn_norm.weight");
    else if (ends_with(n, "post_attention_layernorm.weight")) vec(blk + "post_attention_norm.weight");
    else if (ends_with(n, "down_proj_bias")) {
      out.push_back({blk + "ffn_down_exps.bias", GgmlType::F32, {H, E}, f32_payload(*t, seed, E, H, RowPick{})});
    } else if (ends_with(n, "gate_up_proj_bias")) {
      // Each expert's bias row [2I] splits like its weight rows: even entries gate, odd entries up.
      out.push_back({blk + "ffn_gate_exps.bias", GgmlType::F32, {I, E}, f32_payload(*t, seed, E * I, 1, RowPick{2, 0})});
      out.push_back({blk + "ffn_up_exps.bias", GgmlType::F32, {I, E}, f32_payload(*t, seed, E * I, 1, RowPick{2, 1})});
    } else if (ends_with(n, "router.bias")) vec(blk + "ffn_gate_inp.bias");
    else if (ends_with(n, "router.weight")) {
      // The router stays F32 in every llama.cpp conversion (its logits pick experts; rounding would flip picks).
      out.push_back({blk + "ffn_gate_inp.weight", GgmlType::F32, {H, E}, f32_payload(*t, seed, E, H, RowPick{})});
    } else if (ends_with(n, "self_attn.sinks")) vec(blk + "attn_sinks.weight");
    else if (n.find("self_attn.") != std::string::npos) {
      const std::string proj = n.substr(n.find("self_attn.") + 10, 1);  // q, k, v or o
      const std::string base = blk + (proj == "o" ? "attn_output" : "attn_" + proj);
      if (ends_with(n, ".bias")) vec(base + ".bias");
      else mat(base + ".weight");
    }
  }
  return out;
}

Result<GgufMetadata> gptoss_metadata(const Preset& p, const std::string& resources_dir) {
  const std::string res = resources_dir.empty() ? default_resources_dir() : resources_dir;
  Result<std::vector<std::string>> ranks = read_tiktoken_ranks(res + "/tokenizer/o200k_base.tiktoken");
  if (!ranks) return ranks.error();
  Result<std::string> chat_template = read_resource(res + "/model/chat_template.jinja");
  if (!chat_template) return chat_template.error();

  std::vector<std::string> tokens;
  std::vector<int32_t> types;
  tokens.reserve(static_cast<size_t>(p.vocab));
  for (const std::string& r : *ranks) {
    tokens.push_back(byte_level_text(r));
    types.push_back(1);  // normal
  }
  for (const SpecialToken& s : harmony_specials()) {
    if (s.id != tokens.size()) return make_error("synth: harmony specials must follow the ranks directly");
    tokens.push_back(s.text);
    types.push_back(3);  // control
  }
  while (tokens.size() < static_cast<size_t>(p.vocab)) {
    tokens.push_back("[PAD" + std::to_string(tokens.size()) + "]");
    types.push_back(5);  // unused
  }
  std::vector<std::string> merges;
  const auto pairs = derive_merges(*ranks);
  merges.reserve(pairs.size());
  for (const auto& [l, r] : pairs) merges.push_back(tokens[l] + " " + tokens[r]);

  // Keys in the order llama.cpp's converter writes them.
  GgufMetadata m;
  const std::string a = "gpt-oss.";
  m.add_string("general.architecture", "gpt-oss");
  m.add_string("general.type", "model");
  m.add_string("general.name", p.gguf_name);
  m.add_string("general.size_label", p.size_label);
  m.add_u32(a + "block_count", static_cast<uint32_t>(p.n_layers));
  m.add_u32(a + "context_length", static_cast<uint32_t>(p.context_length));
  m.add_u32(a + "embedding_length", static_cast<uint32_t>(p.hidden));
  m.add_u32(a + "feed_forward_length", static_cast<uint32_t>(p.expert_ffn));
  m.add_u32(a + "attention.head_count", static_cast<uint32_t>(p.n_heads));
  m.add_u32(a + "attention.head_count_kv", static_cast<uint32_t>(p.n_kv_heads));
  m.add_string(a + "rope.scaling.type", "yarn");
  m.add_f32(a + "rope.scaling.factor", p.rope_factor);
  m.add_u32(a + "rope.scaling.original_context_length", static_cast<uint32_t>(p.rope_original_context));
  m.add_f32(a + "rope.scaling.yarn_beta_fast", 32.f);
  m.add_f32(a + "rope.scaling.yarn_beta_slow", 1.f);
  m.add_f32(a + "rope.freq_base", p.rope_theta);
  m.add_f32(a + "attention.layer_norm_rms_epsilon", static_cast<float>(p.rms_eps));
  m.add_u32(a + "expert_count", static_cast<uint32_t>(p.n_experts));
  m.add_u32(a + "expert_used_count", static_cast<uint32_t>(p.n_experts_used));
  m.add_u32(a + "attention.key_length", static_cast<uint32_t>(p.head_dim));
  m.add_u32(a + "attention.value_length", static_cast<uint32_t>(p.head_dim));
  m.add_u32("general.file_type", 38);  // LLAMA_FTYPE_MOSTLY_MXFP4_MOE, whatever the dense tensors use
  m.add_u32(a + "attention.sliding_window", static_cast<uint32_t>(p.sliding_window));
  m.add_u32(a + "expert_feed_forward_length", static_cast<uint32_t>(p.expert_ffn));
  m.add_u32("general.quantization_version", 2);
  m.add_string("tokenizer.ggml.model", "gpt2");
  m.add_string("tokenizer.ggml.pre", "gpt-4o");
  m.add_strings("tokenizer.ggml.tokens", tokens);
  m.add_i32s("tokenizer.ggml.token_type", types);
  m.add_strings("tokenizer.ggml.merges", merges);
  m.add_u32("tokenizer.ggml.bos_token_id", kBosId);
  m.add_u32("tokenizer.ggml.eos_token_id", kEosId);
  m.add_u32("tokenizer.ggml.padding_token_id", kPadId);
  m.add_string("tokenizer.chat_template", *chat_template);
  return m;
}

Result<void> write_gptoss_gguf(const Preset& p, const std::string& path, const GgufOptions& options) {
  Result<GgufMetadata> meta = gptoss_metadata(p, options.resources_dir);
  if (!meta) return meta.error();
  return write_gguf(path, *meta, gptoss_tensors(p, options.seed, options.dense), options.threads, options.progress);
}

}  // namespace tally::synth
