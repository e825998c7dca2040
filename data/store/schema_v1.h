#pragma once
// Schema version 1 of the user's store. Later versions are added as further migration steps (never edit a
// released step: old files upgrade in place by running the steps after their user_version).
//
// Contract shared by the store, the importers and the analysis tools:
// - Each dataset's rows live in their own table named datasets.table_name (a safe SQL identifier derived from the
//   dataset name, e.g. "sales_monthly"), with one column per dataset column, named dataset_columns.sql_name.
// - dataset_columns.type is one of: integer, decimal, percent, currency, boolean, date, month, datetime, text.
//   Storage: integer/boolean -> INTEGER (boolean 0/1); decimal/percent/currency -> REAL (the number as written:
//   "12.5%" stores 12.5 with unit "%", "₩1,200" stores 1200 with unit "KRW"); date -> TEXT 'YYYY-MM-DD';
//   month -> TEXT 'YYYY-MM'; datetime -> TEXT 'YYYY-MM-DD HH:MM:SS'; text -> TEXT exactly as in the file.
//   Empty cells are NULL.
// - audit_log gets one row per tool call.
namespace tally::data::schema {

inline constexpr const char* kV1 = R"SQL(
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE conversations (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  model TEXT NOT NULL DEFAULT '',
  settings TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  author_name TEXT,
  channel TEXT,
  recipient TEXT,
  content_type TEXT,
  content TEXT NOT NULL DEFAULT '',
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  time_to_first_token_ms REAL,
  tokens_per_second REAL,
  duration_ms REAL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  table_name TEXT NOT NULL UNIQUE,
  source_path TEXT NOT NULL DEFAULT '',
  file_hash TEXT NOT NULL DEFAULT '',
  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  row_count INTEGER NOT NULL DEFAULT 0,
  encoding TEXT NOT NULL DEFAULT '',
  delimiter TEXT NOT NULL DEFAULT '',
  import_report TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE dataset_columns (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  name TEXT NOT NULL,
  sql_name TEXT NOT NULL,
  type TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (dataset_id, ordinal)
);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  source_path TEXT NOT NULL DEFAULT '',
  format TEXT NOT NULL DEFAULT 'text',
  content TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  conversation_id INTEGER,
  tool TEXT NOT NULL,
  arguments TEXT NOT NULL,
  result_summary TEXT NOT NULL DEFAULT '',
  duration_ms REAL NOT NULL DEFAULT 0,
  error TEXT
);
)SQL";

}  // namespace tally::data::schema
