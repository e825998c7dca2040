// The tiny preset's model.safetensors must be the fixture's file byte for byte (its sha256 is published in the
// fixture README, so this test needs no shared files).
#include <gtest/gtest.h>

#include <filesystem>

#include "fixtures.h"
#include "sha256.h"
#include "synth/hf_tensor_plan.h"
#include "synth/safetensors_writer.h"
#include "synth/splitmix_recipe.h"

namespace tally::synth {
namespace {

TEST(SplitmixRecipe, Splitmix64MatchesTheStandardMixer) {
  // splitmix64 seeded with 0 yields 0xE220A8397B1DCDAF as its first output (the reference C code's sequence).
  EXPECT_EQ(splitmix64(0), 0xE220A8397B1DCDAFull);
}

TEST(SplitmixRecipe, Bf16UniformIsCentredAndBounded) {
  const UniformBf16 norm{-3, 1.f, 4};
  EXPECT_FLOAT_EQ(norm.value(0), 1.f - 0.125f);
  EXPECT_FLOAT_EQ(norm.value(~0ull), 1.f + 0.125f * 7.f / 8.f);
}

TEST(SplitmixRecipe, ScaleCentreMatchesTheFixture) {
  EXPECT_EQ(mxfp4_scale_centre(32), 123);
  EXPECT_EQ(mxfp4_scale_centre(64), 122);
}

TEST(TinySafetensors, HeaderHasTheFixtureLength) {
  const auto plan = hf_tensor_plan(*find_preset("tiny"));
  EXPECT_EQ(plan.size(), 4u * 19u + 3u);
  EXPECT_EQ(safetensors_header(plan).size(), 8568u);
  EXPECT_EQ(testing::sha256_hex(safetensors_header(plan)),
            "1f542649a0d71f9055ab8571eb67ddb5060a0d6fe35499c0af017f79825e59c6");
}

TEST(TinySafetensors, ReproducesTheFixtureSha256) {
  const std::string dir = testing::scratch_dir("synth_tiny_safetensors");
  const std::string path = dir + "/model.safetensors";
  const auto plan = hf_tensor_plan(*find_preset("tiny"));
  ASSERT_TRUE(write_safetensors(path, plan, kDefaultSeed).ok());
  EXPECT_EQ(std::filesystem::file_size(path), 26199360u);
  EXPECT_EQ(testing::sha256_file(path), "83d00ef0ea19820d729f9dbec194c2eb6f25732ac37f6f8ac4787c66e2cf20da");
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST(TinySafetensors, OtherSeedsGiveOtherWeights) {
  const std::string dir = testing::scratch_dir("synth_tiny_seed");
  const auto plan = hf_tensor_plan(*find_preset("tiny"));
  ASSERT_TRUE(write_safetensors(dir + "/a.safetensors", plan, 7).ok());
  ASSERT_TRUE(write_safetensors(dir + "/b.safetensors", plan, 7).ok());
  ASSERT_TRUE(write_safetensors(dir + "/c.safetensors", plan, 8).ok());
  const std::string a = testing::sha256_file(dir + "/a.safetensors");
  EXPECT_EQ(a, testing::sha256_file(dir + "/b.safetensors"));
  EXPECT_NE(a, testing::sha256_file(dir + "/c.safetensors"));
}

}  // namespace
}  // namespace tally::synth
