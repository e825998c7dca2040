// tally-cli import FILE.xlsx [--sheet] [--range] [--header-row] and tally-cli sheets FILE.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "workbook_import_fixture.h"

namespace tally::data::testing {
namespace {

struct CliRun {
  int code = -1;
  std::string out;
};

CliRun run_cli(const std::string& args) {
  CliRun r;
  const std::string cmd = "'" + tally::testing::cli_path() + "' " + args + " 2>&1";
  std::FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) r.out.append(buf, n);
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

#define TALLY_REQUIRE_CLI()                                                             \
  do {                                                                                  \
    if (!std::filesystem::exists(tally::testing::cli_path()))                           \
      GTEST_SKIP() << "tally-cli is not built in this tree";                            \
  } while (0)

TEST(CliWorkbook, SheetsListsNamesSizesAndHidden) {
  TALLY_REQUIRE_CLI();
  TALLY_REQUIRE_OPENPYXL();
  const CliRun r = run_cli("sheets '" + generated("report.xlsx") + "'");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out, "1\t매출 보고서\t7 x 5\n2\t요약\t3 x 2\n3\t숨김\t2 x 1\thidden\n4\t빈 시트\t0 x 0\n");
  const CliRun bad = run_cli("sheets '" + tally::testing::test_data_dir() + "/workbook/make_workbooks.py'");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("not an Excel workbook"), std::string::npos) << bad.out;
}

TEST(CliWorkbook, ImportWithSheetRangeAndHeaderRow) {
  TALLY_REQUIRE_CLI();
  TALLY_REQUIRE_OPENPYXL();
  const std::string db = tally::testing::scratch_dir("cli_workbook") + "/tally.db";
  const std::string file = "'" + generated("report.xlsx") + "'";
  CliRun r = run_cli("import " + file + " --db '" + db + "' --quiet");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("'report - 매출 보고서'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 rows"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(2025 매출 금액)"), std::string::npos) << r.out;
  r = run_cli("import " + file + " --db '" + db + "' --quiet --sheet 2");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("'report - 요약'"), std::string::npos) << r.out;
  r = run_cli("import " + file + " --db '" + db + "' --quiet --sheet 숨김 --name secret");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("'secret'"), std::string::npos) << r.out;
  r = run_cli("import " + file + " --db '" + db + "' --quiet --range C4:D7 --header-row 4 --name amounts");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("'amounts'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("integer"), std::string::npos) << r.out;
  r = run_cli("import " + file + " --db '" + db + "' --range A3-H2");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("--range takes cells like A3:H200"), std::string::npos) << r.out;
  r = run_cli("import " + file + " --db '" + db + "' --delimiter ';'");
  EXPECT_EQ(r.code, 1);
  r = run_cli("import '" + generated("types.xlsx") + "' --db '" + db + "' --quiet");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("K2, 오류: '#N/A'"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace tally::data::testing
