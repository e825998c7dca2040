// The tiny HF checkpoint synth writes must be complete without ../shared, and its text files must match the
// fixture's (which came from Hugging Face's own conversion of o200k_harmony).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "fixtures.h"
#include "sha256.h"
#include "synth/byte_level_vocab.h"
#include "synth/hf_checkpoint.h"

namespace tally::synth {
namespace {

// One checkpoint for the whole suite: writing tokenizer.json takes a second or two.
class TinyHfCheckpoint : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::scratch_dir("synth_tiny_hf"));
    HfCheckpointOptions opt;
    opt.seed = kDefaultSeed;
    ok_ = write_hf_checkpoint(*find_preset("tiny"), *dir_, opt).ok();
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string file(const std::string& name) { return testing::read_file(*dir_ + "/" + name); }
  static std::string fixture(const std::string& name) {
    return testing::read_file(testing::tiny_fixture_dir() + "/hf/" + name);
  }
  static std::string* dir_;
  static bool ok_;
};
std::string* TinyHfCheckpoint::dir_ = nullptr;
bool TinyHfCheckpoint::ok_ = false;

TEST_F(TinyHfCheckpoint, WritesEveryFileOfTheFolder) {
  ASSERT_TRUE(ok_);
  for (const char* name : {"model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json",
                           "chat_template.jinja", "generation_config.json"}) {
    EXPECT_TRUE(std::filesystem::exists(*dir_ + "/" + name)) << name;
  }
  EXPECT_EQ(testing::sha256_file(*dir_ + "/model.safetensors"),
            "83d00ef0ea19820d729f9dbec194c2eb6f25732ac37f6f8ac4787c66e2cf20da");
}

TEST_F(TinyHfCheckpoint, ConfigDescribesTheTinyShapes) {
  ASSERT_TRUE(ok_);
  const auto c = nlohmann::json::parse(file("config.json"));
  EXPECT_EQ(c["hidden_size"], 32);
  EXPECT_EQ(c["num_hidden_layers"], 4);
  EXPECT_EQ(c["num_attention_heads"], 8);
  EXPECT_EQ(c["num_key_value_heads"], 2);
  EXPECT_EQ(c["num_local_experts"], 8);
  EXPECT_EQ(c["intermediate_size"], 64);
  EXPECT_EQ(c["sliding_window"], 16);
  EXPECT_EQ(c["vocab_size"], 201088);
  EXPECT_EQ(c["layer_types"][0], "sliding_attention");
  EXPECT_EQ(c["layer_types"][1], "full_attention");
}

TEST_F(TinyHfCheckpoint, MergesFollowTheConverterRule) {
  ASSERT_TRUE(ok_);
  const auto t = nlohmann::json::parse(file("tokenizer.json"));
  const auto& merges = t["model"]["merges"];
  ASSERT_EQ(merges.size(), 446189u);
  EXPECT_EQ(merges[0][0], "\xC4\xA0");  // "Ġ Ġ": two spaces
  EXPECT_EQ(merges[0][1], "\xC4\xA0");
  EXPECT_EQ(merges[446188][0], "\xC4\xA0" "coco");
  EXPECT_EQ(merges[446188][1], "s");
  EXPECT_EQ(t["model"]["vocab"].size(), 199998u);
  EXPECT_EQ(t["added_tokens"].size(), 21u);
  EXPECT_EQ(t["added_tokens"][4]["content"], "<|return|>");
  EXPECT_EQ(t["added_tokens"][4]["id"], kEosId);
}

TEST_F(TinyHfCheckpoint, TextFilesMatchTheFixtureByteForByte) {
  TALLY_REQUIRE_SHARED();
  ASSERT_TRUE(ok_);
  ASSERT_FALSE(testing::tiny_fixture_dir().empty());
  for (const char* name :
       {"config.json", "generation_config.json", "tokenizer_config.json", "chat_template.jinja", "tokenizer.json"}) {
    const std::string mine = file(name), theirs = fixture(name);
    EXPECT_EQ(mine.size(), theirs.size()) << name;
    EXPECT_TRUE(mine == theirs) << name << " differs from the fixture";
  }
}

TEST(ByteLevelVocab, MapsBytesLikeGpt2) {
  EXPECT_EQ(byte_level_text(" "), "\xC4\xA0");     // U+0120
  EXPECT_EQ(byte_level_text("\n"), "\xC4\x8A");    // U+010A
  EXPECT_EQ(byte_level_text("a!"), "a!");
  EXPECT_EQ(byte_level_text("\xAD"), "\xC5\x83");  // soft hyphen is remapped (U+0143)
  EXPECT_EQ(byte_level_text("\xE9"), "\xC3\xA9");  // Latin-1 é stands for itself
}

TEST(ByteLevelVocab, RejectsAnIncompleteRanksFile) {
  const std::string dir = testing::scratch_dir("synth_bad_ranks");
  {
    std::FILE* f = std::fopen((dir + "/bad.tiktoken").c_str(), "wb");
    std::fputs("IQ== 0\nIg== 2\n", f);
    std::fclose(f);
  }
  const auto r = read_tiktoken_ranks(dir + "/bad.tiktoken");
  ASSERT_FALSE(r.ok());
  // Read through the tokenizer, which names the file and what is wrong (here: single bytes without a rank).
  EXPECT_NE(r.error().message.find("bad.tiktoken"), std::string::npos) << r.error().message;
  EXPECT_FALSE(read_tiktoken_ranks(dir + "/missing.tiktoken").ok());
}

}  // namespace
}  // namespace tally::synth
