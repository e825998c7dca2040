#include <gtest/gtest.h>

#include "fixtures.h"
#include "tally/data/database.h"

namespace tally::data {
namespace {

Database memory_db() {
  auto db = Database::open(":memory:");
  EXPECT_TRUE(db);
  return std::move(*db);
}

TEST(Statement, RefusesMultiStatementSql) {
  Database db = memory_db();
  ASSERT_TRUE(db.exec("CREATE TABLE t(x)"));
  auto two = db.prepare("INSERT INTO t VALUES (1); DROP TABLE t");
  ASSERT_FALSE(two);
  EXPECT_NE(two.error().message.find("multi-statement"), std::string::npos);
  EXPECT_EQ(*db.query_int64("SELECT count(*) FROM sqlite_master WHERE name = 't'"), 1);
}

TEST(Statement, AllowsTrailingWhitespaceSemicolonAndComments) {
  Database db = memory_db();
  EXPECT_TRUE(db.prepare("SELECT 1;  -- trailing comment\n  "));
  EXPECT_TRUE(db.prepare("SELECT 1 /* block */ ;"));
}

TEST(Statement, RefusesEmptySql) {
  Database db = memory_db();
  EXPECT_FALSE(db.prepare("   "));
  EXPECT_FALSE(db.prepare("-- only a comment"));
}

TEST(Statement, TypedBindsRoundTrip) {
  Database db = memory_db();
  ASSERT_TRUE(db.exec("CREATE TABLE t(i INTEGER, d REAL, s TEXT, n TEXT, e TEXT)"));
  auto ins = db.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)");
  ASSERT_TRUE(ins);
  // A value that looks like SQL is only ever data.
  ins->bind(1, std::int64_t{1} << 40).bind(2, 2.5).bind(3, "x'); DROP TABLE t; --").bind(4, nullptr).bind(5, "");
  ASSERT_TRUE(ins->run());
  auto q = db.prepare("SELECT i, d, s, n, e FROM t");
  ASSERT_TRUE(q);
  ASSERT_TRUE(*q->step());
  EXPECT_EQ(q->column_int64(0), std::int64_t{1} << 40);
  EXPECT_DOUBLE_EQ(q->column_double(1), 2.5);
  EXPECT_EQ(q->column_text(2), "x'); DROP TABLE t; --");
  EXPECT_TRUE(q->is_null(3));
  EXPECT_FALSE(q->is_null(4));  // an empty string stays an empty string, not NULL
  EXPECT_FALSE(*q->step());
}

TEST(Statement, BindOutOfRangeIsReportedAtStep) {
  Database db = memory_db();
  auto q = db.prepare("SELECT ?1");
  ASSERT_TRUE(q);
  q->bind(2, 5.0);
  auto r = q->step();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("parameter 2"), std::string::npos);
}

TEST(Statement, QuoteIdentifierDoublesQuotes) {
  EXPECT_EQ(quote_identifier("sales"), "\"sales\"");
  EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
  Database db = memory_db();
  ASSERT_TRUE(db.exec("CREATE TABLE " + quote_identifier("we\"ird; DROP") + " (x)"));
  EXPECT_EQ(*db.query_int64("SELECT count(*) FROM sqlite_master"), 1);
}

TEST(Transaction, RollsBackUnlessCommitted) {
  Database db = memory_db();
  ASSERT_TRUE(db.exec("CREATE TABLE t(x)"));
  {
    auto tx = Transaction::begin(db);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)"));
  }
  EXPECT_EQ(*db.query_int64("SELECT count(*) FROM t"), 0);
  {
    auto tx = Transaction::begin(db);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)"));
    ASSERT_TRUE(tx->commit());
  }
  EXPECT_EQ(*db.query_int64("SELECT count(*) FROM t"), 1);
}

}  // namespace
}  // namespace tally::data
