// Zero network (issue 9 item 7): the first start — import the sample, load the tiny model, chat through the copilot
// loop — runs inside a network namespace with no interfaces (`unshare -n`) and prints exactly what it prints with a
// network. Skipped, saying why, where unprivileged namespaces are not allowed.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "copilot_fixture.h"

namespace tally {
namespace {

struct CliRun {
  int status = -1;
  std::string out;
};

CliRun capture(const std::string& command) {
  CliRun r;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;) r.out.append(buf.data(), n);
  r.status = ::pclose(pipe);
  return r;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// Import the sample, then one copilot turn; stdout of both, in order.
CliRun first_start(const std::string& prefix, const std::string& dir, const std::string& model_args) {
  const std::string cli = quoted(testing::cli_path());
  const std::string db = quoted(dir + "/tally.db");
  const std::string sample = quoted(testing::resources_dir() + "/samples/sales_monthly.csv");
  return capture(prefix + " sh -c \"" + cli + " import " + sample + " --db " + db + " >/dev/null && " + cli +
                 " chat --db " + db + " " + model_args +
                 " --prompt 'Which region sold most?' --date 2026-11-26 --no-stats\" 2>/dev/null");
}

bool cli_present() { return std::filesystem::exists(testing::cli_path()); }

bool can_unshare_network() { return std::system("unshare -n true >/dev/null 2>&1") == 0; }

TEST(ZeroNetwork, TinyModelChatBehavesTheSameWithoutANetwork) {
  if (!cli_present()) GTEST_SKIP() << "tally-cli is not built";
  if (!can_unshare_network()) GTEST_SKIP() << "unshare -n is not permitted here (no user namespaces)";
  const std::string model = testing::tiny_synth_gguf();
  ASSERT_FALSE(model.empty()) << "tally-cli synth could not make the tiny model";
  const std::string args = "--model " + quoted(model) + " --backend cpu --threads 1 --ctx 4096 -n 24 --seed 7";
  const CliRun online = first_start("", testing::scratch_dir("net_on"), args);
  const CliRun offline = first_start("unshare -n", testing::scratch_dir("net_off"), args);
  ASSERT_EQ(online.status, 0) << online.out;
  ASSERT_EQ(offline.status, 0) << offline.out;
  EXPECT_FALSE(offline.out.empty());
  EXPECT_EQ(offline.out, online.out);
}

TEST(ZeroNetwork, ScriptedToolTurnBehavesTheSameWithoutANetwork) {
  if (!cli_present()) GTEST_SKIP() << "tally-cli is not built";
  if (!can_unshare_network()) GTEST_SKIP() << "unshare -n is not permitted here (no user namespaces)";
  const std::string script = testing::write_text(
      testing::scratch_dir("net_script") + "/stream.txt",
      "<|channel|>commentary to=functions.sql_query <|constrain|>json<|message|>"
      "{\"sql\":\"SELECT COUNT(*) AS n FROM sales_monthly\"}<|call|>\n---\n"
      "<|channel|>final<|message|>Counted.<|return|>\n");
  const CliRun online = first_start("", testing::scratch_dir("net_script_on"), "--script " + quoted(script));
  const CliRun offline = first_start("unshare -n", testing::scratch_dir("net_script_off"), "--script " + quoted(script));
  ASSERT_EQ(online.status, 0) << online.out;
  EXPECT_EQ(online.out, "Counted.\n");
  EXPECT_EQ(offline.out, online.out);
}

}  // namespace
}  // namespace tally
