// The import-time column chunks: the blob format round-trips, damaged blobs are errors (never out-of-bounds
// reads), and building from a table keeps every cell's type and value.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <random>

#include "fixtures.h"
#include "tally/data/column_chunks.h"
#include "store/schema_v1.h"
#include "tally/data/store.h"

using tally::data::CellTag;
using tally::data::ColumnChunk;

namespace {

ColumnChunk sample_chunk() {
  ColumnChunk c;
  c.first_rowid = 7;
  c.rows = 5;
  c.tags = {CellTag::Integer, CellTag::Null, CellTag::Text, CellTag::Real, CellTag::Text};
  c.integers = {9007199254740993LL, 0, 0, 0, 0};  // 2^53 + 1: kept exactly, not through a double
  c.reals = {0, 0, 0, -1.5, 0};
  c.codes = {0, 0, 0, 0, 1};
  c.dict = {"서울\n  spaced ", "<|call|>"};
  return c;
}

}  // namespace

TEST(ColumnChunks, RoundTripKeepsTagsValuesAndTexts) {
  const ColumnChunk c = sample_chunk();
  const std::string blob = tally::data::encode_column_chunk(c);
  auto back = tally::data::decode_column_chunk({reinterpret_cast<const std::uint8_t*>(blob.data()), blob.size()});
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->first_rowid, 7);
  EXPECT_EQ(back->tags, c.tags);
  EXPECT_EQ(back->integers[0], 9007199254740993LL);
  EXPECT_EQ(back->number(3), -1.5);
  EXPECT_EQ(back->dict, c.dict);
  EXPECT_EQ(back->codes[4], 1u);
}

TEST(ColumnChunks, EveryTruncationAndCorruptCodeIsAnError) {
  const std::string blob = tally::data::encode_column_chunk(sample_chunk());
  for (std::size_t n = 0; n < blob.size(); ++n) {
    auto r = tally::data::decode_column_chunk({reinterpret_cast<const std::uint8_t*>(blob.data()), n});
    EXPECT_FALSE(r) << "truncated at " << n;
  }
  std::mt19937 rng(3);
  int rejected = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string bad = blob;
    bad[rng() % bad.size()] = static_cast<char>(rng());
    auto r = tally::data::decode_column_chunk({reinterpret_cast<const std::uint8_t*>(bad.data()), bad.size()});
    if (!r) {
      ++rejected;
      continue;
    }
    for (std::size_t k = 0; k < r->rows; ++k)  // whatever decodes must be internally consistent
      if (r->tags[k] == CellTag::Text) { ASSERT_LT(r->codes[k], r->dict.size()); }
  }
  EXPECT_GT(rejected, 0);
}

TEST(ColumnChunks, BuiltFromATableSplitAtChunkSizeWithEveryCell) {
  const std::string path = tally::testing::scratch_dir("column_chunks_build") + "/store.db";
  std::remove(path.c_str());
  auto store = tally::data::Store::open(path);
  ASSERT_TRUE(store) << store.error().message;
  auto& db = store->db();
  ASSERT_TRUE(db.exec("CREATE TABLE t (a INTEGER, b TEXT, c REAL)"));
  ASSERT_TRUE(db.exec("INSERT INTO datasets(name, table_name, row_count) VALUES ('t', 't', 70000)"));
  const auto id = db.last_insert_rowid();
  ASSERT_TRUE(db.exec("BEGIN"));
  auto ins = db.prepare("INSERT INTO t VALUES (?1, ?2, ?3)");
  ASSERT_TRUE(ins);
  for (int i = 0; i < 70000; ++i) {
    ins->reset();
    ins->bind(1, static_cast<std::int64_t>(i));
    if (i % 7 == 0) ins->bind(2, nullptr); else ins->bind(2, "g" + std::to_string(i % 13));
    if (i % 11 == 0) ins->bind(3, "N/A"); else ins->bind(3, i * 0.5);
    ASSERT_TRUE(ins->run());
  }
  ASSERT_TRUE(db.exec("COMMIT"));
  ASSERT_TRUE(tally::data::build_column_chunks(db.handle(), id, "t", 3));
  EXPECT_EQ(*db.query_int64("SELECT COUNT(*) FROM dataset_column_chunks WHERE dataset_id = " + std::to_string(id)), 6);
  {
  auto st = db.prepare("SELECT data FROM dataset_column_chunks WHERE ordinal = 2 AND chunk = 1");
  ASSERT_TRUE(st);
  ASSERT_TRUE(*st->step());
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st->handle(), 0));
  auto c = tally::data::decode_column_chunk({p, static_cast<std::size_t>(sqlite3_column_bytes(st->handle(), 0))});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->first_rowid, 65537);
  EXPECT_EQ(c->rows, 70000u - 65536u);
  for (std::uint32_t k = 0; k < c->rows; ++k) {
    const int i = 65536 + static_cast<int>(k);
    if (i % 11 == 0) {
      ASSERT_EQ(c->tags[k], CellTag::Text);
      EXPECT_EQ(c->dict[c->codes[k]], "N/A");
    } else {
      ASSERT_EQ(c->tags[k], CellTag::Real);
      EXPECT_EQ(c->number(k), i * 0.5);
    }
  }
  }
  // Deleting the dataset takes its chunks along.
  ASSERT_TRUE(store->delete_dataset(id));
  EXPECT_EQ(*db.query_int64("SELECT COUNT(*) FROM dataset_column_chunks"), 0);
}

// A store from before v3 gets chunks for the datasets it already holds when it is opened.
TEST(ColumnChunks, MigrationBackfillsDatasetsImportedBeforeV3) {
  const std::string path = tally::testing::scratch_dir("column_chunks_migrate") + "/store.db";
  std::remove(path.c_str());
  {
    auto v1 = tally::data::Database::open(path);
    ASSERT_TRUE(v1);
    ASSERT_TRUE(v1->exec_script(tally::data::schema::kV1));
    ASSERT_TRUE(v1->exec_script(
        "CREATE TABLE ds_sales (month TEXT, revenue REAL);"
        "INSERT INTO ds_sales VALUES ('2024-01', 10.5), ('2024-02', NULL), (NULL, 3);"
        "INSERT INTO datasets(id, name, table_name, row_count) VALUES (1, 'sales', 'ds_sales', 3);"
        "INSERT INTO dataset_columns(dataset_id, ordinal, name, sql_name, type) VALUES "
        "(1, 0, 'month', 'month', 'month'), (1, 1, 'revenue', 'revenue', 'decimal');"
        "PRAGMA user_version = 1;"));
  }
  auto store = tally::data::Store::open(path);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*store->db().query_int64("SELECT COUNT(*) FROM dataset_column_chunks WHERE dataset_id = 1"), 2);
  EXPECT_EQ(*store->db().query_int64("SELECT SUM(rows) FROM dataset_column_chunks WHERE ordinal = 1"), 3);
}
