// synth's GGUF output follows llama.cpp's gpt-oss layout: the tiny preset with F16 dense tensors is the fixture's
// own GGUF byte for byte (its sha256 is in the fixture README), the default Q8_0 file has the official types, and
// the 20b preset has exactly the official file's size.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "fixtures.h"
#include "gguf_probe.h"
#include "sha256.h"
#include "synth/ggml_blocks.h"
#include "synth/gptoss_gguf.h"

namespace tally::synth {
namespace {

using testing::GgufProbe;

constexpr uint32_t kF32 = 0, kF16 = 1, kQ8_0 = 8, kMxfp4 = 39;

float f16_value(uint16_t h) {
  const int exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
  const float mag = exp == 0 ? std::ldexp(static_cast<float>(mant), -24)
                             : std::ldexp(static_cast<float>(mant | 0x400), exp - 25);
  return (h & 0x8000) ? -mag : mag;
}

float e2m1(int code) {
  static const float v[8] = {0.f, 0.5f, 1.f, 1.5f, 2.f, 3.f, 4.f, 6.f};
  return (code & 8) ? -v[code & 7] : v[code & 7];
}

class TinyGguf : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = testing::scratch_dir("synth_tiny_gguf");
    path_ = new std::string(dir + "/tiny-q8_0.gguf");
    GgufOptions opt;
    opt.seed = kDefaultSeed;
    ok_ = write_gptoss_gguf(*find_preset("tiny"), *path_, opt).ok();
    bytes_ = new std::string(testing::read_file(*path_));
    probe_ = new GgufProbe(GgufProbe::parse(*bytes_));
  }
  static void TearDownTestSuite() {
    delete path_;
    delete bytes_;
    delete probe_;
  }
  static const uint8_t* data(const GgufProbe::Tensor& t) {
    return reinterpret_cast<const uint8_t*>(bytes_->data()) + probe_->data_start + t.offset;
  }
  static std::string* path_;
  static std::string* bytes_;
  static GgufProbe* probe_;
  static bool ok_;
};
std::string* TinyGguf::path_ = nullptr;
std::string* TinyGguf::bytes_ = nullptr;
GgufProbe* TinyGguf::probe_ = nullptr;
bool TinyGguf::ok_ = false;

TEST_F(TinyGguf, HeaderAndMetadataDescribeTheTinyModel) {
  ASSERT_TRUE(ok_);
  const GgufProbe& g = *probe_;
  ASSERT_TRUE(g.error.empty()) << g.error;
  EXPECT_EQ(g.version, 3u);
  EXPECT_EQ(g.tensors.size(), 4u * 19u + 3u);
  EXPECT_EQ(g.meta.at("general.architecture").s, "gpt-oss");
  EXPECT_EQ(g.meta.at("general.file_type").u, 38u);
  EXPECT_EQ(g.meta.at("gpt-oss.block_count").u, 4u);
  EXPECT_EQ(g.meta.at("gpt-oss.embedding_length").u, 32u);
  EXPECT_EQ(g.meta.at("gpt-oss.attention.head_count").u, 8u);
  EXPECT_EQ(g.meta.at("gpt-oss.attention.head_count_kv").u, 2u);
  EXPECT_EQ(g.meta.at("gpt-oss.attention.key_length").u, 64u);
  EXPECT_EQ(g.meta.at("gpt-oss.expert_count").u, 8u);
  EXPECT_EQ(g.meta.at("gpt-oss.expert_used_count").u, 4u);
  EXPECT_EQ(g.meta.at("gpt-oss.expert_feed_forward_length").u, 64u);
  EXPECT_EQ(g.meta.at("gpt-oss.attention.sliding_window").u, 16u);
  EXPECT_EQ(g.meta.at("gpt-oss.context_length").u, 131072u);
  EXPECT_FLOAT_EQ(static_cast<float>(g.meta.at("gpt-oss.rope.freq_base").f), 150000.f);
  EXPECT_FLOAT_EQ(static_cast<float>(g.meta.at("gpt-oss.rope.scaling.factor").f), 32.f);
  EXPECT_EQ(g.meta.at("gpt-oss.rope.scaling.original_context_length").u, 4096u);
  EXPECT_EQ(g.meta.at("gpt-oss.rope.scaling.type").s, "yarn");
}

TEST_F(TinyGguf, TokenizerMetadataIsComplete) {
  ASSERT_TRUE(ok_);
  const GgufProbe& g = *probe_;
  EXPECT_EQ(g.meta.at("tokenizer.ggml.model").s, "gpt2");
  EXPECT_EQ(g.meta.at("tokenizer.ggml.pre").s, "gpt-4o");
  const auto& tokens = g.meta.at("tokenizer.ggml.tokens").strings;
  const auto& types = g.meta.at("tokenizer.ggml.token_type").ints;
  ASSERT_EQ(tokens.size(), 201088u);
  ASSERT_EQ(types.size(), 201088u);
  EXPECT_EQ(tokens[0], "!");
  EXPECT_EQ(tokens[220], "\xC4\xA0");  // " " in byte-level form
  EXPECT_EQ(tokens[200006], "<|start|>");
  EXPECT_EQ(tokens[201087], "[PAD201087]");
  EXPECT_EQ(types[199997], 1);
  EXPECT_EQ(types[199998], 3);
  EXPECT_EQ(types[200018], 3);
  EXPECT_EQ(types[200019], 5);
  const auto& merges = g.meta.at("tokenizer.ggml.merges").strings;
  ASSERT_EQ(merges.size(), 446189u);
  EXPECT_EQ(merges.front(), "\xC4\xA0 \xC4\xA0");
  EXPECT_EQ(merges.back(), "\xC4\xA0" "coco s");
  EXPECT_EQ(g.meta.at("tokenizer.ggml.bos_token_id").u, 199998u);
  EXPECT_EQ(g.meta.at("tokenizer.ggml.eos_token_id").u, 200002u);
  EXPECT_EQ(g.meta.at("tokenizer.ggml.padding_token_id").u, 199999u);
  EXPECT_NE(g.meta.at("tokenizer.chat_template").s.find("<|start|>"), std::string::npos);
}

TEST_F(TinyGguf, TensorsHaveTheOfficialTypesAndShapes) {
  ASSERT_TRUE(ok_);
  const GgufProbe& g = *probe_;
  auto check = [&](const std::string& name, uint32_t type, std::vector<uint64_t> dims) {
    const auto* t = g.tensor(name);
    ASSERT_NE(t, nullptr) << name;
    EXPECT_EQ(t->type, type) << name;
    EXPECT_EQ(t->dims, dims) << name;
  };
  check("token_embd.weight", kQ8_0, {32, 201088});
  check("output.weight", kQ8_0, {32, 201088});
  check("output_norm.weight", kF32, {32});
  check("blk.3.attn_q.weight", kQ8_0, {32, 512});
  check("blk.3.attn_q.bias", kF32, {512});
  check("blk.3.attn_k.weight", kQ8_0, {32, 128});
  check("blk.3.attn_v.weight", kQ8_0, {32, 128});
  check("blk.3.attn_output.weight", kQ8_0, {512, 32});
  check("blk.3.attn_sinks.weight", kF32, {8});
  check("blk.3.ffn_gate_inp.weight", kF32, {32, 8});
  check("blk.3.ffn_gate_inp.bias", kF32, {8});
  check("blk.3.ffn_gate_exps.weight", kMxfp4, {32, 64, 8});
  check("blk.3.ffn_up_exps.weight", kMxfp4, {32, 64, 8});
  check("blk.3.ffn_down_exps.weight", kMxfp4, {64, 32, 8});
  check("blk.3.ffn_gate_exps.bias", kF32, {64, 8});
  check("blk.3.ffn_down_exps.bias", kF32, {32, 8});
  check("blk.0.attn_norm.weight", kF32, {32});
  check("blk.0.post_attention_norm.weight", kF32, {32});
}

TEST_F(TinyGguf, TensorDataIsAlignedAndFillsTheFile) {
  ASSERT_TRUE(ok_);
  const GgufProbe& g = *probe_;
  uint64_t expected = 0;
  for (const auto& t : g.tensors) {
    uint64_t n = 1;
    for (uint64_t d : t.dims) n *= d;
    const uint64_t bytes = t.type == kF32 ? n * 4 : t.type == kF16 ? n * 2 : t.type == kQ8_0 ? n / 32 * 34 : n / 32 * 17;
    EXPECT_EQ(t.offset % 32, 0u) << t.name;
    EXPECT_EQ(t.offset, expected) << t.name;
    expected = (t.offset + bytes + 31) / 32 * 32;
  }
  EXPECT_EQ(g.data_start + expected, bytes_->size());
}

TEST_F(TinyGguf, Q8_0BlocksApproximateTheRecipeValues) {
  ASSERT_TRUE(ok_);
  const auto plan = hf_tensor_plan(*find_preset("tiny"));
  const HfTensor& embed = hf_tensor(plan, "model.embed_tokens.weight");
  const uint8_t* d = data(*probe_->tensor("token_embd.weight"));
  for (uint64_t block : {0ull, 1ull, 12345ull, 201088ull - 1}) {
    const uint8_t* b = d + block * 34;
    const float scale = f16_value(static_cast<uint16_t>(b[0] | (b[1] << 8)));
    for (int j = 0; j < 32; ++j) {
      const float expect = embed.value(kDefaultSeed, block * 32 + static_cast<uint64_t>(j));
      // Half a step of rounding, plus the f16 rounding of the scale itself (relative 2^-11, times up to 127).
      EXPECT_NEAR(scale * static_cast<int8_t>(b[2 + j]), expect, scale * 0.5f + std::fabs(expect) * 1e-3f)
          << block << ":" << j;
    }
  }
}

TEST_F(TinyGguf, ExpertGateAndUpAreTheEvenAndOddHfRows) {
  ASSERT_TRUE(ok_);
  const auto plan = hf_tensor_plan(*find_preset("tiny"));
  const HfTensor& blocks = hf_tensor(plan, "model.layers.2.mlp.experts.gate_up_proj_blocks");
  const HfTensor& scales = hf_tensor(plan, "model.layers.2.mlp.experts.gate_up_proj_scales");
  for (int g = 0; g < 2; ++g) {
    const uint8_t* d = data(*probe_->tensor(g == 0 ? "blk.2.ffn_gate_exps.weight" : "blk.2.ffn_up_exps.weight"));
    for (int e : {0, 5, 7}) {
      for (int r : {0, 1, 63}) {
        const uint64_t hf_row = static_cast<uint64_t>(e) * 128 + 2 * static_cast<uint64_t>(r) + static_cast<uint64_t>(g);
        const uint8_t* blk = d + (static_cast<uint64_t>(e) * 64 + static_cast<uint64_t>(r)) * 17;
        ASSERT_EQ(blk[0], scales.byte(kDefaultSeed, hf_row));
        for (int i = 0; i < 32; ++i) {
          const int ggml_code = (i < 16 ? blk[1 + i] : blk[1 + i - 16] >> 4) & 0xF;
          const uint8_t hf_byte = blocks.byte(kDefaultSeed, hf_row * 16 + static_cast<uint64_t>(i / 2));
          const int hf_code = (i % 2 == 0 ? hf_byte : hf_byte >> 4) & 0xF;
          EXPECT_EQ(e2m1(ggml_code), e2m1(hf_code)) << "g" << g << " e" << e << " r" << r << " i" << i;
        }
      }
    }
  }
}

TEST_F(TinyGguf, Q8_0FileIsPinned) {
  // The same seed must always give the same bytes; this digest pins the default tiny GGUF so that any change to
  // the recipe, the tensor order or the Q8_0 rounding shows up here.
  ASSERT_TRUE(ok_);
  EXPECT_EQ(testing::sha256_hex(*bytes_), "c601444329d1410f81efead611f90e367f7e0a9b9ec41d73891295a91ffb9301");
}

TEST(TinyGgufF16, IsTheFixtureGgufByteForByte) {
  const std::string path = testing::scratch_dir("synth_tiny_gguf_f16") + "/tiny-gptoss-f16.gguf";
  GgufOptions opt;
  opt.seed = kDefaultSeed;
  opt.dense = DenseType::F16;
  ASSERT_TRUE(write_gptoss_gguf(*find_preset("tiny"), path, opt).ok());
  EXPECT_EQ(std::filesystem::file_size(path), 39195168u);
  EXPECT_EQ(testing::sha256_file(path), "d908af831634fe218f133a3db43d5148f21b55c5edee0dbdc7e65535c03edd54");
}

TEST(FullSizeGguf, TwentyBHasTheOfficialFileSize) {
  auto meta = gptoss_metadata(*find_preset("20b"), "");
  ASSERT_TRUE(meta.ok()) << meta.error().message;
  const auto tensors = gptoss_tensors(*find_preset("20b"), kDefaultSeed, DenseType::Q8_0);
  EXPECT_EQ(tensors.size(), 24u * 19u + 3u);
  EXPECT_EQ(gguf_file_size(*meta, tensors), 12109566496u);
  EXPECT_EQ(gptoss_tensors(*find_preset("120b"), kDefaultSeed, DenseType::Q8_0).size(), 36u * 19u + 3u);
}

TEST(GgmlBlocks, F16RoundsToNearestEven) {
  EXPECT_EQ(f32_to_f16(1.f), 0x3C00);
  EXPECT_EQ(f32_to_f16(-2.f), 0xC000);
  EXPECT_EQ(f32_to_f16(0.1f), 0x2E66);
  EXPECT_EQ(f32_to_f16(65504.f), 0x7BFF);
  EXPECT_EQ(f32_to_f16(65520.f), 0x7C00);
  EXPECT_EQ(f32_to_f16(1.f + 1.f / 2048.f), 0x3C00);  // a tie rounds to the even mantissa
  EXPECT_EQ(f32_to_f16(std::ldexp(1.f, -24)), 0x0001);  // smallest subnormal
  EXPECT_EQ(f32_to_f16(std::ldexp(1.f, -26)), 0x0000);
}

TEST(GgmlBlocks, Mxfp4RepackMovesNibbles) {
  uint8_t hf[16], out[17];
  for (int i = 0; i < 16; ++i) hf[i] = static_cast<uint8_t>((2 * i) % 16 | (((2 * i + 1) % 16) << 4));
  encode_mxfp4(120, hf, out);
  EXPECT_EQ(out[0], 120);
  // Element i has code i % 16: byte i of the ggml block holds element i (low) and element i + 16 (high).
  for (int i = 0; i < 16; ++i) EXPECT_EQ(out[1 + i], static_cast<uint8_t>(i | (i << 4))) << i;
}

}  // namespace
}  // namespace tally::synth
