// Fuzzes the .xlsx reader: an input starting with a zip signature is the whole workbook file; anything else is
// one worksheet's XML (and, after a NUL, the shared strings and then the styles), packed into a minimal workbook
// so the fuzzer reaches the sheet parser instead of stalling on zip checksums. Every sheet is read through the
// reader and previewed through the importer's layout and type inference, under tight limits.
#include <unistd.h>
#include <cstdio>
#include <zip.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "tally/data/workbook.h"
#include "tally/data/workbook_import.h"

using namespace tally::data;

namespace {

const char* kTypes =
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>)";
const char* kRootRels =
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" )"
    R"(Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";
const char* kBook =
    R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
    R"(<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>)";
const char* kBookRels =
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)"
    R"(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>)";

bool add(zip_t* z, const char* name, std::string_view data) {
  zip_source_t* src = zip_source_buffer(z, data.data(), data.size(), 0);
  if (!src) return false;
  if (zip_file_add(z, name, src, ZIP_FL_OVERWRITE) < 0) {
    zip_source_free(src);
    return false;
  }
  return true;
}

bool pack(const std::string& path, std::string_view input) {
  std::string_view sheet = input, strings, styles;
  if (auto nul = sheet.find('\0'); nul != std::string_view::npos) {
    strings = sheet.substr(nul + 1);
    sheet = sheet.substr(0, nul);
    if (auto nul2 = strings.find('\0'); nul2 != std::string_view::npos) {
      styles = strings.substr(nul2 + 1);
      strings = strings.substr(0, nul2);
    }
  }
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!z) return false;
  bool ok = add(z, "[Content_Types].xml", kTypes) && add(z, "_rels/.rels", kRootRels) && add(z, "xl/workbook.xml", kBook) &&
            add(z, "xl/_rels/workbook.xml.rels", kBookRels) && add(z, "xl/worksheets/sheet1.xml", sheet) &&
            (strings.empty() || add(z, "xl/sharedStrings.xml", strings)) && (styles.empty() || add(z, "xl/styles.xml", styles));
  if (!ok || zip_close(z) != 0) {
    zip_discard(z);
    return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = [] {
    const char* tmp = std::getenv("TMPDIR");
    return std::string(tmp ? tmp : "/tmp") + "/fuzz_data_xlsx_" + std::to_string(::getpid()) + ".xlsx";
  }();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.rfind("PK", 0) == 0) {
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(input.data(), static_cast<std::streamsize>(size));
  } else if (!pack(path, input)) {
    return 0;
  }
  WorkbookLimits limits;
  limits.max_uncompressed_bytes = std::uint64_t{64} << 20;
  limits.max_part_bytes = std::uint64_t{32} << 20;
  limits.max_cells = 200000;
  auto reader = open_workbook(path, limits);
  if (reader) {
    for (std::size_t i = 0; i < (*reader)->sheets().size(); ++i) {
      std::size_t cells = 0;
      (void)(*reader)->read_sheet(i, [&](std::int64_t, std::span<const SheetCell> row) -> Status {
        for (const auto& c : row) cells += c.text.size() + (c.kind == SheetCellKind::Empty ? 0 : 1);
        return {};
      });
      (void)(*reader)->merged(i);
      (void)cells;
    }
    WorkbookImportOptions options;
    options.limits = limits;
    (void)WorkbookImporter::preview(path, options, 20);
  }
  std::remove(path.c_str());
  return 0;
}
