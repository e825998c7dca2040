#pragma once
// Test inputs for workbook import: the openpyxl-written workbooks (generated once per build tree by
// tests/data/workbook/make_workbooks.py), the committed LibreOffice-written ones, and hand-built archives (a zip
// writer over zlib, for hostile parts no spreadsheet program would write).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tally/data/store.h"

namespace tally::testing {

// The folder of generated workbooks, "" when python3-openpyxl is missing (tests then skip).
std::string generated_workbooks();
// A python3 that has openpyxl ("" if none).
std::string python_with_openpyxl();

#define TALLY_REQUIRE_OPENPYXL()                                                             \
  do {                                                                                       \
    if (::tally::testing::generated_workbooks().empty())                                     \
      GTEST_SKIP() << "python3-openpyxl is missing: generated-workbook test skipped";        \
  } while (0)

struct ZipEntry {
  std::string name;
  std::string data;
  bool deflate = true;
  // When set, the entry's headers claim this uncompressed size instead of the true one (a lying zip bomb).
  std::int64_t claimed_size = -1;
};
// Writes a zip archive of `entries` to `path`.
void write_zip(const std::string& path, const std::vector<ZipEntry>& entries);
// A zip entry of `bytes` zeros, deflated in pieces (never `bytes` in memory): the zip bomb's payload.
ZipEntry zero_run_entry(const std::string& name, std::uint64_t bytes, std::int64_t claimed_size = -1);

// The parts of a minimal one-sheet .xlsx around `sheet_xml` (xl/worksheets/sheet1.xml); `shared_strings` and
// `styles` add those parts when not empty.
std::vector<ZipEntry> minimal_xlsx(const std::string& sheet_xml, const std::string& shared_strings = "",
                                   const std::string& styles = "", const std::string& workbook_pr = "");

// Tables and total rows in a store, to show a failed import changed nothing.
std::pair<std::int64_t, std::int64_t> store_counts(tally::data::Store& store);

}  // namespace tally::testing
