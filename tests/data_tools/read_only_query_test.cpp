// The read-only guarantee of sql_query: nothing the model writes can change the store, escape it, or run forever.
#include <gtest/gtest.h>

#include <filesystem>

#include "tally/data/tools.h"
#include "test_store.h"

namespace {

using tally::data::tools::QueryLimits;
using tally::data::tools::ToolSession;
using tally::testing::TestStore;

class ReadOnlyQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_unique<TestStore>(::testing::UnitTest::GetInstance()->current_test_info()->name());
    store_->add_dataset("sales", {{"day", "date"}, {"region", "text"}, {"revenue", "currency"}},
                        {{"2024-01-01", "서울", 100.0}, {"2024-01-02", "부산", 200.0}, {"2024-01-03", "서울", 300.0}});
  }
  nlohmann::ordered_json query(const std::string& sql, QueryLimits limits = {}) {
    ToolSession session(store_->db(), limits);
    return session.call("sql_query", {{"sql", sql}});
  }
  void expect_refused(const std::string& sql, const std::string& why) {
    const auto r = query(sql);
    EXPECT_FALSE(r["ok"].get<bool>()) << sql;
    EXPECT_NE(r.value("error", "").find(why), std::string::npos) << sql << " -> " << r.value("error", "");
    EXPECT_EQ(store_->count("SELECT count(*) FROM sales"), 3) << sql;
    EXPECT_EQ(store_->count("SELECT count(*) FROM sqlite_schema WHERE name NOT IN ('sales') AND type = 'table'"), 7)
        << sql;
  }
  std::unique_ptr<TestStore> store_;
};

TEST_F(ReadOnlyQueryTest, SelectReturnsColumnsAndRows) {
  const auto r = query("SELECT region, SUM(revenue) AS total FROM sales GROUP BY region ORDER BY total DESC");
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["result"]["columns"], nlohmann::ordered_json::array({"region", "total"}));
  EXPECT_EQ(r["result"]["rows"][0][0], "서울");
  EXPECT_DOUBLE_EQ(r["result"]["rows"][0][1].get<double>(), 400.0);
  EXPECT_EQ(r["result"]["row_count"], 2);
  EXPECT_FALSE(r["result"]["truncated"].get<bool>());
}

TEST_F(ReadOnlyQueryTest, ProvenanceCarriesTheExactSqlAndParams) {
  ToolSession session(store_->db());
  const auto r = session.call("sql_query", {{"sql", "SELECT revenue FROM sales WHERE region = ?"}, {"params", {"서울"}}});
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["result"]["row_count"], 2);
  ASSERT_EQ(r["provenance"]["queries"].size(), 1u);
  EXPECT_EQ(r["provenance"]["queries"][0]["sql"], "SELECT revenue FROM sales WHERE region = ?");
  EXPECT_EQ(r["provenance"]["queries"][0]["params"], nlohmann::ordered_json::array({"서울"}));
}

TEST_F(ReadOnlyQueryTest, WritesAreRefused) {
  expect_refused("INSERT INTO sales VALUES ('2024-02-01', 'x', 1)", "not allowed");
  expect_refused("UPDATE sales SET revenue = 0", "not allowed");
  expect_refused("DELETE FROM sales", "not allowed");
  expect_refused("DROP TABLE sales", "not allowed");
  expect_refused("CREATE TABLE evil(a)", "not allowed");
  expect_refused("REPLACE INTO sales VALUES ('2024-02-01', 'x', 1)", "not allowed");
  expect_refused("ALTER TABLE sales ADD COLUMN x", "not allowed");
}

TEST_F(ReadOnlyQueryTest, WritesBehindAWithClauseAreRefusedByTheAuthorizer) {
  expect_refused("WITH x AS (SELECT 1) DELETE FROM sales", "not allowed: DELETE from sales");
  expect_refused("WITH x AS (SELECT 1) INSERT INTO sales SELECT '2024-03-01', 'x', 1 FROM x", "not allowed: INSERT");
}

TEST_F(ReadOnlyQueryTest, TrailingSecondStatementIsRefused) {
  expect_refused("SELECT 1; DELETE FROM sales", "only one SQL statement");
  expect_refused("SELECT 1;DELETE FROM sales;", "only one SQL statement");
  expect_refused("SELECT 1; /* hidden */ DROP TABLE sales", "only one SQL statement");
  // A trailing semicolon or comment is not a second statement.
  EXPECT_TRUE(query("SELECT 1; -- done\n")["ok"].get<bool>());
  EXPECT_TRUE(query("SELECT 1 /* c */ ;  ")["ok"].get<bool>());
}

TEST_F(ReadOnlyQueryTest, AttachAndDetachAreRefused) {
  const std::string other = store_->path() + ".other";
  expect_refused("ATTACH '" + other + "' AS other", "not allowed");
  expect_refused("DETACH main", "not allowed");
  EXPECT_FALSE(std::filesystem::exists(other));
  // ATTACH as an expression is not possible, but the attach limit of the connection is 0 anyway.
}

TEST_F(ReadOnlyQueryTest, VacuumIncludingVacuumIntoIsRefused) {
  const std::string copy = store_->path() + ".copy";
  expect_refused("VACUUM", "not allowed");
  expect_refused("VACUUM INTO '" + copy + "'", "not allowed");
  EXPECT_FALSE(std::filesystem::exists(copy));
}

TEST_F(ReadOnlyQueryTest, StateChangingPragmasAreRefused) {
  expect_refused("PRAGMA writable_schema=1", "not allowed: PRAGMA writable_schema");
  expect_refused("PRAGMA journal_mode=delete", "not allowed: PRAGMA journal_mode");
  expect_refused("PRAGMA user_version = 7", "not allowed: PRAGMA user_version");
  expect_refused("PRAGMA foreign_keys = OFF", "not allowed");
  EXPECT_EQ(store_->count("PRAGMA user_version"), 0);
}

TEST_F(ReadOnlyQueryTest, ReadOnlyPragmasAreAllowed) {
  const auto r = query("PRAGMA table_info(sales)");
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["result"]["row_count"], 3);
}

TEST_F(ReadOnlyQueryTest, ExtensionLoadingIsRefused) {
  expect_refused("SELECT load_extension('/tmp/libevil.so')", "load_extension");
  expect_refused("SELECT fts3_tokenizer('simple')", "not allowed");
}

TEST_F(ReadOnlyQueryTest, TempObjectsAreRefused) {
  expect_refused("CREATE TEMP TABLE t(a)", "not allowed");
  expect_refused("CREATE TEMP VIEW v AS SELECT 1", "not allowed");
  expect_refused("CREATE TEMP TRIGGER tr AFTER INSERT ON sales BEGIN SELECT 1; END", "not allowed");
}

TEST_F(ReadOnlyQueryTest, TransactionsAreRefused) {
  expect_refused("BEGIN IMMEDIATE", "not allowed");
  expect_refused("SAVEPOINT a", "not allowed");
}

TEST_F(ReadOnlyQueryTest, RecursiveCteBombHitsTheTimeLimit) {
  QueryLimits limits;
  limits.time_limit_ms = 200;
  const auto start = std::chrono::steady_clock::now();
  const auto r = query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", limits);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_NE(r["error"].get<std::string>().find("time limit of 200 ms exceeded"), std::string::npos) << r.dump();
  EXPECT_LT(ms, 3000);
}

TEST_F(ReadOnlyQueryTest, HugeResultIsCappedInRows) {
  QueryLimits limits;
  limits.max_rows = 50;
  const auto r = query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000) SELECT x FROM c", limits);
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["result"]["row_count"], 50);
  EXPECT_TRUE(r["result"]["truncated"].get<bool>());
  EXPECT_EQ(r["result"]["truncated_by"], "max_rows");
  EXPECT_EQ(r["result"]["caps"]["max_rows"], 50);
}

TEST_F(ReadOnlyQueryTest, HugeResultIsCappedInBytes) {
  QueryLimits limits;
  limits.max_bytes = 10000;
  const auto r = query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000) "
                       "SELECT x, printf('%.500c', 'y') FROM c", limits);
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_TRUE(r["result"]["truncated"].get<bool>());
  EXPECT_EQ(r["result"]["truncated_by"], "max_bytes");
  EXPECT_LT(r["result"]["rows"].dump().size(), 11000u);
  EXPECT_GT(r["result"]["row_count"].get<int>(), 10);
}

TEST_F(ReadOnlyQueryTest, LongCellsAreCutAtAUtf8Boundary) {
  QueryLimits limits;
  limits.max_cell_bytes = 10;
  const auto r = query("SELECT '가나다라마바사'", limits);  // 21 bytes
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["result"]["rows"][0][0], "가나다…");
  EXPECT_EQ(r["result"]["cells_cut"], 1);
}

TEST_F(ReadOnlyQueryTest, UnknownColumnErrorListsTheColumns) {
  const auto r = query("SELECT revenu FROM sales");
  EXPECT_FALSE(r["ok"].get<bool>());
  const std::string e = r["error"];
  EXPECT_NE(e.find("no such column: revenu"), std::string::npos) << e;
  EXPECT_NE(e.find("sales(day, region, revenue)"), std::string::npos) << e;
}

TEST_F(ReadOnlyQueryTest, EmptyAndParameterMismatchErrorsAreClear) {
  EXPECT_NE(query("  -- nothing\n")["error"].get<std::string>().find("empty SQL"), std::string::npos);
  ToolSession session(store_->db());
  const auto r = session.call("sql_query", {{"sql", "SELECT ?"}});
  EXPECT_NE(r["error"].get<std::string>().find("1 parameter(s)"), std::string::npos) << r.dump();
}

TEST_F(ReadOnlyQueryTest, EveryCallIsAudited) {
  ToolSession session(store_->db());
  session.set_conversation(42);
  (void)session.call("sql_query", {{"sql", "SELECT 1"}});
  (void)session.call("sql_query", {{"sql", "DELETE FROM sales"}});
  EXPECT_EQ(store_->count("SELECT count(*) FROM audit_log WHERE tool = 'sql_query' AND conversation_id = 42"), 2);
  EXPECT_EQ(store_->count("SELECT count(*) FROM audit_log WHERE error IS NULL AND result_summary = '1 rows x 1 columns'"), 1);
  EXPECT_EQ(store_->count("SELECT count(*) FROM audit_log WHERE error LIKE 'not allowed%' AND arguments LIKE '%DELETE FROM sales%'"), 1);
  EXPECT_EQ(store_->count("SELECT count(*) FROM audit_log WHERE duration_ms >= 0"), 2);
}

TEST(ReadOnlyQueryStore, InMemoryStoreIsAClearError) {
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  ToolSession session(db);
  const auto r = session.call("sql_query", {{"sql", "SELECT 1"}});
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_NE(r["error"].get<std::string>().find("file-backed"), std::string::npos);
  sqlite3_close(db);
}

}  // namespace
