#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>

#include "fixtures.h"
#include "store/schema_v1.h"
#include "tally/data/store.h"

namespace tally::data {
namespace {

std::string fresh_db(const std::string& name) { return tally::testing::scratch_dir("store_" + name) + "/tally.db"; }

TEST(StorePath, UsesXdgDataHomeWhenSet) {
  const char* old_xdg = std::getenv("XDG_DATA_HOME");
  const std::string saved = old_xdg ? old_xdg : "";
  ::setenv("XDG_DATA_HOME", "/tmp/xdg-test", 1);
  EXPECT_EQ(default_store_path(), "/tmp/xdg-test/Tally/tally.db");
  ::setenv("XDG_DATA_HOME", "relative/ignored", 1);  // the XDG spec says relative paths are invalid
  ::setenv("HOME", std::getenv("HOME") ? std::getenv("HOME") : "/home/u", 1);
  EXPECT_EQ(default_store_path(), std::string(std::getenv("HOME")) + "/.local/share/Tally/tally.db");
  if (old_xdg) {
    ::setenv("XDG_DATA_HOME", saved.c_str(), 1);
  } else {
    ::unsetenv("XDG_DATA_HOME");
  }
}

TEST(StoreOpen, CreatesFileAndFolderWithWalForeignKeysAndCurrentVersion) {
  const std::string dir = tally::testing::scratch_dir("store_create");
  const std::string path = dir + "/nested/profile/tally.db";
  auto store = Store::open(path);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(*store->schema_version(), 3);
  auto mode = store->db().prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode);
  ASSERT_TRUE(*mode->step());
  EXPECT_EQ(mode->column_text(0), "wal");
  EXPECT_EQ(*store->db().query_int64("PRAGMA foreign_keys"), 1);
}

TEST(StoreOpen, ReopeningKeepsDataAndVersion) {
  const std::string path = fresh_db("reopen");
  {
    auto store = Store::open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->set_setting("theme", "dark"));
  }
  auto store = Store::open(path);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*store->schema_version(), 3);
  EXPECT_EQ(store->setting("theme")->value_or(""), "dark");
}

TEST(StoreOpen, RefusesAFileFromANewerTally) {
  const std::string path = fresh_db("newer");
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("PRAGMA user_version = 99"));
  }
  auto store = Store::open(path);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("newer"), std::string::npos);
}

TEST(StoreOpen, RefusesAFileThatIsNotADatabase) {
  const std::string dir = tally::testing::scratch_dir("store_garbage");
  const std::string path = dir + "/tally.db";
  {
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_TRUE(f);
    std::fputs("this is not an SQLite file, just some text that is long enough to have a header........", f);
    std::fclose(f);
  }
  auto store = Store::open(path);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find(path), std::string::npos);
}

// A store written by the first release (schema v1 SQL as shipped) upgrades in place and its messages become
// searchable.
TEST(StoreMigration, UpgradesAVersion1File) {
  const std::string path = fresh_db("v1");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, schema::kV1, nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "INSERT INTO conversations(id, title) VALUES (1, 'old');"
                           "INSERT INTO messages(conversation_id, role, content) VALUES "
                           "(1, 'user', '서울 지역 매출이 증가했습니다');"
                           "INSERT INTO documents(title, content) VALUES ('memo', 'quarterly revenue notes');"
                           "PRAGMA user_version = 1;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto store = Store::open(path);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*store->schema_version(), 3);
  auto hits = store->search_messages("매출");
  ASSERT_TRUE(hits) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].conversation_id, 1);
  auto docs = store->search_documents("revenue");
  ASSERT_TRUE(docs);
  EXPECT_EQ(docs->size(), 1u);
  auto conversations = store->list_conversations();
  ASSERT_TRUE(conversations);
  ASSERT_EQ(conversations->size(), 1u);
  EXPECT_EQ((*conversations)[0].title, "old");
}

// A failing step leaves the file at its previous version (each step is one transaction).
TEST(StoreMigration, AFailedStepLeavesThePreviousVersion) {
  const std::string path = fresh_db("v1_broken");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, schema::kV1, nullptr, nullptr, nullptr), SQLITE_OK);
    // Something already named like a v2 object makes step 2 fail.
    ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE messages_fts(x); PRAGMA user_version = 1;", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto store = Store::open(path);
  ASSERT_FALSE(store);
  auto db = Database::open(path);
  ASSERT_TRUE(db);
  EXPECT_EQ(*db->query_int64("PRAGMA user_version"), 1);
  EXPECT_EQ(*db->query_int64("SELECT count(*) FROM sqlite_master WHERE name = 'documents_fts'"), 0);
}

}  // namespace
}  // namespace tally::data
