// `tally-cli import` / `datasets` end to end. test_data_csv does not build tally-cli (it links the engine too):
// these tests skip when it has not been built in this tree.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "fixtures.h"

namespace {

struct Run {
  int code = -1;
  std::string out;
};

Run run(const std::string& args) {
  Run r;
  std::string cmd = "'";
  cmd += tally::testing::cli_path();
  cmd += "' ";
  cmd += args;
  cmd += " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

#define REQUIRE_CLI()                                                                 \
  do {                                                                                \
    if (!std::filesystem::exists(tally::testing::cli_path()))                         \
      GTEST_SKIP() << "tally-cli not built in this tree (build target tally-cli)";   \
  } while (0)

std::string corpus(const std::string& name) { return tally::testing::test_data_dir() + "/data_csv/" + name; }

TEST(CliImport, ImportsListsAndDetectsReimport) {
  REQUIRE_CLI();
  const std::string db = tally::testing::scratch_dir("cli_import") + "/tally.db";
  auto first = run("import '" + corpus("types.csv") + "' --db '" + db + "' --quiet");
  ASSERT_EQ(first.code, 0) << first.out;
  EXPECT_NE(first.out.find("4 rows"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("krw  currency [KRW]"), std::string::npos) << first.out;
  auto again = run("import '" + corpus("types.csv") + "' --db '" + db + "' --quiet");
  EXPECT_EQ(again.code, 0);
  EXPECT_NE(again.out.find("already imported as dataset 1"), std::string::npos) << again.out;
  auto forced = run("import '" + corpus("types.csv") + "' --db '" + db + "' --quiet --force --name Types2");
  EXPECT_EQ(forced.code, 0) << forced.out;
  auto list = run("datasets --db '" + db + "'");
  EXPECT_EQ(list.code, 0);
  EXPECT_NE(list.out.find("types"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("Types2"), std::string::npos) << list.out;
}

TEST(CliImport, EncodingDelimiterOverridesAndErrors) {
  REQUIRE_CLI();
  const std::string db = tally::testing::scratch_dir("cli_import_opts") + "/tally.db";
  auto ok = run("import '" + corpus("cp949_korean.csv") + "' --db '" + db + "' --encoding cp949 --delimiter , --quiet");
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("encoding CP949"), std::string::npos) << ok.out;
  auto bad = run("import '" + corpus("unterminated_quote.csv") + "' --db '" + db + "' --quiet");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("unterminated"), std::string::npos) << bad.out;
  auto typo = run("import '" + corpus("basic.csv") + "' --db '" + db + "' --delimeter ';'");
  EXPECT_EQ(typo.code, 1);
  auto ragged = run("import '" + corpus("ragged.csv") + "' --db '" + db + "' --quiet");
  EXPECT_NE(ragged.out.find("line 3: 2 fields, expected 3"), std::string::npos) << ragged.out;
}

}  // namespace
