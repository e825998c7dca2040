// tally-cli export end to end: a dataset by name to .xlsx, a query to CP949 CSV, and the refusals.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "fixtures.h"

namespace {

int run(const std::string& args) {
  const std::string cmd = "'" + tally::testing::cli_path() + "' " + args + " > /dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(CliExport, DatasetToXlsxAndQueryToCp949) {
  if (!std::filesystem::exists(tally::testing::cli_path())) GTEST_SKIP() << "tally-cli is not built";
  const std::string dir = tally::testing::scratch_dir("cli_export");
  std::ofstream(dir + "/s.csv") << "region,units\n서울,10\n부산,20\n";
  const std::string db = "--db '" + dir + "/t.db'";
  ASSERT_EQ(run("import '" + dir + "/s.csv' --quiet " + db), 0);
  EXPECT_EQ(run("export " + db + " --dataset s --out '" + dir + "/o.xlsx' --quiet"), 0);
  EXPECT_GT(std::filesystem::file_size(dir + "/o.xlsx"), 1000u);
  EXPECT_EQ(run("export " + db + " --sql \"SELECT region, units * 2 AS u FROM s\" --out '" + dir +
                "/q.csv' --encoding cp949 --quiet"),
            0);
  EXPECT_EQ(tally::testing::read_file(dir + "/q.csv"), "region,u\r\n\xBC\xAD\xBF\xEF,20\r\n\xBA\xCE\xBB\xEA,40\r\n");
  EXPECT_EQ(run("export " + db + " --sql \"DELETE FROM datasets\" --out '" + dir + "/z.csv' --quiet"), 1);
  EXPECT_EQ(run("export " + db + " --dataset nope --out '" + dir + "/z.csv' --quiet"), 1);
  EXPECT_EQ(run("export " + db + " --dataset s --out '" + dir + "/z.ods' --quiet"), 1);
  EXPECT_FALSE(std::filesystem::exists(dir + "/z.csv"));
}

}  // namespace
