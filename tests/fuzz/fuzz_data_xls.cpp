// Fuzzes the legacy .xls reader: the input is the whole file (an OLE compound file holding a BIFF workbook). It
// goes through the guard (data/workbook/xls_guard.h), then libfreexl and Tally's own BIFF record scan (booleans,
// errors, formula results, sheet visibility); every sheet is read under tight limits. Seeds: the LibreOffice-written
// files of tests/data/workbook/xls/, and the inputs that once reached a memory error or a leak inside freexl.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tally/data/xls_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  char path[] = "/tmp/tally_fuzz_xls_XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return 0;
  const bool written = write(fd, data, size) == static_cast<ssize_t>(size);
  close(fd);
  if (written) {
    tally::data::WorkbookLimits limits;
    limits.max_cells = 200'000;
    limits.max_uncompressed_bytes = 8u << 20;
    auto reader = tally::data::open_xls(path, limits);
    if (reader) {
      for (std::size_t i = 0; i < (*reader)->sheets().size(); ++i)
        (void)(*reader)->read_sheet(i, [](std::int64_t, std::span<const tally::data::SheetCell>) {
          return tally::data::Status{};
        });
    }
  }
  std::remove(path);
  return 0;
}
