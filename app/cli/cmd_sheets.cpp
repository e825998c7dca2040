// tally-cli sheets FILE: a workbook's sheets, one a line: index, name, size (rows x columns as the workbook
// declares them), and hidden / very hidden / chart marks.
#include <iostream>

#include "cli/command.h"
#include "tally/data/workbook.h"

namespace tally::cli {
namespace {

int run_sheets(const Args& args) {
  ArgParser p(args);
  if (auto unknown = p.unknown(); !unknown.empty()) return fail("unknown option " + unknown.front());
  const auto files = p.positionals();
  if (files.size() != 1) return fail("usage: tally-cli sheets FILE");
  auto reader = data::open_workbook(files[0]);
  if (!reader) return fail(reader.error().message);
  const auto& sheets = (*reader)->sheets();
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    const auto& s = sheets[i];
    std::cout << (i + 1) << "\t" << s.name << "\t";
    if (s.chart) {
      std::cout << "chart";
    } else if (s.rows < 0) {
      std::cout << "size unknown";
    } else {
      std::cout << s.rows << " x " << s.cols;
    }
    if (s.very_hidden) {
      std::cout << "\tvery hidden";
    } else if (s.hidden) {
      std::cout << "\thidden";
    }
    std::cout << "\n";
  }
  return 0;
}

const Registration reg_sheets{{"sheets", "sheets FILE (an .xlsx/.xlsm/.xls workbook's sheets and sizes)", &run_sheets}};

}  // namespace
}  // namespace tally::cli
