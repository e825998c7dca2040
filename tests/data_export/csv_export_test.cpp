// CSV export: exact bytes (BOM, RFC 4180 quoting, CRLF) and CP949.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "export_fixture.h"
#include "tally/data/export.h"

using namespace tally::data;
using tally::testing::read_file;
using tally::testing::scratch_dir;

namespace {

ExportTable small_table() {
  ExportTable t;
  t.columns = {{"이름", ColumnType::Text, "", false}, {"n", ColumnType::Integer, "", false},
               {"rate", ColumnType::Percent, "%", false}, {"ok", ColumnType::Boolean, "", false}};
  t.rows.push_back({"서울", 1, 12.5, 1});
  t.rows.push_back({"a,b \"c\"", nullptr, 0.1, 0});
  t.rows.push_back({"line\nbreak", -3, nullptr, nullptr});
  return t;
}

TEST(CsvExport, Utf8WithBomQuotesPerRfc4180AndEndsLinesWithCrlf) {
  const std::string out = scratch_dir("csv_utf8") + "/t.csv";
  auto r = export_table(small_table(), out);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rows, 3);
  EXPECT_EQ(read_file(out),
            "\xEF\xBB\xBF"
            "이름,n,rate,ok\r\n"
            "서울,1,12.5%,TRUE\r\n"
            "\"a,b \"\"c\"\"\",,0.1%,FALSE\r\n"
            "\"line\nbreak\",-3,,\r\n");
}

TEST(CsvExport, BomCanBeLeftOut) {
  const std::string out = scratch_dir("csv_nobom") + "/t.csv";
  ExportOptions o;
  o.csv_bom = false;
  ASSERT_TRUE(export_table(small_table(), out, o).ok());
  EXPECT_EQ(read_file(out).substr(0, 6), "이름");
}

TEST(CsvExport, Cp949BytesAreExact) {
  const std::string out = scratch_dir("csv_cp949") + "/t.csv";
  ExportOptions o;
  o.csv_encoding = "cp949";
  ASSERT_TRUE(export_table(small_table(), out, o).ok());
  // 이름 = C0CC B8A7, 서울 = BCAD BFEF in CP949; no BOM.
  EXPECT_EQ(read_file(out).substr(0, 21),
            "\xC0\xCC\xB8\xA7,n,rate,ok\r\n\xBC\xAD\xBF\xEF,");
}

TEST(CsvExport, Cp949NamesTheFirstCharacterItCannotEncode) {
  ExportTable t;
  t.columns = {{"price", ColumnType::Text, "", false}};
  t.rows.push_back({"가격"});
  t.rows.push_back({"₩1,200"});
  const std::string out = scratch_dir("csv_cp949_bad") + "/t.csv";
  ExportOptions o;
  o.csv_encoding = "EUC-KR";
  auto r = export_table(t, out, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("U+20A9"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("row 2"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("'price'"), std::string::npos) << r.error().message;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(CsvExport, AFailedExportKeepsThePreviousFile) {
  ExportTable t;
  t.columns = {{"price", ColumnType::Text, "", false}};
  t.rows.push_back({"₩1,200"});
  const std::string out = scratch_dir("csv_keep_previous") + "/t.csv";
  {
    std::FILE* f = std::fopen(out.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("earlier export\n", f);
    std::fclose(f);
  }
  ExportOptions o;
  o.csv_encoding = "CP949";
  ASSERT_FALSE(export_table(t, out, o).ok());
  std::FILE* f = std::fopen(out.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  char buf[64] = {};
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  EXPECT_EQ(std::string(buf, n), "earlier export\n");
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
  o.csv_encoding = "UTF-8";
  ASSERT_TRUE(export_table(t, out, o).ok());
  EXPECT_GT(std::filesystem::file_size(out), 14u);
}

TEST(CsvExport, UnknownEncodingIsAnError) {
  ExportOptions o;
  o.csv_encoding = "latin1";
  EXPECT_FALSE(export_table(small_table(), scratch_dir("csv_enc") + "/t.csv", o).ok());
}

TEST(CsvExport, DatasetStreamsEveryStoredType) {
  auto ts = tally::testing::make_typed_store("csv_dataset");
  const std::string out = ts.dir + "/d.csv";
  ExportOptions o;
  o.csv_bom = false;
  auto r = export_dataset(ts.store.db(), ts.dataset_id, out, o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(read_file(out),
            "id,amount,rate,price,ok,day,at,month,code,name\r\n"
            "1,10.5,12.5%,1200,TRUE,2026-07-01,2026-07-01 09:30:00,2026-07,00123,서울 지점\r\n"
            "2,,7%,800,FALSE,2026-01-31,2026-01-31 23:59:59,2026-01,00456,부산\r\n"
            "3,-2.25,100%,15000,TRUE,1999-12-31,2000-02-29 00:00:00,1999-12,A-7,\"comma, \"\"quoted\"\"\"\r\n");
}

}  // namespace
