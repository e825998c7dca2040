// The store's catalog side: datasets, documents, the audit log and full-text search.
#include <algorithm>
#include <cctype>

#include "tally/data/store.h"
#include "tally/data/text_search.h"
#include "utf8_walk.h"

namespace tally::data {

namespace {

constexpr const char* kDatasetColumns =
    "SELECT id, name, table_name, source_path, file_hash, imported_at, row_count, encoding, delimiter, import_report "
    "FROM datasets";

Dataset read_dataset(const Statement& q) {
  Dataset d;
  d.id = q.column_int64(0);
  d.name = q.column_text(1);
  d.table_name = q.column_text(2);
  d.source_path = q.column_text(3);
  d.file_hash = q.column_text(4);
  d.imported_at = q.column_text(5);
  d.row_count = q.column_int64(6);
  d.encoding = q.column_text(7);
  d.delimiter = q.column_text(8);
  d.import_report = q.column_text(9);
  return d;
}

Document read_document(const Statement& q) {
  return Document{q.column_int64(0), q.column_text(1), q.column_text(2),
                  q.column_text(3),  q.column_text(4), q.column_text(5)};
}

template <typename T, typename Read>
Result<std::vector<T>> collect(Statement& q, Read read) {
  std::vector<T> out;
  for (;;) {
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(read(q));
  }
  return out;
}

// Cuts ~`width` bytes of `content` around the first query term found (ASCII case-insensitively), on UTF-8
// character boundaries, with the term in [ ].
std::string make_snippet(const std::string& content, const std::string& query, std::size_t width = 80) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  const std::string hay = lower(content);
  std::size_t pos = std::string::npos, len = 0;
  std::size_t i = 0;
  while (i < query.size() && pos == std::string::npos) {
    while (i < query.size() && std::isspace(static_cast<unsigned char>(query[i]))) ++i;
    std::size_t start = i;
    while (i < query.size() && !std::isspace(static_cast<unsigned char>(query[i]))) ++i;
    if (i > start) {
      std::string term = lower(query.substr(start, i - start));
      pos = hay.find(term);
      len = term.size();
    }
  }
  auto boundary = [&](std::size_t p) {
    while (p > 0 && p < content.size() && (static_cast<unsigned char>(content[p]) & 0xC0) == 0x80) --p;
    return std::min(p, content.size());
  };
  if (pos == std::string::npos) return content.substr(0, boundary(std::min(width, content.size())));
  std::size_t from = boundary(pos > width / 2 ? pos - width / 2 : 0);
  std::size_t to = boundary(std::min(content.size(), pos + len + width / 2));
  return (from > 0 ? "…" : "") + content.substr(from, pos - from) + "[" + content.substr(pos, len) + "]" +
         content.substr(pos + len, to > pos + len ? to - pos - len : 0) + (to < content.size() ? "…" : "");
}

}  // namespace

// ---- datasets

Result<std::vector<Dataset>> Store::list_datasets() const {
  auto q = db_.prepare(std::string(kDatasetColumns) + " ORDER BY imported_at DESC, id DESC");
  if (!q) return q.error();
  return collect<Dataset>(*q, read_dataset);
}

Result<Dataset> Store::dataset(std::int64_t id) const {
  auto q = db_.prepare(std::string(kDatasetColumns) + " WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return make_error("dataset " + std::to_string(id) + " does not exist");
  return read_dataset(*q);
}

Result<std::optional<Dataset>> Store::dataset_by_hash(const std::string& sha256_hex) const {
  auto q = db_.prepare(std::string(kDatasetColumns) + " WHERE file_hash = ?1 ORDER BY id LIMIT 1");
  if (!q) return q.error();
  q->bind(1, sha256_hex);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<Dataset>();
  return std::optional<Dataset>(read_dataset(*q));
}

Result<std::vector<DatasetColumn>> Store::dataset_columns(std::int64_t dataset_id) const {
  auto q = db_.prepare(
      "SELECT ordinal, name, sql_name, type, unit FROM dataset_columns WHERE dataset_id = ?1 ORDER BY ordinal");
  if (!q) return q.error();
  q->bind(1, dataset_id);
  return collect<DatasetColumn>(*q, [](const Statement& s) {
    return DatasetColumn{static_cast<int>(s.column_int64(0)), s.column_text(1), s.column_text(2), s.column_text(3),
                         s.column_text(4)};
  });
}

Status Store::rename_dataset(std::int64_t id, const std::string& name) {
  auto q = db_.prepare("UPDATE datasets SET name = ?2 WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id).bind(2, name);
  if (auto s = q->run(); !s) return s;
  if (db_.changes() == 0) return make_error("dataset " + std::to_string(id) + " does not exist");
  return {};
}

Status Store::delete_dataset(std::int64_t id) {
  auto d = dataset(id);
  if (!d) return d.error();
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.error();
  if (auto s = db_.exec("DROP TABLE IF EXISTS " + quote_identifier(d->table_name)); !s) return s;
  auto q = db_.prepare("DELETE FROM datasets WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id);
  if (auto s = q->run(); !s) return s;
  return tx->commit();
}

// ---- documents

Result<std::int64_t> Store::add_document(const NewDocument& d) {
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.error();
  auto q = db_.prepare("INSERT INTO documents(title, source_path, format, content) VALUES (?1, ?2, ?3, ?4)");
  if (!q) return q.error();
  q->bind(1, d.title).bind(2, d.source_path).bind(3, d.format).bind(4, d.content);
  if (auto s = q->run(); !s) return s.error();
  const std::int64_t id = db_.last_insert_rowid();
  auto fts = db_.prepare("INSERT INTO documents_fts(rowid, body) VALUES (?1, ?2)");
  if (!fts) return fts.error();
  fts->bind(1, id).bind(2, fts_index_text(d.title + "\n" + d.content));
  if (auto s = fts->run(); !s) return s.error();
  if (auto s = tx->commit(); !s) return s.error();
  return id;
}

Result<std::vector<Document>> Store::list_documents() const {
  auto q = db_.prepare(
      "SELECT id, title, source_path, format, content, created_at FROM documents ORDER BY created_at DESC, id DESC");
  if (!q) return q.error();
  return collect<Document>(*q, read_document);
}

Result<Document> Store::document(std::int64_t id) const {
  auto q = db_.prepare("SELECT id, title, source_path, format, content, created_at FROM documents WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return make_error("document " + std::to_string(id) + " does not exist");
  return read_document(*q);
}

Status Store::delete_document(std::int64_t id) {
  auto q = db_.prepare("DELETE FROM documents WHERE id = ?1");
  if (!q) return q.error();
  q->bind(1, id);
  if (auto s = q->run(); !s) return s;
  if (db_.changes() == 0) return make_error("document " + std::to_string(id) + " does not exist");
  return {};
}

// ---- audit log

Result<std::int64_t> Store::log_tool_call(const AuditEntry& e) {
  auto q = db_.prepare(
      "INSERT INTO audit_log(conversation_id, tool, arguments, result_summary, duration_ms, error) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!q) return q.error();
  q->bind(1, e.conversation_id).bind(2, e.tool).bind(3, e.arguments).bind(4, e.result_summary);
  q->bind(5, e.duration_ms).bind(6, e.error);
  if (auto s = q->run(); !s) return s.error();
  return db_.last_insert_rowid();
}

Result<std::vector<AuditEntry>> Store::audit_log(std::optional<std::int64_t> conversation_id, int limit) const {
  auto q = db_.prepare(
      "SELECT id, at, conversation_id, tool, arguments, result_summary, duration_ms, error FROM audit_log "
      "WHERE ?1 IS NULL OR conversation_id = ?1 ORDER BY id DESC LIMIT ?2");
  if (!q) return q.error();
  q->bind(1, conversation_id).bind(2, static_cast<std::int64_t>(limit));
  return collect<AuditEntry>(*q, [](const Statement& s) {
    AuditEntry e;
    e.id = s.column_int64(0);
    e.at = s.column_text(1);
    e.conversation_id = s.column_optional_int64(2);
    e.tool = s.column_text(3);
    e.arguments = s.column_text(4);
    e.result_summary = s.column_text(5);
    e.duration_ms = s.column_double(6);
    e.error = s.column_optional_text(7);
    return e;
  });
}

// ---- search

Result<std::vector<SearchHit>> Store::search_messages(const std::string& query, int limit) const {
  const std::string match = fts_match_expression(query);
  if (match.empty()) return std::vector<SearchHit>{};
  auto q = db_.prepare(
      "SELECT m.id, m.conversation_id, m.content FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
      "WHERE messages_fts MATCH ?1 ORDER BY rank LIMIT ?2");
  if (!q) return q.error();
  q->bind(1, match).bind(2, static_cast<std::int64_t>(limit));
  return collect<SearchHit>(*q, [&](const Statement& s) {
    return SearchHit{s.column_int64(0), s.column_int64(1), make_snippet(s.column_text(2), query)};
  });
}

Result<std::vector<SearchHit>> Store::search_documents(const std::string& query, int limit) const {
  const std::string match = fts_match_expression(query);
  if (match.empty()) return std::vector<SearchHit>{};
  auto q = db_.prepare(
      "SELECT d.id, d.content FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
      "WHERE documents_fts MATCH ?1 ORDER BY rank LIMIT ?2");
  if (!q) return q.error();
  q->bind(1, match).bind(2, static_cast<std::int64_t>(limit));
  return collect<SearchHit>(*q, [&](const Statement& s) {
    return SearchHit{s.column_int64(0), 0, make_snippet(s.column_text(1), query)};
  });
}

}  // namespace tally::data
