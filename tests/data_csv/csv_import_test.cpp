// Import behaviour beyond the corpus: re-import detection, all-or-nothing, cancel, progress, preview, naming.
#include <fstream>

#include "../../data/csv/sha256.h"
#include "import_fixture.h"

namespace tally::data::testing {
namespace {

using Strings = std::vector<std::string>;
using CsvImport = ImportTest;

std::string write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return path;
}

std::string generated_csv(const std::string& path, int rows) {
  std::string text = "id,region,amount,when,note\n";
  for (int i = 0; i < rows; ++i) {
    text += std::to_string(i) + ",region " + std::to_string(i % 17) + "," + std::to_string(i * 3) + ".25,2026-07-" +
            std::to_string(10 + i % 19) + ",\"note, " + std::to_string(i) + "\"\n";
  }
  return write_file(path, text);
}

// What must be identical before and after a failed or cancelled import.
std::string database_fingerprint(Store& store) {
  (void)store.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  std::string out;
  auto q = store.db().prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name");
  while (q && *q->step()) out += q->column_text(0) + "|" + q->column_text(1) + "|" + q->column_text(2) + "\n";
  for (const char* t : {"datasets", "dataset_columns"}) {
    out += std::string(t) + "=" + std::to_string(*store.db().query_int64(std::string("SELECT count(*) FROM ") + t));
  }
  Sha256 h;
  h.update(tally::testing::read_file(store.db().path()));
  return out + "\nfile=" + h.hex_digest();
}

TEST(Sha256, KnownVectors) {
  Sha256 empty;
  EXPECT_EQ(empty.hex_digest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 abc;
  abc.update("a");
  abc.update("bc");
  EXPECT_EQ(abc.hex_digest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 long_input;
  long_input.update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
  EXPECT_EQ(long_input.hex_digest(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_F(CsvImport, ReimportOfTheSameBytesIsDetected) {
  auto first = import_ok(corpus("basic.csv"));
  CsvImporter importer(*store_);
  auto again = importer.import_file(corpus("basic.csv"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, ImportStatus::AlreadyImported);
  EXPECT_EQ(again->dataset_id, first.dataset_id);
  EXPECT_EQ(again->dataset_name, "basic");
  EXPECT_EQ(store_->list_datasets()->size(), 1u);
}

TEST_F(CsvImport, ForcedReimportGetsANewNameAndTable) {
  auto first = import_ok(corpus("basic.csv"));
  CsvImportOptions force;
  force.force = true;
  auto second = import_ok(corpus("basic.csv"), force);
  EXPECT_NE(second.dataset_id, first.dataset_id);
  EXPECT_EQ(second.dataset_name, "basic (2)");
  EXPECT_EQ(second.table_name, "basic_2");
  EXPECT_EQ(column(second, "name"), (Strings{"Alice", "Bob", "Carol"}));
}

TEST_F(CsvImport, FailedImportLeavesTheDatabaseByteForByteUnchanged) {
  import_ok(corpus("basic.csv"));
  const std::string before = database_fingerprint(*store_);
  // Valid for 20,000 rows, then an unterminated quote at the very end: the failure comes after many inserts.
  std::string text = tally::testing::read_file(generated_csv(dir_ + "/big.csv", 20000));
  write_file(dir_ + "/broken.csv", text + "999,x,\"unterminated\n");
  import_error(dir_ + "/broken.csv");
  EXPECT_EQ(database_fingerprint(*store_), before);
}

TEST_F(CsvImport, CancelDuringWritingRollsBack) {
  const std::string before = database_fingerprint(*store_);
  const std::string path = generated_csv(dir_ + "/big.csv", 60000);
  std::atomic<bool> cancel{false};
  CsvImportOptions opts;
  opts.cancel = &cancel;
  opts.chunk_bytes = 64 << 10;
  std::vector<ImportProgress> seen;
  opts.on_progress = [&](const ImportProgress& p) {
    seen.push_back(p);
    if (p.pass == 2 && p.bytes_done > p.bytes_total * 3 / 4) cancel = true;
  };
  CsvImporter importer(*store_);
  auto r = importer.import_file(path, opts);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, ImportStatus::Cancelled);
  EXPECT_EQ(database_fingerprint(*store_), before);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front().pass, 1);
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i].bytes_done, seen[i - 1].bytes_done);
}

TEST_F(CsvImport, CancelBeforeStartingDoesNothing) {
  std::atomic<bool> cancel{true};
  CsvImportOptions opts;
  opts.cancel = &cancel;
  CsvImporter importer(*store_);
  auto r = importer.import_file(corpus("basic.csv"), opts);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, ImportStatus::Cancelled);
  EXPECT_TRUE(store_->list_datasets()->empty());
}

TEST_F(CsvImport, ProgressReachesTheTotal) {
  const std::string path = generated_csv(dir_ + "/mid.csv", 5000);
  ImportProgress last;
  CsvImportOptions opts;
  opts.chunk_bytes = 16 << 10;
  opts.on_progress = [&](const ImportProgress& p) { last = p; };
  auto o = import_ok(path, opts);
  EXPECT_EQ(last.pass, 2);
  EXPECT_EQ(last.bytes_done, last.bytes_total);
  EXPECT_EQ(o.report.rows, 5000);
  EXPECT_EQ(types(o), (Strings{"integer", "text", "decimal", "date", "text"}));
}

TEST_F(CsvImport, SmallChunksGiveTheSameResult) {
  CsvImportOptions tiny;
  tiny.chunk_bytes = 1;  // every record spans many reads
  auto o = import_ok(corpus("quotes.csv"), tiny);
  EXPECT_EQ(column(o, "comment")[2], "line one\r\nline two");
  CsvImportOptions tiny16 = tiny;
  auto u = import_ok(corpus("utf16le_bom.csv"), tiny16);
  EXPECT_EQ(column(u, "name"), (Strings{"가나다", "abc"}));
}

TEST_F(CsvImport, Cp949AfterAnAsciiSampleIsStillDetected) {
  std::string text = "id,memo\n";
  for (int i = 0; text.size() < (100 << 10); ++i) text += std::to_string(i) + ",plain ascii row\n";
  text += "99999,\xB8\xC5\xC3\xE2\n";  // "매출" in CP949, past the 64 KiB sample
  auto o = import_ok(write_file(dir_ + "/late_korean.csv", text));
  EXPECT_EQ(o.encoding, "CP949");
  EXPECT_EQ(column(o, "memo").back(), "매출");
}

TEST_F(CsvImport, EncodingAndDelimiterOverrides) {
  CsvImportOptions opts;
  opts.encoding = "euc-kr";
  opts.delimiter = ',';
  opts.dataset_name = "지역별 매출";
  auto o = import_ok(corpus("cp949_korean.csv"), opts);
  EXPECT_EQ(o.encoding, "EUC-KR");
  EXPECT_EQ(o.dataset_name, "지역별 매출");
  EXPECT_EQ(o.table_name, "지역별_매출");
  CsvImportOptions wrong;
  wrong.encoding = "UTF-8";
  auto message = import_error(corpus("cp949_korean.csv"), wrong);
  EXPECT_NE(message.find("invalid UTF-8"), std::string::npos) << message;
  CsvImportOptions unknown;
  unknown.encoding = "klingon-8";
  EXPECT_NE(import_error(corpus("basic.csv"), unknown).find("klingon-8"), std::string::npos);
}

TEST_F(CsvImport, TableNamesAreSafeAndNeverCollideWithTheStore) {
  auto a = import_ok(write_file(dir_ + "/Sales Monthly (2026).csv", "a\n1\n"));
  EXPECT_EQ(a.table_name, "sales_monthly_2026");
  auto b = import_ok(write_file(dir_ + "/messages.csv", "a\n2\n"));
  EXPECT_EQ(b.table_name, "messages_data");
  auto c = import_ok(write_file(dir_ + "/2026.csv", "a\n3\n"));
  EXPECT_EQ(c.table_name, "t_2026");
  auto d = import_ok(write_file(dir_ + "/\"; DROP TABLE x; --.csv", "a\n4\n"));
  EXPECT_EQ(d.table_name, "drop_table_x");
  auto e = import_ok(write_file(dir_ + "/!!!.csv", "a\n5\n"));
  EXPECT_EQ(e.table_name, "dataset");
}

TEST_F(CsvImport, CatalogRowsMatchTheOutcome) {
  auto o = import_ok(corpus("types.csv"));
  auto ds = *store_->dataset(o.dataset_id);
  EXPECT_EQ(ds.table_name, o.table_name);
  EXPECT_EQ(ds.encoding, "UTF-8");
  EXPECT_EQ(ds.row_count, 4);
  EXPECT_EQ(ds.file_hash, o.sha256);
  auto cols = catalog_columns(o);
  ASSERT_EQ(cols.size(), o.columns.size());
  EXPECT_EQ(cols[0].ordinal, 0);
  EXPECT_EQ(cols[7].sql_name, "iso");
  auto found = store_->dataset_by_hash(o.sha256);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->id, o.dataset_id);
  ASSERT_TRUE(store_->delete_dataset(o.dataset_id));
  EXPECT_EQ(*store_->db().query_int64("SELECT count(*) FROM dataset_columns"), 0);
  EXPECT_EQ(*store_->db().query_int64("SELECT count(*) FROM sqlite_master WHERE name = 'types'"), 0);
}

TEST(CsvPreview, SchemaAndFirstRowsWithoutTouchingAStore) {
  auto p = CsvImporter::preview(corpus("types.csv"), {}, 2);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->encoding, "UTF-8");
  EXPECT_EQ(p->delimiter, ',');
  EXPECT_TRUE(p->header);
  EXPECT_TRUE(p->whole_file);
  ASSERT_EQ(p->rows.size(), 2u);
  EXPECT_EQ(p->rows[0][1], "1,234.5");
  EXPECT_EQ(p->columns[3].type, ColumnType::Currency);
  EXPECT_EQ(p->columns[3].unit, "KRW");
  auto korean = CsvImporter::preview(corpus("cp949_korean.csv"));
  ASSERT_TRUE(korean);
  EXPECT_EQ(korean->encoding, "CP949");
  EXPECT_EQ(korean->rows[0][0], "서울");
  EXPECT_FALSE(CsvImporter::preview(corpus("binary_junk.bin")));
  EXPECT_FALSE(CsvImporter::preview(corpus("does_not_exist.csv")));
}

// The import dialog lets the user choose a column's type: a code column inferred as integer can be kept as text
// (leading zeros stay), and a text column can be read as numbers, with the cells that do not read listed.
TEST_F(CsvImport, ChosenColumnTypesReplaceTheInferredOnes) {
  const std::string path = dir_ + "/codes.csv";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_TRUE(f);
    std::fputs("code,amount,label\n0012,10,a\n0345,20,b\n0678,x,c\n", f);
    std::fclose(f);
  }
  CsvImportOptions options;
  options.column_types = {std::nullopt, ColumnType::Text, std::nullopt};
  const auto out = import_ok(path, options);
  ASSERT_EQ(out.columns.size(), 3u);
  EXPECT_EQ(out.columns[0].type, ColumnType::Text);  // inferred: codes with leading zeros stay text
  EXPECT_EQ(column(out, out.columns[0].sql_name), (std::vector<std::string>{"0012", "0345", "0678"}));
  EXPECT_EQ(out.columns[1].type, ColumnType::Text);  // chosen
  EXPECT_EQ(column(out, out.columns[1].sql_name), (std::vector<std::string>{"10", "20", "x"}));
  EXPECT_EQ(typeof_value(out, out.columns[1].sql_name, 1), "text");
  auto types = store_->dataset_columns(out.dataset_id);
  ASSERT_TRUE(types);
  EXPECT_EQ((*types)[1].type, "text");

  CsvImportOptions as_number;
  as_number.force = true;
  as_number.column_types = {std::nullopt, ColumnType::Integer, std::nullopt};
  const auto second = import_ok(path, as_number);
  EXPECT_EQ(second.columns[1].type, ColumnType::Integer);
  EXPECT_EQ(typeof_value(second, second.columns[1].sql_name, 1), "integer");
  ASSERT_FALSE(second.report.unparsed_cells.empty());
  EXPECT_EQ(second.report.unparsed_cells[0].raw, "x");
  EXPECT_EQ(second.report.unparsed_cells[0].line, 4);
}


}  // namespace
}  // namespace tally::data::testing
