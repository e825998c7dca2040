// Errors at synth's boundaries are values that name the path, and a failed run leaves no file behind.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "fixtures.h"
#include "synth/gptoss_gguf.h"
#include "synth/hf_checkpoint.h"
#include "synth/safetensors_writer.h"

namespace tally::synth {
namespace {

TEST(SynthErrors, UnwritableOutputNamesThePath) {
  const std::string bad = testing::scratch_dir("synth_errors") + "/no/such/folder/model.safetensors";
  const auto r = write_safetensors(bad, hf_tensor_plan(*find_preset("tiny")), 1);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no/such/folder"), std::string::npos) << r.error().message;
}

TEST(SynthErrors, MissingResourcesNameTheFile) {
  const std::string dir = testing::scratch_dir("synth_errors_res");
  GgufOptions opt;
  opt.resources_dir = dir + "/empty";
  const auto r = write_gptoss_gguf(*find_preset("tiny"), dir + "/x.gguf", opt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("o200k_base.tiktoken"), std::string::npos) << r.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir + "/x.gguf"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/x.gguf.partial"));
}

TEST(SynthPresets, KnowsTheThreeModels) {
  EXPECT_TRUE(find_preset("tiny"));
  EXPECT_FALSE(find_preset("7b"));
  const Preset big = *find_preset("120b");
  EXPECT_EQ(big.n_layers, 36);
  EXPECT_EQ(big.n_experts, 128);
  const Preset p = *find_preset("20b");
  EXPECT_EQ(p.n_layers, 24);
  EXPECT_EQ(p.hidden, 2880);
  EXPECT_EQ(p.q_width(), 4096);
  EXPECT_EQ(p.kv_width(), 512);
  EXPECT_EQ(p.n_experts, 32);
  EXPECT_EQ(p.expert_ffn, 2880);
  EXPECT_EQ(p.sliding_window, 128);
  EXPECT_EQ(mxfp4_scale_centre(p.hidden), 120);
  // Wider matrices get smaller entries so q = Wq h keeps unit scale: 2^-5 * sqrt(2880) / sqrt(3) is about 1.
  EXPECT_EQ(p.amp.attn_in, -5);
  EXPECT_EQ(p.amp.attn_out, -6);
}

TEST(SynthCli, WritesTheTinyCheckpoint) {
  const std::string cli = testing::cli_path();
  if (!std::filesystem::exists(cli)) GTEST_SKIP() << "tally-cli is not built in this tree";
  const std::string dir = testing::scratch_dir("synth_cli");
  const std::string cmd = "'" + cli + "' synth --preset tiny --format gguf --out '" + dir + "/t.gguf' --quiet";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  EXPECT_TRUE(std::filesystem::exists(dir + "/t.gguf"));
  EXPECT_NE(std::system(("'" + cli + "' synth --preset 7b --out '" + dir + "/x.gguf' 2>/dev/null").c_str()), 0);
  EXPECT_NE(std::system(("'" + cli + "' synth --preset tiny --bogus 2>/dev/null --out '" + dir + "/y'").c_str()), 0);
}

}  // namespace
}  // namespace tally::synth
