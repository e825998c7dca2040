#include "tally/data/store.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "migrations.h"
#include "tally/data/text_search.h"

namespace tally::data {

std::string default_store_path() {
  namespace fs = std::filesystem;
#ifdef _WIN32
  if (const char* appdata = std::getenv("APPDATA"); appdata && *appdata) {
    return (fs::path(appdata) / "Tally" / "tally.db").string();
  }
  return {};
#else
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg && fs::path(xdg).is_absolute()) {
    return (fs::path(xdg) / "Tally" / "tally.db").string();
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return (fs::path(home) / ".local" / "share" / "Tally" / "tally.db").string();
  }
  return {};
#endif
}

Result<Store> Store::open(const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) return make_error("no store path given");
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) return make_error("cannot create folder '" + parent.string() + "': " + ec.message());
  }
  auto db = Database::open(path);
  if (!db) return db.error();
  if (auto s = migrate(*db); !s) return s.error();
  return Store(std::move(*db));
}

Result<int> Store::schema_version() const {
  auto v = db_.query_int64("PRAGMA user_version");
  if (!v) return v.error();
  return static_cast<int>(*v);
}

// ---- settings

Result<std::optional<std::string>> Store::setting(const std::string& key) const {
  auto q = db_.prepare("SELECT value FROM settings WHERE key = ?1");
  if (!q) return q.error();
  q->bind(1, key);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(q->column_text(0));
}

Status Store::set_setting(const std::string& key, const std::string& value) {
  auto q = db_.prepare("INSERT INTO settings(key, value) VALUES (?1, ?2) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!q) return q.error();
  q->bind(1, key).bind(2, value);
  return q->run();
}

Status Store::remove_setting(const std::string& key) {
  auto q = db_.prepare("DELETE FROM settings WHERE key = ?1");
  if (!q) return q.error();
  q->bind(1, key);
  return q->run();
}

// ---- conversations

namespace {

constexpr const char* kConversationColumns = "SELECT id, title, created_at, updated_at, model, settings FROM conversations";

Conversation read_conversation(const Statement& q) {
  return Conversation{q.column_int64(0), q.column_text(1), q.column_text(2),
                      q.column_text(3),  q.column_text(4), q.column_text(5)};
}

constexpr const char* kMessageColumns =
    "SELECT id, conversation_id, parent_id, role, author_name, channel, recipient, content_type, content, "
    "prompt_tokens, completion_tokens, time_to_first_token_ms, tokens_per_second, duration_ms, created_at "
    "FROM messages";

Message read_message(const Statement& q) {
  Message m;
  m.id = q.column_int64(0);
  m.conversation_id = q.column_int64(1);
  m.parent_id = q.column_optional_int64(2);
  m.role = q.column_text(3);
  m.author_name = q.column_optional_text(4);
  m.channel = q.column_optional_text(5);
  m.recipient = q.column_optional_text(6);
  m.content_type = q.column_optional_text(7);
  m.content = q.column_text(8);
  m.stats.prompt_tokens = q.column_optional_int64(9);
  m.stats.completion_tokens = q.column_optional_int64(10);
  m.stats.time_to_first_token_ms = q.column_optional_double(11);
  m.stats.tokens_per_second = q.column_optional_double(12);
  m.stats.duration_ms = q.column_optional_double(13);
  m.created_at = q.column_text(14);
  return m;
}

// An UPDATE/DELETE by id that touched nothing names the missing row.
Status expect_changed(const Database& db, const char* what, std::int64_t id) {
  if (db.changes() == 0) return make_error(std::string(what) + " " + std::to_string(id) + " does not exist");
  return {};
}

Status write_fts(const Database& db, const char* table, std::int64_t id, const std::string& text) {
  auto del = db.prepare(std::string("DELETE FROM ") + table + " WHERE rowid = ?1");
  if (!del) return del.error();
  del->bind(1, id);
  if (auto s = del->run(); !s) return s;
  auto ins = db.prepare(std::string("INSERT INTO ") + table + "(rowid, body) VALUES (?1, ?2)");
  if (!ins) return ins.error();
  ins->bind(1, id).bind(2, fts_index_text(text));
  return ins->run();
}

}  // namespace

Result<std::int64_t> Store::create_conversation(const NewConversation& c) {
  auto q = db_.prepare("INSERT INTO conversations(title, model, settings) VALUES (?1, ?2, ?3)");
  if (!q) return q.error();
  q->bind(1, c.title).bind(2, c.model).bind(3, c.settings);
  if (auto s = q->run(); !s) return s.error();
  return db_.last_insert_rowid();
}

Result<std::vector<Conversation>> Store::list_conversations() const {
  auto q = db_.prepare(std::string(kConversationColumns) + " ORDER BY updated_at DESC, id DESC");
  if (!q) return q.error();
  std::vector<Conversation> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(read_conversation(*q));
  }
  return out;
}

Result<Conversation> Store::conversation(std::int64_t id) const {
  auto q = db_.prepare(std::string(kConversationColumns) + " WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return make_error("conversation " + std::to_string(id) + " does not exist");
  return read_conversation(*q);
}

Status Store::rename_conversation(std::int64_t id, const std::string& title) {
  auto q = db_.prepare("UPDATE conversations SET title = ?2 WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id).bind(2, title);
  if (auto s = q->run(); !s) return s;
  return expect_changed(db_, "conversation", id);
}

Status Store::delete_conversation(std::int64_t id) {
  auto q = db_.prepare("DELETE FROM conversations WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id);
  if (auto s = q->run(); !s) return s;
  return expect_changed(db_, "conversation", id);
}

// ---- messages

Result<std::int64_t> Store::append_message(const NewMessage& m) {
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.error();
  auto q = db_.prepare(
      "INSERT INTO messages(conversation_id, parent_id, role, author_name, channel, recipient, content_type, content) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!q) return q.error();
  q->bind(1, m.conversation_id).bind(2, m.parent_id).bind(3, m.role).bind(4, m.author_name);
  q->bind(5, m.channel).bind(6, m.recipient).bind(7, m.content_type).bind(8, m.content);
  if (auto s = q->run(); !s) return s.error();
  const std::int64_t id = db_.last_insert_rowid();
  if (auto s = write_fts(db_, "messages_fts", id, m.content); !s) return s.error();
  auto touch = db_.prepare(
      "UPDATE conversations SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?1");
  if (!touch) return touch.error();
  touch->bind(1, m.conversation_id);
  if (auto s = touch->run(); !s) return s.error();
  if (auto s = tx->commit(); !s) return s.error();
  return id;
}

Result<std::vector<Message>> Store::messages(std::int64_t conversation_id) const {
  auto q = db_.prepare(std::string(kMessageColumns) + " WHERE conversation_id = ?1 ORDER BY id");
  if (!q) return q.error();
  q->bind(1, conversation_id);
  std::vector<Message> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(read_message(*q));
  }
  return out;
}

Result<Message> Store::message(std::int64_t id) const {
  auto q = db_.prepare(std::string(kMessageColumns) + " WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return make_error("message " + std::to_string(id) + " does not exist");
  return read_message(*q);
}

Status Store::update_message_content(std::int64_t id, const std::string& content) {
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.error();
  auto q = db_.prepare("UPDATE messages SET content = ?2 WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id).bind(2, content);
  if (auto s = q->run(); !s) return s;
  if (auto s = expect_changed(db_, "message", id); !s) return s;
  if (auto s = write_fts(db_, "messages_fts", id, content); !s) return s;
  return tx->commit();
}

Status Store::set_message_stats(std::int64_t id, const MessageStats& st) {
  auto q = db_.prepare(
      "UPDATE messages SET prompt_tokens = ?2, completion_tokens = ?3, time_to_first_token_ms = ?4, "
      "tokens_per_second = ?5, duration_ms = ?6 WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id).bind(2, st.prompt_tokens).bind(3, st.completion_tokens).bind(4, st.time_to_first_token_ms);
  q->bind(5, st.tokens_per_second).bind(6, st.duration_ms);
  if (auto s = q->run(); !s) return s;
  return expect_changed(db_, "message", id);
}

Status Store::delete_message(std::int64_t id) {
  auto q = db_.prepare("DELETE FROM messages WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id);
  if (auto s = q->run(); !s) return s;
  return expect_changed(db_, "message", id);
}

}  // namespace tally::data
