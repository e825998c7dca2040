// Broken and hostile workbooks: each is a clear error naming the file (and the part), and the store is unchanged.
#include <chrono>
#include <filesystem>
#include <fstream>

#include "workbook_import_fixture.h"

namespace tally::data::testing {
namespace {

namespace fs = std::filesystem;
using tally::testing::minimal_xlsx;
using tally::testing::write_zip;

const std::string kSheetOk =
    R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:B2"/>)"
    R"(<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>)"
    R"(<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row></sheetData></worksheet>)";

class HostileWorkbookTest : public WorkbookImportTest {
 protected:
  std::string write(const std::string& name, const std::vector<tally::testing::ZipEntry>& entries) {
    const std::string path = dir_ + "/" + name;
    write_zip(path, entries);
    return path;
  }
  void SetUp() override {
    WorkbookImportTest::SetUp();
    // A dataset already there, so "unchanged" means more than "still empty".
    import_ok(write("good.xlsx", minimal_xlsx(kSheetOk)));
  }
};

TEST_F(HostileWorkbookTest, TheMinimalWorkbookImports) {
  WorkbookImportOptions o;
  o.force = true;
  const auto r = import_ok(dir_ + "/good.xlsx", o);
  EXPECT_EQ(column(r, 1), (Strings{"2"}));
}

TEST_F(HostileWorkbookTest, NotAZipEmptyAndTruncated) {
  const std::string text = dir_ + "/notes.xlsx";
  std::ofstream(text) << "just some text, not a workbook\n";
  EXPECT_NE(import_error(text).find("not an Excel workbook"), std::string::npos);
  const std::string empty = dir_ + "/empty.xlsx";
  std::ofstream{empty};
  EXPECT_NE(import_error(empty).find("empty"), std::string::npos);
  // A download cut short: the central directory at the end is gone.
  const auto bytes = tally::testing::read_file(dir_ + "/good.xlsx");
  for (std::size_t keep : {bytes.size() / 2, bytes.size() - 10, std::size_t{30}}) {
    const std::string cut = dir_ + "/cut.xlsx";
    std::ofstream(cut, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(keep));
    const std::string e = import_error(cut);
    EXPECT_FALSE(e.empty()) << keep;
  }
}

TEST_F(HostileWorkbookTest, WrongContentTypes) {
  auto entries = minimal_xlsx(kSheetOk);
  entries[0].data.replace(entries[0].data.find("spreadsheetml.sheet.main+xml"), 28,
                          "wordprocessingml.document.main+xml");
  const std::string e = import_error(write("word.xlsx", entries));
  EXPECT_NE(e.find("not an Excel workbook"), std::string::npos) << e;
  EXPECT_NE(e.find("Word document"), std::string::npos) << e;
  entries.erase(entries.begin());  // no [Content_Types].xml at all: a plain zip
  EXPECT_NE(import_error(write("plain.zip.xlsx", entries)).find("[Content_Types].xml is missing"), std::string::npos);
}

TEST_F(HostileWorkbookTest, MacroEnabledWorkbookReadsTheSameAndAChartSheetIsAnError) {
  auto xlsm = minimal_xlsx(kSheetOk);
  const std::string main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
  xlsm[0].data.replace(xlsm[0].data.find(main), main.size(), "application/vnd.ms-excel.sheet.macroEnabled.main+xml");
  xlsm.push_back({"xl/vbaProject.bin", std::string(64, '\x01')});
  const auto r = import_ok(write("macros.xlsm", xlsm));
  EXPECT_EQ(column(r, 0), (Strings{"1"}));
  auto chart = minimal_xlsx(kSheetOk);
  chart[3].data.replace(chart[3].data.find("relationships/worksheet"), 23, "relationships/chartsheet");
  const std::string e = import_error(write("chart.xlsx", chart));
  EXPECT_NE(e.find("chart sheet"), std::string::npos) << e;
}

TEST_F(HostileWorkbookTest, PasswordProtectedWorkbook) {
  // An encrypted OOXML file is an OLE compound file with an EncryptedPackage stream.
  std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  ole.resize(1024, '\0');
  for (char c : std::string("EncryptedPackage")) ole += std::string{c, '\0'};
  ole.resize(4096, '\0');
  const std::string path = dir_ + "/secret.xlsx";
  std::ofstream(path, std::ios::binary) << ole;
  EXPECT_NE(import_error(path).find("password-protected"), std::string::npos);
}

TEST_F(HostileWorkbookTest, AOneGigabyteZipBombIsRefusedNotUnpacked) {
  const auto started = std::chrono::steady_clock::now();
  auto entries = minimal_xlsx(kSheetOk);
  entries[4] = tally::testing::zero_run_entry("xl/worksheets/sheet1.xml", std::uint64_t{1} << 30);
  const std::string path = write("bomb.xlsx", entries);
  EXPECT_LT(fs::file_size(path), std::uintmax_t{4} << 20);
  const std::string e = import_error(path);
  EXPECT_NE(e.find("xl/worksheets/sheet1.xml"), std::string::npos) << e;
  EXPECT_NE(e.find("zip bomb"), std::string::npos) << e;
  // The same payload under a lying header (claims 2 KB): stopped by what actually inflates.
  entries[4] = tally::testing::zero_run_entry("xl/worksheets/sheet1.xml", std::uint64_t{1} << 30, 2048);
  const std::string liar = import_error(write("liar.xlsx", entries));
  EXPECT_NE(liar.find("xl/worksheets/sheet1.xml"), std::string::npos) << liar;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
}

TEST_F(HostileWorkbookTest, BillionLaughsIsRefused) {
  std::string xml = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">)";
  for (int i = 1; i <= 9; ++i) {
    xml += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) xml += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    xml += "\">";
  }
  xml += R"(]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)"
         R"(<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>)";
  const std::string e = import_error(write("laughs.xlsx", minimal_xlsx(xml)));
  EXPECT_NE(e.find("xl/worksheets/sheet1.xml"), std::string::npos) << e;
  EXPECT_NE(e.find("DOCTYPE"), std::string::npos) << e;
  // In the shared strings too.
  const std::string sst = R"(<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaa">]><sst><si><t>&a;</t></si></sst>)";
  const std::string e2 = import_error(write("laughs2.xlsx", minimal_xlsx(kSheetOk, sst)));
  EXPECT_NE(e2.find("xl/sharedStrings.xml"), std::string::npos) << e2;
}

TEST_F(HostileWorkbookTest, HugeDimensionClaimsAndCellsBeyondTheLimits) {
  const std::string absurd =
      R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:ZZZZZ99999999"/>)"
      R"(<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>)";
  const std::string e = import_error(write("dim.xlsx", minimal_xlsx(absurd)));
  EXPECT_NE(e.find("xl/worksheets/sheet1.xml"), std::string::npos) << e;
  EXPECT_NE(e.find("ZZZZZ99999999"), std::string::npos) << e;
  // The largest legal claim over two cells allocates nothing from the claim.
  const std::string big =
      R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>)"
      R"(<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="2"><c r="A2"><v>5</v></c></row></sheetData></worksheet>)";
  const auto ok = import_ok(write("bigdim.xlsx", minimal_xlsx(big)));
  EXPECT_EQ(column(ok, 0), (Strings{"5"}));
  const std::string far_row =
      R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)"
      R"(<row r="99999999"><c><v>1</v></c></row></sheetData></worksheet>)";
  EXPECT_NE(import_error(write("row.xlsx", minimal_xlsx(far_row))).find("row limit"), std::string::npos);
  const std::string far_col =
      R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)"
      R"(<row r="1"><c r="ZZZZ1"><v>1</v></c></row></sheetData></worksheet>)";
  EXPECT_NE(import_error(write("col.xlsx", minimal_xlsx(far_col))).find("ZZZZ1"), std::string::npos);
  WorkbookImportOptions tight;
  tight.limits.max_cells = 3;
  const std::string four =
      R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)"
      R"(<row r="1"><c><v>1</v></c><c><v>2</v></c></row><row r="2"><c><v>3</v></c><c><v>4</v></c></row></sheetData></worksheet>)";
  EXPECT_NE(import_error(write("cells.xlsx", minimal_xlsx(four)), tight).find("more than 3 cells"), std::string::npos);
}

TEST_F(HostileWorkbookTest, MalformedXmlAndBadReferences) {
  const std::string cut = kSheetOk.substr(0, kSheetOk.size() - 30);
  const std::string e = import_error(write("cutxml.xlsx", minimal_xlsx(cut)));
  EXPECT_NE(e.find("xl/worksheets/sheet1.xml"), std::string::npos) << e;
  EXPECT_NE(e.find("malformed XML"), std::string::npos) << e;
  const std::string bad_sst =
      R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)"
      R"(<row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData></worksheet>)";
  const std::string sst = R"(<sst><si><t>only</t></si></sst>)";
  EXPECT_NE(import_error(write("sst.xlsx", minimal_xlsx(bad_sst, sst))).find("shared string '7' of 1"),
            std::string::npos);
  auto no_sheet = minimal_xlsx(kSheetOk);
  no_sheet.pop_back();  // the worksheet part itself is missing
  EXPECT_NE(import_error(write("nosheet.xlsx", no_sheet)).find("is missing"), std::string::npos);
}

}  // namespace
}  // namespace tally::data::testing
