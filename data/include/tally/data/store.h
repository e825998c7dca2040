#pragma once
// The user's store: one SQLite file per profile holding conversations, messages, datasets, documents, the audit
// log and settings. Opening migrates the file to the current schema. One Store (connection) per thread.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tally/data/database.h"
#include "tally/data/records.h"
#include "tally/data/result.h"

namespace tally::data {

// Where the profile's store lives: $XDG_DATA_HOME/Tally/tally.db, else ~/.local/share/Tally/tally.db;
// %APPDATA%\Tally\tally.db on Windows. "" when no home directory is known.
std::string default_store_path();

class Store {
 public:
  // Opens (creating the file and its folder when missing) and migrates to the current schema version.
  static Result<Store> open(const std::string& path);

  Database& db() { return db_; }
  const Database& db() const { return db_; }
  Result<int> schema_version() const;

  // Settings: a small key/value table.
  Result<std::optional<std::string>> setting(const std::string& key) const;
  Status set_setting(const std::string& key, const std::string& value);
  Status remove_setting(const std::string& key);

  // Conversations, newest (last updated) first.
  Result<std::int64_t> create_conversation(const NewConversation& c);
  Result<std::vector<Conversation>> list_conversations() const;
  Result<Conversation> conversation(std::int64_t id) const;
  Status rename_conversation(std::int64_t id, const std::string& title);
  Status delete_conversation(std::int64_t id);  // its messages go with it

  // Messages of a conversation in the order they were added; appending touches the conversation's updated_at.
  Result<std::int64_t> append_message(const NewMessage& m);
  Result<std::vector<Message>> messages(std::int64_t conversation_id) const;
  Result<Message> message(std::int64_t id) const;
  // Replaces the content while a reply streams in (keeps the search index in step).
  Status update_message_content(std::int64_t id, const std::string& content);
  Status set_message_stats(std::int64_t id, const MessageStats& stats);
  Status delete_message(std::int64_t id);  // and its replies (branches below it)

  // Datasets (created by the importers, see csv_import.h).
  Result<std::vector<Dataset>> list_datasets() const;
  Result<Dataset> dataset(std::int64_t id) const;
  Result<std::optional<Dataset>> dataset_by_hash(const std::string& sha256_hex) const;
  Result<std::vector<DatasetColumn>> dataset_columns(std::int64_t dataset_id) const;
  Status rename_dataset(std::int64_t id, const std::string& name);
  Status delete_dataset(std::int64_t id);  // drops its rows table too

  // Documents.
  Result<std::int64_t> add_document(const NewDocument& d);
  Result<std::vector<Document>> list_documents() const;  // newest first, content included
  Result<Document> document(std::int64_t id) const;
  Status delete_document(std::int64_t id);

  // Audit log: one row per tool call.
  Result<std::int64_t> log_tool_call(const AuditEntry& e);
  Result<std::vector<AuditEntry>> audit_log(std::optional<std::int64_t> conversation_id, int limit = 100) const;

  // Full-text search (Korean-aware: two-syllable words match inside longer ones). Best matches first.
  Result<std::vector<SearchHit>> search_messages(const std::string& query, int limit = 50) const;
  Result<std::vector<SearchHit>> search_documents(const std::string& query, int limit = 50) const;

 private:
  explicit Store(Database db) : db_(std::move(db)) {}
  Database db_;
};

}  // namespace tally::data
