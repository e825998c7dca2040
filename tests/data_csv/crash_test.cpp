// kill -9 in the middle of writes: SQLite's WAL must leave a consistent file. A child process imports a large CSV
// (or appends messages); the parent SIGKILLs it mid-way and checks what it left behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "fixtures.h"
#include "tally/data/csv_import.h"
#include "tally/data/store.h"

namespace tally::data {
namespace {

bool write_all(int fd, const void* data, std::size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

std::string integrity(Store& store) {
  auto q = store.db().prepare("PRAGMA integrity_check");
  if (!q || !*q->step()) return "cannot run integrity_check";
  return q->column_text(0);
}

void kill_and_reap(pid_t child) {
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child finished before it was killed";
}

TEST(KillDuringWrite, ImportLeavesNoPartialDataset) {
  const std::string dir = tally::testing::scratch_dir("crash_import");
  const std::string db_path = dir + "/tally.db";
  const std::string csv = dir + "/big.csv";
  {
    std::ofstream out(csv, std::ios::binary);
    out << "id,region,amount,note\n";
    for (int i = 0; i < 300000; ++i) out << i << ",region " << i % 13 << "," << i * 7 << ".5,\"row " << i << "\"\n";
  }
  {
    auto store = Store::open(db_path);  // created (and migrated) before the child starts writing
    ASSERT_TRUE(store);
  }
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    auto store = Store::open(db_path);
    if (!store) ::_exit(2);
    CsvImporter importer(*store);
    CsvImportOptions opts;
    opts.chunk_bytes = 64 << 10;
    opts.on_progress = [&](const ImportProgress& p) {
      // Tell the parent once rows are being written, well into the transaction.
      if (p.pass == 2 && p.bytes_done > p.bytes_total * 3 / 4) {
        const char c = 'w';
        write_all(fds[1], &c, 1);
      }
    };
    (void)importer.import_file(csv, opts);
    ::_exit(0);
  }
  ::close(fds[1]);
  char c = 0;
  const ssize_t got = ::read(fds[0], &c, 1);
  ASSERT_EQ(got, 1) << "the child never reached the writing pass";
  kill_and_reap(child);
  ::close(fds[0]);

  auto store = Store::open(db_path);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(integrity(*store), "ok");
  EXPECT_TRUE(store->list_datasets()->empty());
  EXPECT_EQ(*store->db().query_int64("SELECT count(*) FROM dataset_columns"), 0);
  EXPECT_EQ(*store->db().query_int64("SELECT count(*) FROM sqlite_master WHERE name = 'big'"), 0);
  // And the store still works: the same file imports cleanly now.
  CsvImporter importer(*store);
  auto again = importer.import_file(csv);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->report.rows, 300000);
}

TEST(KillDuringWrite, EveryCommittedMessageSurvives) {
  const std::string dir = tally::testing::scratch_dir("crash_messages");
  const std::string db_path = dir + "/tally.db";
  std::int64_t conversation = 0;
  {
    auto store = Store::open(db_path);
    ASSERT_TRUE(store);
    conversation = *store->create_conversation({"crash", "", "{}"});
  }
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    auto store = Store::open(db_path);
    if (!store) ::_exit(2);
    for (int i = 0;; ++i) {
      NewMessage m;
      m.conversation_id = conversation;
      m.role = i % 2 ? "assistant" : "user";
      m.content = "메시지 " + std::to_string(i) + " 서울 지역 매출";
      auto id = store->append_message(m);
      if (!id) ::_exit(3);
      if (i % 3 == 0) (void)store->update_message_content(*id, m.content + " (수정)");
      const std::int64_t committed = *id;  // reported only after the commit returned
      if (!write_all(fds[1], &committed, sizeof committed)) ::_exit(4);
    }
  }
  ::close(fds[1]);
  std::set<std::int64_t> committed;
  std::int64_t id = 0;
  while (committed.size() < 300 && ::read(fds[0], &id, sizeof id) == static_cast<ssize_t>(sizeof id)) {
    committed.insert(id);
  }
  ASSERT_EQ(committed.size(), 300u) << "the child stopped early";
  kill_and_reap(child);
  while (::read(fds[0], &id, sizeof id) == static_cast<ssize_t>(sizeof id)) committed.insert(id);
  ::close(fds[0]);

  auto store = Store::open(db_path);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(integrity(*store), "ok");
  auto messages = store->messages(conversation);
  ASSERT_TRUE(messages);
  std::set<std::int64_t> present;
  for (const auto& m : *messages) present.insert(m.id);
  for (auto c : committed) EXPECT_TRUE(present.count(c)) << "message " << c << " was committed but is gone";
  // The search index moved with the messages (same transactions).
  EXPECT_EQ(*store->db().query_int64("SELECT count(*) FROM messages_fts"),
            *store->db().query_int64("SELECT count(*) FROM messages"));
  EXPECT_EQ(store->search_messages("매출", 100000)->size(), messages->size());
}

}  // namespace
}  // namespace tally::data
