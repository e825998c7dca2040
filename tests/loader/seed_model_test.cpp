// Loader rules on small files kept in the repo (tests/data/loader, also the fuzz seeds): these run on a fresh clone
// without ../shared. The seed model is a complete 1-layer gpt-oss mixing every tensor type the loader reads.
#include <gtest/gtest.h>

#include "byte_edit.h"
#include "fixtures.h"
#include "loader/dequantize.h"
#include "loader/gguf_file.h"
#include "loader/gguf_model.h"
#include "loader/half_float.h"
#include "loader/hf_checkpoint.h"
#include "loader/hf_config.h"
#include "loader/safetensors_file.h"
#include "loader/weight_assembly.h"

namespace tally::loader {
namespace {

using namespace loader_test;

std::string data_file(const char* name) { return tally::testing::test_data_dir() + "/loader/" + name; }

TEST(GgufParse, EveryMetadataValueType) {
  const std::string bytes = tally::testing::read_file(data_file("seed-gpt-oss.gguf"));
  auto f = parse_gguf(as_span(bytes), "seed.gguf");
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->version, 3u);
  EXPECT_EQ(f->alignment, 32u);
  EXPECT_EQ(f->tensors.size(), 22u);
  EXPECT_EQ(f->find("test.u8")->as_int(), 200);
  EXPECT_EQ(f->find("test.i8")->as_int(), -5);
  EXPECT_EQ(f->find("test.u16")->as_int(), 60000);
  EXPECT_EQ(f->find("test.i16")->as_int(), -300);
  EXPECT_EQ(f->find("test.i32")->as_int(), -70000);
  EXPECT_EQ(f->find("test.u64")->as_int(), int64_t{1} << 40);
  EXPECT_EQ(f->find("test.i64")->as_int(), -(int64_t{1} << 40));
  EXPECT_EQ(f->find("test.f64")->as_number(), 0.25);
  EXPECT_EQ(f->find("test.bool")->printable(), "true");
  EXPECT_EQ(f->find("gpt-oss.rope.freq_base")->as_number(), 150000.0);
  EXPECT_EQ(f->find("general.name")->as_string(), "seed");
  const GgufValue* nested = f->find("test.nested");
  ASSERT_NE(nested, nullptr);
  const auto items = nested->items();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].ints(), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(items[1].strings(), (std::vector<std::string>{"x"}));
  EXPECT_EQ(f->find("tokenizer.ggml.token_type")->printable(), "[int32 x 4] {1, 1, 1, 3}");
  auto vocab = gguf_vocab(*f);
  ASSERT_TRUE(vocab.ok());
  EXPECT_EQ(vocab->tokens, (std::vector<std::string>{"a", "b", "ab", "<|x|>"}));
  EXPECT_EQ(vocab->merges, (std::vector<std::string>{"a b"}));
  EXPECT_EQ(vocab->token_types, (std::vector<int32_t>{1, 1, 1, 3}));
}

TEST(GgufModel, SeedConfigAndWeightViews) {
  const std::string bytes = tally::testing::read_file(data_file("seed-gpt-oss.gguf"));
  auto f = parse_gguf(as_span(bytes), "seed.gguf");
  ASSERT_TRUE(f.ok()) << f.error().message;
  auto c = gguf_model_config(*f);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->n_layers, 1);
  EXPECT_EQ(c->hidden, 32);
  EXPECT_EQ(c->n_heads, 2);
  EXPECT_EQ(c->n_kv_heads, 1);
  EXPECT_EQ(c->head_dim, 16);
  EXPECT_EQ(c->vocab, 4);
  EXPECT_EQ(c->context_length, 256);
  EXPECT_EQ(c->rope_original_context, 64);
  EXPECT_EQ(c->layer_sliding, std::vector<bool>{true});
  auto w = gguf_model_weights(*f, *c);
  ASSERT_TRUE(w.ok()) << w.error().message;
  const auto& L = w->layers[0];
  EXPECT_EQ(L.wq.type, model::DType::BF16);
  EXPECT_EQ(L.wk.type, model::DType::F16);
  EXPECT_EQ(L.wv.type, model::DType::F32);
  EXPECT_EQ(L.wo.type, model::DType::Q8_0);
  EXPECT_EQ(L.gate.type, model::DType::MXFP4);
  EXPECT_EQ(L.down.rows, 32);
  EXPECT_EQ(L.down.cols, 32);
  EXPECT_EQ(L.bv.size(), 16u);  // stored as F16, converted to f32
  EXPECT_EQ(w->output.type, model::DType::Q8_0);
  // A Q8_0 row decodes as its f16 scale times each int8.
  std::vector<float> row(32);
  dequantize_row(L.wo, 0, 5, row.data());
  const uint8_t* block = L.wo.row(0, 5);
  EXPECT_EQ(row[7], f16_to_f32(load_u16(block)) * static_cast<float>(static_cast<int8_t>(block[2 + 7])));
  // An MXFP4 row: element i in the low nibble of byte i, element i + 16 in its high nibble.
  dequantize_row(L.up, 1, 3, row.data());
  const uint8_t* mx = L.up.row(1, 3);
  EXPECT_EQ(row[4], e2m1_value(mx[1 + 4] & 15) * e8m0_value(mx[0]));
  EXPECT_EQ(row[20], e2m1_value(mx[1 + 4] >> 4) * e8m0_value(mx[0]));
}

TEST(HfModel, SeedCheckpointSplitsInterleavedGateUp) {
  const std::string bytes = tally::testing::read_file(data_file("seed-gpt-oss.safetensors"));
  auto f = parse_safetensors(as_span(bytes), "seed.safetensors");
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->metadata.at("format"), "pt");
  auto c = parse_hf_config(tally::testing::read_file(data_file("seed-config.json")), "seed-config.json", "seed");
  ASSERT_TRUE(c.ok()) << c.error().message;
  TensorTable table;
  for (const auto& t : f->tensors) table.emplace(t.name, t);
  auto w = hf_model_weights(table, *c, "seed");
  ASSERT_TRUE(w.ok()) << w.error().message;
  const auto& L = w->layers[0];
  const TensorRef& blocks = table.at("model.layers.0.mlp.experts.gate_up_proj_blocks");
  const TensorRef& scales = table.at("model.layers.0.mlp.experts.gate_up_proj_scales");
  // Expert 1, gate row 5 = stored row 10, up row 5 = stored row 11 (16 bytes, one scale each).
  EXPECT_EQ(L.gate.row(1, 5), blocks.data + (1 * 64 + 10) * 16);
  EXPECT_EQ(L.up.row(1, 5), blocks.data + (1 * 64 + 11) * 16);
  std::vector<float> row(32);
  dequantize_row(L.up, 1, 5, row.data());
  const uint8_t* p = blocks.data + (1 * 64 + 11) * 16;
  const float s = e8m0_value(scales.data[1 * 64 + 11]);
  EXPECT_EQ(row[6], e2m1_value(p[3] & 15) * s);
  EXPECT_EQ(row[7], e2m1_value(p[3] >> 4) * s);
  auto bias = float_vector(table.at("model.layers.0.mlp.experts.gate_up_proj_bias"), {2, 64});
  ASSERT_TRUE(bias.ok());
  EXPECT_EQ(L.gate_bias[32 + 5], (*bias)[64 + 10]);
  EXPECT_EQ(L.up_bias[32 + 5], (*bias)[64 + 11]);
  EXPECT_EQ(L.post_norm.size(), 32u);  // F16 in this file
}

// ---- GGUF images built byte by byte -------------------------------------------------------------------------

std::string gguf_header(uint64_t n_tensors, uint64_t n_kv, uint32_t version = 3) {
  std::string out = "GGUF";
  put<uint32_t>(out, version);
  put<uint64_t>(out, n_tensors);
  put<uint64_t>(out, n_kv);
  return out;
}

std::string parse_error(const std::string& bytes) {
  auto r = parse_gguf(as_span(bytes), "x.gguf");
  return r.ok() ? "" : r.error().message;
}

TEST(GgufParse, RejectsBadMagicAndVersion) {
  EXPECT_NE(parse_error("GGUX" + std::string(20, '\0')).find("bad magic"), std::string::npos);
  EXPECT_NE(parse_error(gguf_header(0, 0, 1)).find("version 1"), std::string::npos);
  EXPECT_EQ(parse_error(gguf_header(0, 0)), "");
  EXPECT_NE(parse_error("GG").find("x.gguf"), std::string::npos);
}

TEST(GgufParse, RejectsUnknownValueTypeNamingTheKey) {
  std::string b = gguf_header(0, 1);
  put_string(b, "my.key");
  put<uint32_t>(b, 13);
  put<uint32_t>(b, 0);
  const std::string msg = parse_error(b);
  EXPECT_NE(msg.find("'my.key'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown value type 13"), std::string::npos) << msg;
}

TEST(GgufParse, RejectsDeeplyNestedArrays) {
  std::string b = gguf_header(0, 1);
  put_string(b, "deep");
  put<uint32_t>(b, 9);
  for (int i = 0; i < 40; ++i) {
    put<uint32_t>(b, 9);
    put<uint64_t>(b, 1);
  }
  put<uint32_t>(b, 0);
  put<uint64_t>(b, 0);
  EXPECT_NE(parse_error(b).find("nested deeper"), std::string::npos);
}

TEST(GgufParse, RejectsDuplicateKeysAndBadAlignment) {
  std::string b = gguf_header(0, 2);
  for (int i = 0; i < 2; ++i) {
    put_string(b, "k");
    put<uint32_t>(b, 4);
    put<uint32_t>(b, 1);
  }
  EXPECT_NE(parse_error(b).find("'k' appears twice"), std::string::npos);
  std::string a = gguf_header(0, 1);
  put_string(a, "general.alignment");
  put<uint32_t>(a, 4);
  put<uint32_t>(a, 24);
  EXPECT_NE(parse_error(a).find("general.alignment"), std::string::npos);
}

std::string one_tensor(uint32_t n_dims, std::vector<int64_t> dims, uint32_t type, uint64_t offset, size_t data) {
  std::string b = gguf_header(1, 0);
  put_string(b, "t.weight");
  put<uint32_t>(b, n_dims);
  for (int64_t d : dims) put<int64_t>(b, d);
  put<uint32_t>(b, type);
  put<uint64_t>(b, offset);
  while (b.size() % 32 != 0) b.push_back('\0');
  return b + std::string(data, '\0');
}

TEST(GgufParse, TensorInfoRules) {
  EXPECT_EQ(parse_error(one_tensor(2, {32, 2}, 0, 0, 256)), "");
  EXPECT_NE(parse_error(one_tensor(5, {1, 1, 1, 1, 1}, 0, 0, 64)).find("5 dimensions"), std::string::npos);
  EXPECT_NE(parse_error(one_tensor(2, {32, 0}, 0, 0, 64)).find("dimension 1 = 0"), std::string::npos);
  EXPECT_NE(parse_error(one_tensor(2, {32, -4}, 0, 0, 64)).find("invalid"), std::string::npos);
  EXPECT_NE(parse_error(one_tensor(1, {int64_t{1} << 40}, 0, 0, 64)).find("past the end"), std::string::npos);
  EXPECT_NE(parse_error(one_tensor(1, {31}, 8, 0, 64)).find("block size"), std::string::npos);
  EXPECT_NE(parse_error(one_tensor(1, {32}, 2, 0, 64)).find("unsupported tensor type 2"), std::string::npos);
  EXPECT_NE(parse_error(one_tensor(1, {32}, 0, 16, 256)).find("not aligned"), std::string::npos);
  EXPECT_NE(parse_error(one_tensor(1, {64}, 39, 0, 33)).find("past the end"), std::string::npos);
  EXPECT_EQ(parse_error(one_tensor(1, {64}, 39, 0, 34)), "");  // two 17-byte MXFP4 blocks
}

// ---- safetensors images --------------------------------------------------------------------------------------

std::string st_error(const nlohmann::ordered_json& header, size_t data_bytes) {
  const std::string img = safetensors_image(header, std::string(data_bytes, '\0'));
  auto r = parse_safetensors(as_span(img), "x.safetensors");
  return r.ok() ? "" : r.error().message;
}

TEST(SafetensorsParse, HeaderRules) {
  using J = nlohmann::ordered_json;
  const J ok = {{"a", {{"dtype", "F32"}, {"shape", {2, 2}}, {"data_offsets", {0, 16}}}}};
  EXPECT_EQ(st_error(ok, 16), "");
  EXPECT_NE(st_error(ok, 15).find("'a'"), std::string::npos);
  EXPECT_NE(st_error(J::array(), 0).find("not a JSON object"), std::string::npos);
  J bad = ok;
  bad["a"]["shape"] = {2, -2};
  EXPECT_NE(st_error(bad, 16).find("shape"), std::string::npos);
  bad = ok;
  bad["a"]["data_offsets"] = {16, 0};
  EXPECT_NE(st_error(bad, 16).find("data_offsets"), std::string::npos);
  bad = ok;
  bad["a"]["shape"] = {2, 3};
  EXPECT_NE(st_error(bad, 24).find("need 24"), std::string::npos);
  bad = ok;
  bad["b"] = {{"dtype", "U8"}, {"shape", {8}}, {"data_offsets", {8, 16}}};
  EXPECT_NE(st_error(bad, 16).find("overlaps"), std::string::npos);
  bad = ok;
  bad["empty"] = {{"dtype", "U8"}, {"shape", {0}}, {"data_offsets", {0, 0}}};  // shares a start, overlaps nothing
  EXPECT_EQ(st_error(bad, 16), "");
  bad = ok;
  bad["a"].erase("dtype");
  EXPECT_NE(st_error(bad, 16).find("needs dtype"), std::string::npos);
  std::string lying = safetensors_image(ok, std::string(16, '\0'));
  poke<uint64_t>(lying, 0, uint64_t{1} << 62);
  auto r = parse_safetensors(as_span(lying), "x.safetensors");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("header length"), std::string::npos);
}

TEST(HfConfig, RulesNameTheKey) {
  const std::string seed = tally::testing::read_file(data_file("seed-config.json"));
  auto j = nlohmann::json::parse(seed);
  auto err = [](const nlohmann::json& cfg) {
    auto r = parse_hf_config(cfg.dump(), "c.json", "n");
    return r.ok() ? std::string() : r.error().message;
  };
  EXPECT_EQ(err(j), "");
  auto k = j;
  k.erase("hidden_size");
  EXPECT_NE(err(k).find("'hidden_size' is missing"), std::string::npos);
  k = j;
  k["layer_types"] = {"sliding_attention", "full_attention"};
  EXPECT_NE(err(k).find("layer_types"), std::string::npos);
  k = j;
  k["model_type"] = "llama";
  EXPECT_NE(err(k).find("model_type"), std::string::npos);
  k = j;
  k["num_key_value_heads"] = 3;
  EXPECT_NE(err(k).find("KV heads"), std::string::npos);
  k = j;
  k["hidden_size"] = "32";
  EXPECT_NE(err(k).find("'hidden_size' is not an integer"), std::string::npos);
  EXPECT_NE(parse_hf_config("{", "c.json", "n").error().message.find("c.json"), std::string::npos);
}

}  // namespace
}  // namespace tally::loader
