// tally-cli end to end on the tiny model: the commands a user runs first.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <nlohmann/json.hpp>

#include "fixtures.h"

namespace {

struct CliRun {
  int status = -1;
  std::string output;
};

CliRun cli(const std::string& args) {
  const std::string cmd = "'" + tally::testing::cli_path() + "' " + args + " 2>&1";
  CliRun r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
  r.status = pclose(pipe);
  return r;
}

std::string tiny_gguf() { return tally::testing::tiny_synth_gguf(); }

TEST(Cli, InfoDescribesTheModel) {
  const std::string model = tiny_gguf();
  ASSERT_FALSE(model.empty());
  const CliRun r = cli("info '" + model + "' --json");
  ASSERT_EQ(r.status, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output.substr(r.output.find('{')));
  EXPECT_NE(r.output.find("201088"), std::string::npos);
  EXPECT_FALSE(j.empty());
}

TEST(Cli, LogitsWritesOneRowPerPosition) {
  const std::string model = tiny_gguf();
  ASSERT_FALSE(model.empty());
  const std::string out = tally::testing::scratch_dir("cli-logits") + "/l.f32";
  const CliRun r = cli("logits --model '" + model + "' --ids '200006 17360 200008 3575' --out '" + out + "'");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(std::filesystem::file_size(out), 4u * 201088u * 4u);
}

TEST(Cli, GenerateStreamsAnAnswerAndStats) {
  const std::string model = tiny_gguf();
  ASSERT_FALSE(model.empty());
  const CliRun r = cli("generate --model '" + model + "' --prompt '매출 추이를 요약해 주세요' -n 8 --seed 1 --temp 0.7");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("tok/s"), std::string::npos) << r.output;
}

TEST(Cli, BenchReportsPrefillAndDecodeAsJson) {
  const std::string model = tiny_gguf();
  ASSERT_FALSE(model.empty());
  const CliRun r = cli("bench --model '" + model + "' -p 16 -n 4 --reps 1 --json");
  ASSERT_EQ(r.status, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output.substr(r.output.find('{')));
  EXPECT_GT(j["pp"]["tps_mean"].get<double>(), 0);
  EXPECT_GT(j["tg"]["tps_mean"].get<double>(), 0);
}

TEST(Cli, BadModelPathIsAClearError) {
  const CliRun r = cli("logits --model /nonexistent/model.gguf --ids '1 2' --out /tmp/x.f32");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("/nonexistent/model.gguf"), std::string::npos) << r.output;
}

TEST(Cli, RenderPrintsTheHarmonyText) {
  const std::string conv = tally::testing::test_data_dir() + "/harmony/test_simple_convo.json";
  const CliRun r = cli("render '" + conv + "'");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output.rfind("<|start|>system<|message|>", 0), 0u) << r.output;
}

}  // namespace
