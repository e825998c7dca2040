#pragma once
// Plain rows of the store's tables, as the app reads and writes them (see data/store/schema_v1.h for the columns).
#include <cstdint>
#include <optional>
#include <string>

namespace tally::data {

struct Conversation {
  std::int64_t id = 0;
  std::string title;
  std::string created_at;  // ISO 8601 UTC with milliseconds
  std::string updated_at;
  std::string model;
  std::string settings = "{}";  // JSON
};

struct NewConversation {
  std::string title;
  std::string model;
  std::string settings = "{}";
};

// Generation statistics, filled once an assistant message is complete.
struct MessageStats {
  std::optional<std::int64_t> prompt_tokens;
  std::optional<std::int64_t> completion_tokens;
  std::optional<double> time_to_first_token_ms;
  std::optional<double> tokens_per_second;
  std::optional<double> duration_ms;
};

struct NewMessage {
  std::int64_t conversation_id = 0;
  std::optional<std::int64_t> parent_id;  // the message this one answers or edits (branches share a parent)
  std::string role;                        // system, developer, user, assistant, tool
  std::optional<std::string> author_name;
  std::optional<std::string> channel;      // harmony channel: analysis, commentary, final
  std::optional<std::string> recipient;
  std::optional<std::string> content_type;
  std::string content;
};

struct Message {
  std::int64_t id = 0;
  std::int64_t conversation_id = 0;
  std::optional<std::int64_t> parent_id;
  std::string role;
  std::optional<std::string> author_name;
  std::optional<std::string> channel;
  std::optional<std::string> recipient;
  std::optional<std::string> content_type;
  std::string content;
  MessageStats stats;
  std::string created_at;
};

struct Dataset {
  std::int64_t id = 0;
  std::string name;
  std::string table_name;
  std::string source_path;
  std::string file_hash;  // SHA-256 of the file's bytes, lowercase hex
  std::string imported_at;
  std::int64_t row_count = 0;
  std::string encoding;
  std::string delimiter;
  std::string import_report = "{}";  // JSON
};

struct DatasetColumn {
  int ordinal = 0;
  std::string name;      // as in the file's header
  std::string sql_name;  // column name in the dataset's table
  std::string type;      // integer, decimal, percent, currency, boolean, date, month, datetime, text
  std::string unit;      // KRW, USD, EUR, JPY, GBP, % or ""
};

struct NewDocument {
  std::string title;
  std::string source_path;
  std::string format = "text";
  std::string content;
};

struct Document {
  std::int64_t id = 0;
  std::string title;
  std::string source_path;
  std::string format;
  std::string content;
  std::string created_at;
};

struct AuditEntry {
  std::int64_t id = 0;  // ignored when logging
  std::string at;       // ignored when logging (the store stamps it)
  std::optional<std::int64_t> conversation_id;
  std::string tool;
  std::string arguments;  // JSON
  std::string result_summary;
  double duration_ms = 0;
  std::optional<std::string> error;
};

// One full-text hit; `snippet` marks the match with [ ] around it.
struct SearchHit {
  std::int64_t id = 0;               // message id or document id
  std::int64_t conversation_id = 0;  // messages only
  std::string snippet;
};

}  // namespace tally::data
