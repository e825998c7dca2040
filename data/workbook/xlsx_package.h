#pragma once
// The parts of an .xlsx that index the workbook: [Content_Types].xml, the package and workbook relationships,
// workbook.xml (sheet list, date system), styles.xml (which cell styles are dates, percents, currencies) and the
// shared strings (one arena, every string a view into it).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "number_format.h"
#include "zip_archive.h"

namespace tally::data {

struct XlsxSheetEntry {
  SheetInfo info;
  std::string part;  // "xl/worksheets/sheet1.xml"
};

struct XlsxPackage {
  std::string workbook_part;  // "xl/workbook.xml"
  bool date1904 = false;
  bool macro_enabled = false;
  std::vector<XlsxSheetEntry> sheets;
  std::string styles_part, shared_strings_part;  // "" when the workbook has none
};

// Reads and checks the index parts; a package that is not a spreadsheet (a Word file, a bare zip) is an error
// saying what it is.
Result<XlsxPackage> read_xlsx_package(ZipArchive& zip);

// cellXfs index -> what its number format says.
Result<std::vector<NumberFormat>> read_xlsx_styles(ZipArchive& zip, const std::string& part);

class SharedStrings {
 public:
  std::size_t size() const { return ends_.size(); }
  std::string_view at(std::size_t i) const {
    const std::uint64_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(arena_).substr(begin, ends_[i] - begin);
  }
  void append_text(std::string_view s) { arena_.append(s); }
  void end_string() { ends_.push_back(arena_.size()); }

 private:
  std::string arena_;
  std::vector<std::uint64_t> ends_;
};

Result<SharedStrings> read_shared_strings(ZipArchive& zip, const std::string& part, const WorkbookLimits& limits);

// "worksheets/sheet1.xml" relative to "xl/workbook.xml" -> "xl/worksheets/sheet1.xml"; "/xl/x.xml" -> "xl/x.xml".
std::string resolve_part(const std::string& from_part, std::string_view target);

}  // namespace tally::data
