// Hugging Face checkpoints: sharding, and every corruption (lying header length, offsets past the end, shapes that
// disagree with bytes or config, missing shards, missing tensors, truncation) as an Error naming file and tensor.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "byte_edit.h"
#include "fixtures.h"
#include "loader/model_file.h"
#include "loader/safetensors_file.h"
#include "tiny_hf_checkpoint.h"

namespace fs = std::filesystem;

namespace tally::loader {
namespace {

using namespace loader_test;
using nlohmann::ordered_json;

#define EXPECT_MENTIONS(msg, text) EXPECT_NE((msg).find(text), std::string::npos) << (msg)

void write(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

class HfCorruption : public ::testing::Test {
 protected:
  void SetUp() override {
    if (tally::testing::shared_dir().empty()) GTEST_SKIP() << "../shared is absent: fixture-based test skipped";
    src_ = loader_test::recipe_hf_dir();
    ASSERT_FALSE(src_.empty());
    original_ = tally::testing::read_file(src_ + "/model.safetensors");
    const auto n = peek<uint64_t>(original_, 0);
    header_ = ordered_json::parse(original_.substr(8, n));
    data_ = original_.substr(8 + n);
  }

  // A scratch checkpoint folder with the fixture's config and tokenizer and no weights yet.
  fs::path folder(const std::string& label, const std::string& config_json = "") {
    const fs::path dir = tally::testing::scratch_dir("loader-hf-" + label);
    fs::copy_file(fs::path(src_) / "tokenizer.json", dir / "tokenizer.json");
    if (config_json.empty()) {
      fs::copy_file(fs::path(src_) / "config.json", dir / "config.json");
    } else {
      write(dir / "config.json", config_json);
    }
    return dir;
  }

  std::string load_error(const fs::path& dir, const std::string& must_name) {
    auto m = load_model(dir.string());
    if (m.ok()) return "";
    EXPECT_MENTIONS(m.error().message, must_name);
    return m.error().message;
  }

  std::string src_;
  std::string original_;
  ordered_json header_;
  std::string data_;
};

TEST_F(HfCorruption, ShardedCheckpointLoadsLikeTheSingleFile) {
  const fs::path dir = folder("sharded");
  // Two shards: the embedding alone, then everything else (offsets rebased).
  ordered_json first = ordered_json::object(), second = ordered_json::object(), map = ordered_json::object();
  std::string d1, d2;
  for (const auto& [name, entry] : header_.items()) {
    if (name == "__metadata__") continue;
    const auto b = entry["data_offsets"][0].get<size_t>(), e = entry["data_offsets"][1].get<size_t>();
    const bool one = name == "model.embed_tokens.weight";
    std::string& d = one ? d1 : d2;
    ordered_json copy = entry;
    copy["data_offsets"] = {d.size(), d.size() + (e - b)};
    d += data_.substr(b, e - b);
    (one ? first : second)[name] = copy;
    map[name] = one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
  }
  write(dir / "model-00001-of-00002.safetensors", safetensors_image(first, d1));
  write(dir / "model-00002-of-00002.safetensors", safetensors_image(second, d2));
  write(dir / "model.safetensors.index.json", ordered_json{{"metadata", {}}, {"weight_map", map}}.dump());
  auto m = load_model(dir.string());
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->weights.files.size(), 2u);
  EXPECT_EQ(m->tensors.size(), 79u);
  auto single = load_model(src_);
  ASSERT_TRUE(single.ok());
  const auto& a = m->weights.layers[3].down;
  const auto& b = single->weights.layers[3].down;
  EXPECT_EQ(std::memcmp(a.data, b.data, a.mat_stride * static_cast<size_t>(a.count)), 0);
  EXPECT_EQ(m->weights.layers[3].gate_bias, single->weights.layers[3].gate_bias);

  fs::remove(dir / "model-00002-of-00002.safetensors");
  const std::string msg = load_error(dir, "model-00002-of-00002.safetensors");
  EXPECT_MENTIONS(msg, "missing shard");
}

TEST_F(HfCorruption, LyingHeaderLength) {
  const fs::path dir = folder("headerlen");
  std::string bytes = original_;
  poke<uint64_t>(bytes, 0, bytes.size());
  write(dir / "model.safetensors", bytes);
  EXPECT_MENTIONS(load_error(dir, "model.safetensors"), "header length");
  poke<uint64_t>(bytes, 0, peek<uint64_t>(original_, 0) - 9);  // cuts the JSON short
  write(dir / "model.safetensors", bytes);
  EXPECT_MENTIONS(load_error(dir, "model.safetensors"), "JSON");
}

TEST_F(HfCorruption, OffsetsPastTheEndNameTheTensor) {
  const fs::path dir = folder("offsets");
  header_["lm_head.weight"]["data_offsets"][1] = data_.size() + 64;
  write(dir / "model.safetensors", safetensors_image(header_, data_));
  const std::string msg = load_error(dir, "model.safetensors");
  EXPECT_MENTIONS(msg, "lm_head.weight");
}

TEST_F(HfCorruption, ShapeThatDisagreesWithBytesNamesTheTensor) {
  const fs::path dir = folder("shape");
  header_["model.layers.1.self_attn.q_proj.weight"]["shape"] = {512, 33};
  write(dir / "model.safetensors", safetensors_image(header_, data_));
  const std::string msg = load_error(dir, "model.safetensors");
  EXPECT_MENTIONS(msg, "model.layers.1.self_attn.q_proj.weight");
}

TEST_F(HfCorruption, ShapeThatDisagreesWithConfigNamesTheTensor) {
  auto config = ordered_json::parse(tally::testing::read_file(src_ + "/config.json"));
  config["num_local_experts"] = 16;
  const fs::path dir = folder("config", config.dump());
  fs::create_symlink(fs::path(src_) / "model.safetensors", dir / "model.safetensors");
  const std::string msg = load_error(dir, "model.layers.0.mlp.router.weight");
  EXPECT_MENTIONS(msg, "expected [16, 32]");
}

TEST_F(HfCorruption, WrongDtypeForMxfp4BlocksNamesTheTensor) {
  const fs::path dir = folder("dtype");
  auto& e = header_["model.layers.2.mlp.experts.down_proj_blocks"];
  e["dtype"] = "BF16";
  e["shape"] = {8, 32, 2, 8};
  write(dir / "model.safetensors", safetensors_image(header_, data_));
  const std::string msg = load_error(dir, "model.layers.2.mlp.experts.down_proj_blocks");
  EXPECT_MENTIONS(msg, "expected U8");
}

TEST_F(HfCorruption, MissingTensorNamesIt) {
  const fs::path dir = folder("missing");
  header_.erase("model.layers.3.self_attn.sinks");
  write(dir / "model.safetensors", safetensors_image(header_, data_));
  EXPECT_MENTIONS(load_error(dir, "model.layers.3.self_attn.sinks"), "missing");
}

TEST_F(HfCorruption, UnsupportedDtypeNamesTheTensor) {
  const fs::path dir = folder("i64");
  header_["model.norm.weight"]["dtype"] = "I64";
  write(dir / "model.safetensors", safetensors_image(header_, data_));
  EXPECT_MENTIONS(load_error(dir, "model.norm.weight"), "I64");
}

TEST_F(HfCorruption, MissingConfigOrTokenizerIsNamed) {
  const fs::path dir = folder("noconfig");
  fs::create_symlink(fs::path(src_) / "model.safetensors", dir / "model.safetensors");
  fs::remove(dir / "tokenizer.json");
  EXPECT_MENTIONS(load_error(dir, "tokenizer.json"), "missing");
  fs::remove(dir / "config.json");
  load_error(dir, "config.json");
}

TEST_F(HfCorruption, EveryTruncationIsAnError) {
  const size_t n = original_.size();
  std::vector<size_t> cuts;
  for (size_t i = 0; i < 64; ++i) cuts.push_back(i);
  for (size_t i = 0; i < 300; ++i) cuts.push_back(64 + i * (n - 64) / 300);
  for (size_t d = 1; d < 32; ++d) cuts.push_back(n - d);
  for (size_t cut : cuts) {
    auto r = parse_safetensors(as_span(original_).first(cut), "tiny.safetensors");
    ASSERT_FALSE(r.ok()) << "truncated at " << cut << " parsed";
    ASSERT_EQ(r.error().message.rfind("tiny.safetensors: ", 0), 0u) << r.error().message;
  }
}

}  // namespace
}  // namespace tally::loader
