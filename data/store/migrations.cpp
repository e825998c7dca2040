#include "migrations.h"

#include <string>

#include "schema_v1.h"
#include "schema_v3.h"
#include "tally/data/column_chunks.h"
#include "tally/data/text_search.h"

namespace tally::data {

namespace {

// v2: Korean-aware full-text search over messages and documents (rows keep their message/document id as rowid;
// the store writes the indexed text, the triggers drop rows when a message or document goes, including cascades),
// and the indexes that re-import detection and branch deletion need.
constexpr const char* kV2 = R"SQL(
CREATE VIRTUAL TABLE messages_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE documents_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
  DELETE FROM messages_fts WHERE rowid = old.id;
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
  DELETE FROM documents_fts WHERE rowid = old.id;
END;
CREATE INDEX datasets_by_hash ON datasets(file_hash);
CREATE INDEX messages_by_parent ON messages(parent_id);
CREATE INDEX conversations_by_update ON conversations(updated_at);
)SQL";


Status backfill_index(const Database& db, const char* source, const char* fts) {
  auto select = db.prepare(std::string("SELECT id, content FROM ") + source);
  if (!select) return select.error();
  auto insert = db.prepare(std::string("INSERT INTO ") + fts + "(rowid, body) VALUES (?1, ?2)");
  if (!insert) return insert.error();
  for (;;) {
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) break;
    insert->bind(1, select->column_int64(0)).bind(2, fts_index_text(select->column_text(1)));
    if (auto s = insert->run(); !s) return s;
  }
  return {};
}

Status backfill_v2(const Database& db) {
  if (auto s = backfill_index(db, "messages", "messages_fts"); !s) return s;
  return backfill_index(db, "documents", "documents_fts");
}

// Datasets imported before v3 get their chunks here, so every dataset answers aggregations from them.
Status backfill_v3(const Database& db) {
  auto datasets = db.prepare(
      "SELECT d.id, d.table_name, (SELECT COUNT(*) FROM dataset_columns c WHERE c.dataset_id = d.id) FROM datasets d");
  if (!datasets) return datasets.error();
  for (;;) {
    auto row = datasets->step();
    if (!row) return row.error();
    if (!*row) break;
    if (auto s = build_column_chunks(db.handle(), datasets->column_int64(0), datasets->column_text(1),
                                     static_cast<int>(datasets->column_int64(2)));
        !s)
      return make_error("building column chunks of dataset " + datasets->column_text(1) + ": " + s.error().message);
  }
  return {};
}

struct Step {
  int version;
  const char* sql;
  Status (*after)(const Database&);
};

constexpr Step kSteps[] = {
    {1, schema::kV1, nullptr},
    {2, kV2, &backfill_v2},
    {3, schema::kV3, &backfill_v3},
};
static_assert(sizeof(kSteps) / sizeof(kSteps[0]) == kSchemaVersion, "one step per schema version");

}  // namespace

Status migrate(const Database& db) {
  auto current = db.query_int64("PRAGMA user_version");
  if (!current) return current.error();
  if (*current > kSchemaVersion) {
    return make_error("store '" + db.path() + "' has schema version " + std::to_string(*current) +
                      ", newer than this Tally understands (" + std::to_string(kSchemaVersion) + ")");
  }
  for (const Step& step : kSteps) {
    if (step.version <= *current) continue;
    auto tx = Transaction::begin(db);
    if (!tx) return tx.error();
    // A crash between the steps leaves a consistent earlier version: the next open continues from there.
    if (auto s = db.exec_script(step.sql); !s) return s;
    if (step.after) {
      if (auto s = step.after(db); !s) {
        return make_error("migration to schema v" + std::to_string(step.version) + " failed: " + s.error().message);
      }
    }
    // The version is our own constant, not a value from outside: composing it into the pragma is safe.
    if (auto s = db.exec("PRAGMA user_version = " + std::to_string(step.version)); !s) return s;
    if (auto s = tx->commit(); !s) return s;
  }
  return {};
}

}  // namespace tally::data
