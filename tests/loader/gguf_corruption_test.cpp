// Every corruption of a real GGUF gives an Error naming the file and the tensor or key; none crashes or reads out
// of bounds (run under ASan in the fuzz build).
#include <gtest/gtest.h>

#include <fstream>

#include "byte_edit.h"
#include "fixtures.h"
#include "loader/gguf_file.h"
#include "loader/model_file.h"

namespace tally::loader {
namespace {

using namespace loader_test;

class GgufCorruption : public ::testing::Test {
 protected:
  void SetUp() override {
    if (tally::testing::shared_dir().empty()) GTEST_SKIP() << "../shared is absent: fixture-based test skipped";
    original_ = tally::testing::read_file(tally::testing::tiny_fixture_dir() + "/tiny-gptoss-f16.gguf");
    ASSERT_FALSE(original_.empty());
    bytes_ = original_;
  }

  // Writes the edited bytes to a scratch file and loads it; returns the error message ("" if it loaded).
  std::string load_error(const std::string& label) {
    const std::string path = tally::testing::scratch_dir("loader-gguf-" + label) + "/corrupt.gguf";
    std::ofstream(path, std::ios::binary).write(bytes_.data(), static_cast<std::streamsize>(bytes_.size()));
    auto m = load_model(path);
    if (m.ok()) return "";
    EXPECT_NE(m.error().message.find(path), std::string::npos) << "message must name the file: " << m.error().message;
    return m.error().message;
  }

  std::string original_;
  std::string bytes_;
};

#define EXPECT_MENTIONS(msg, text) EXPECT_NE((msg).find(text), std::string::npos) << (msg)

TEST_F(GgufCorruption, EveryTruncationIsAnError) {
  auto full = parse_gguf(as_span(original_), "tiny.gguf");
  ASSERT_TRUE(full.ok()) << full.error().message;
  uint64_t data_end = 0;
  for (const auto& t : full->tensors) data_end = std::max(data_end, full->data_offset + t.offset + t.bytes);
  std::vector<size_t> cuts;
  for (size_t i = 0; i < 512; ++i) cuts.push_back(i);                             // magic, counts, first keys
  for (size_t i = 0; i < 400; ++i) cuts.push_back(512 + i * (data_end - 512) / 400);  // across tokens, infos, data
  for (size_t d = 1; d < 64; ++d) cuts.push_back(full->data_offset - d);          // tensor infos and padding
  for (size_t d = 1; d < 64; ++d) cuts.push_back(data_end - d);                   // the last tensor's bytes
  for (size_t cut : cuts) {
    auto r = parse_gguf(as_span(original_).first(cut), "tiny.gguf");
    ASSERT_FALSE(r.ok()) << "truncated at " << cut << " parsed";
    ASSERT_EQ(r.error().message.rfind("tiny.gguf: ", 0), 0u) << r.error().message;
  }
}

TEST_F(GgufCorruption, TruncatedFileOnDiskNamesTheFile) {
  for (size_t cut : {size_t{10}, original_.size() / 4, original_.size() - 5}) {
    bytes_ = original_.substr(0, cut);
    EXPECT_FALSE(load_error("truncated-" + std::to_string(cut)).empty());
  }
}

TEST_F(GgufCorruption, UnknownTensorTypeNamesTheTensor) {
  const auto at = find_tensor_info(bytes_, "blk.1.attn_k.weight");
  ASSERT_NE(at.n_dims, std::string::npos);
  poke<uint32_t>(bytes_, at.type, 99);
  const std::string msg = load_error("type99");
  EXPECT_MENTIONS(msg, "blk.1.attn_k.weight");
  EXPECT_MENTIONS(msg, "99");
}

TEST_F(GgufCorruption, OffsetPastTheEndNamesTheTensor) {
  const auto at = find_tensor_info(bytes_, "output_norm.weight");
  poke<uint64_t>(bytes_, at.offset, uint64_t{1} << 40);
  const std::string msg = load_error("offset");
  EXPECT_MENTIONS(msg, "output_norm.weight");
  EXPECT_MENTIONS(msg, "past the end");
}

TEST_F(GgufCorruption, MisalignedOffsetNamesTheTensor) {
  const auto at = find_tensor_info(bytes_, "blk.2.attn_v.bias");
  poke<uint64_t>(bytes_, at.offset, peek<uint64_t>(bytes_, at.offset) + 4);
  const std::string msg = load_error("misaligned");
  EXPECT_MENTIONS(msg, "blk.2.attn_v.bias");
  EXPECT_MENTIONS(msg, "aligned");
}

TEST_F(GgufCorruption, LargerShapeOverlapsTheNextTensor) {
  const auto at = find_tensor_info(bytes_, "blk.0.attn_q.weight");
  poke<int64_t>(bytes_, at.dims + 8, 1024);  // [32, 512] -> [32, 1024]: twice the bytes the file gives it
  const std::string msg = load_error("bigger");
  EXPECT_MENTIONS(msg, "blk.0.attn_q.weight");
}

TEST_F(GgufCorruption, ShapeThatDisagreesWithTheConfigNamesTheTensor) {
  const auto at = find_tensor_info(bytes_, "blk.0.attn_q.weight");
  poke<int64_t>(bytes_, at.dims + 8, 256);  // fits in its bytes, but the config says 8 heads x 64
  const std::string msg = load_error("smaller");
  EXPECT_MENTIONS(msg, "blk.0.attn_q.weight");
  EXPECT_MENTIONS(msg, "expected [512, 32]");
}

TEST_F(GgufCorruption, RowNotAMultipleOfTheBlockSize) {
  const auto at = find_tensor_info(bytes_, "blk.3.ffn_up_exps.weight");
  poke<int64_t>(bytes_, at.dims, 31);
  const std::string msg = load_error("block");
  EXPECT_MENTIONS(msg, "blk.3.ffn_up_exps.weight");
  EXPECT_MENTIONS(msg, "block");
}

TEST_F(GgufCorruption, WrongArchitectureNamesTheKey) {
  const size_t at = after_gguf_string(bytes_, "general.architecture");
  ASSERT_NE(at, std::string::npos);
  ASSERT_EQ(bytes_.substr(at + 4 + 8, 7), "gpt-oss");
  bytes_.replace(at + 4 + 8, 7, "llama-x");
  const std::string msg = load_error("arch");
  EXPECT_MENTIONS(msg, "general.architecture");
  EXPECT_MENTIONS(msg, "llama-x");
}

TEST_F(GgufCorruption, MissingRequiredKeyNamesIt) {
  const size_t at = after_gguf_string(bytes_, "gpt-oss.block_count");
  bytes_[at - 1] = 'T';  // gpt-oss.block_counT
  const std::string msg = load_error("key");
  EXPECT_MENTIONS(msg, "'gpt-oss.block_count' is missing");
}

TEST_F(GgufCorruption, WrongKeyTypeNamesIt) {
  const size_t at = after_gguf_string(bytes_, "gpt-oss.expert_count");
  poke<uint32_t>(bytes_, at, 6);  // uint32 -> float32 (same width)
  const std::string msg = load_error("keytype");
  EXPECT_MENTIONS(msg, "gpt-oss.expert_count");
}

TEST_F(GgufCorruption, MissingTensorNamesIt) {
  const size_t at = after_gguf_string(bytes_, "blk.3.ffn_down_exps.bias");
  bytes_[at - 4] = 'B';  // .Bias
  const std::string msg = load_error("tensor");
  EXPECT_MENTIONS(msg, "required tensor 'blk.3.ffn_down_exps.bias' is missing");
}

TEST_F(GgufCorruption, HugeCountsFailFast) {
  poke<uint64_t>(bytes_, 16, uint64_t{1} << 62);  // metadata count
  EXPECT_MENTIONS(load_error("nkv"), "metadata count");
  bytes_ = original_;
  poke<uint64_t>(bytes_, 8, uint64_t{1} << 62);  // tensor count
  EXPECT_MENTIONS(load_error("ntensors"), "tensor count");
  bytes_ = original_;
  const size_t at = after_gguf_string(bytes_, "tokenizer.ggml.tokens");
  poke<uint64_t>(bytes_, at + 8, uint64_t{1} << 61);  // array count after type (u32) and element type (u32)
  EXPECT_MENTIONS(load_error("array"), "tokenizer.ggml.tokens");
}

TEST_F(GgufCorruption, LyingStringLengthNamesTheKey) {
  const size_t at = after_gguf_string(bytes_, "general.name");
  poke<uint64_t>(bytes_, at + 4, uint64_t{1} << 50);
  EXPECT_MENTIONS(load_error("strlen"), "general.name");
}

}  // namespace
}  // namespace tally::loader
