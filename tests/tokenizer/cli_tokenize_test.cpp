// `tally-cli tokenize` / `detokenize` end to end. test_tokenizer does not build tally-cli (that links the whole
// engine), so these skip until it has been built in the same tree.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "fixtures.h"

namespace {

struct CliResult {
  int status;
  std::string out;
};

CliResult run_cli(const std::string& args) {
  // Appends rather than "literal" + string: GCC 12 warns falsely (-Wrestrict, PR 105651) on the latter.
  std::string cmd = "'";
  cmd.append(tally::testing::cli_path()).append("' ").append(args).append(" 2>&1");
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  std::string out;
  char buf[4096];
  size_t n = 0;
  while (pipe && (n = fread(buf, 1, sizeof buf, pipe.get())) > 0) out.append(buf, n);
  const int status = pipe ? pclose(pipe.release()) : -1;
  return {status, out};
}

#define REQUIRE_CLI()                                                         \
  do {                                                                        \
    if (!std::filesystem::exists(tally::testing::cli_path()))                 \
      GTEST_SKIP() << "tally-cli not built in this tree (build target tally-cli)"; \
  } while (0)

std::string tiktoken_model_option() {
  std::string s = "--model '";
  return s.append(tally::testing::resources_dir()).append("/tokenizer/o200k_base.tiktoken'");
}
const std::string kTiktoken = tiktoken_model_option();

TEST(CliTokenize, PrintsIdsOnOneLine) {
  REQUIRE_CLI();
  const auto r = run_cli("tokenize " + kTiktoken + " --text 'Hello, world!'");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "13225 11 2375 0\n");
}

TEST(CliTokenize, SpecialLiteralsArePlainUnlessAsked) {
  REQUIRE_CLI();
  EXPECT_EQ(run_cli("tokenize " + kTiktoken + " --text '<|end|>'").out, "27 91 419 91 29\n");
  EXPECT_EQ(run_cli("tokenize " + kTiktoken + " --specials --text '<|end|>'").out, "200007\n");
}

TEST(CliTokenize, DetokenizePrintsTheText) {
  REQUIRE_CLI();
  const auto r = run_cli("detokenize " + kTiktoken + " --ids '13225 11 2375 0'");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "Hello, world!\n");
}

TEST(CliTokenize, BadInputIsAnErrorMessage) {
  REQUIRE_CLI();
  auto r = run_cli("detokenize " + kTiktoken + " --ids '1 x 3'");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("'x' is not a token id"), std::string::npos) << r.out;
  r = run_cli("detokenize " + kTiktoken + " --ids '999999'");
  EXPECT_NE(r.status, 0);
  r = run_cli("tokenize --model /nonexistent/model.bin --text hi");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("/nonexistent/model.bin"), std::string::npos) << r.out;
}

TEST(CliTokenize, HuggingFaceFolderAndGgufGiveTheSameIds) {
  REQUIRE_CLI();
  TALLY_REQUIRE_SHARED();
  const std::string dir = tally::testing::tiny_fixture_dir();
  ASSERT_FALSE(dir.empty());
  const std::string text = " --text '서울 지역 매출은 전년 대비 12.5% 증가했으며'";
  const auto expected = run_cli("tokenize " + kTiktoken + text);
  ASSERT_EQ(expected.status, 0);
  EXPECT_EQ(run_cli("tokenize --model '" + dir + "/hf'" + text).out, expected.out);
  EXPECT_EQ(run_cli("tokenize --model '" + dir + "/hf/tokenizer.json'" + text).out, expected.out);
  EXPECT_EQ(run_cli("tokenize --model '" + dir + "/tiny-gptoss-f16.gguf'" + text).out, expected.out);
}

}  // namespace
