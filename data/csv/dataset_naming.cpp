#include "dataset_naming.h"

#include <sqlite3.h>

#include <algorithm>

namespace tally::data {

namespace {

bool is_hangul_syllable(std::string_view s, std::size_t i) {
  // U+AC00..U+D7A3 are EA B0 80 .. ED 9E A3 in UTF-8.
  if (i + 3 > s.size()) return false;
  const auto b0 = static_cast<unsigned char>(s[i]), b1 = static_cast<unsigned char>(s[i + 1]),
             b2 = static_cast<unsigned char>(s[i + 2]);
  if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return false;
  const char32_t cp = (char32_t{b0 & 0x0Fu} << 12) | (char32_t{b1 & 0x3Fu} << 6) | (b2 & 0x3Fu);
  return b0 >= 0xE0 && b0 <= 0xEF && cp >= 0xAC00 && cp <= 0xD7A3;
}

bool is_reserved(const std::string& name) {
  static const std::set<std::string> kStoreTables{
      "settings", "conversations", "messages", "datasets", "dataset_columns", "documents", "audit_log",
      "messages_fts", "documents_fts", "rowid", "oid", "_rowid_"};
  if (kStoreTables.count(name) || name.rfind("sqlite_", 0) == 0) return true;
  if (name.rfind("messages_fts", 0) == 0 || name.rfind("documents_fts", 0) == 0) return true;  // FTS shadows
  return sqlite3_keyword_check(name.data(), static_cast<int>(name.size())) != 0;
}

Result<bool> table_exists(const Database& db, const std::string& name) {
  auto q = db.prepare("SELECT 1 FROM sqlite_master WHERE lower(name) = lower(?1)");
  if (!q) return q.error();
  q->bind(1, name);
  return q->step();
}

}  // namespace

std::string safe_identifier(std::string_view text) {
  std::string out;
  bool pending_sep = false;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (pending_sep && !out.empty()) out.push_back('_');
      pending_sep = false;
      out.push_back(c);
      ++i;
    } else if (c >= 'A' && c <= 'Z') {
      if (pending_sep && !out.empty()) out.push_back('_');
      pending_sep = false;
      out.push_back(static_cast<char>(c - 'A' + 'a'));
      ++i;
    } else if (is_hangul_syllable(text, i)) {
      if (pending_sep && !out.empty()) out.push_back('_');
      pending_sep = false;
      out.append(text.substr(i, 3));
      i += 3;
    } else {
      pending_sep = true;  // runs of anything else become one '_'
      ++i;
    }
  }
  if (out.size() > 60) {
    out.resize(60);
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();  // a cut lead byte
  }
  if (!out.empty() && out[0] >= '0' && out[0] <= '9') out.insert(0, "t_");
  return out;
}

Result<std::string> unique_table_name(const Database& db, std::string_view dataset_name) {
  std::string base = safe_identifier(dataset_name);
  if (base.empty()) base = "dataset";
  if (is_reserved(base)) base += "_data";
  for (int n = 1; n < 100000; ++n) {
    const std::string candidate = n == 1 ? base : base + "_" + std::to_string(n);
    auto exists = table_exists(db, candidate);
    if (!exists) return exists.error();
    if (!*exists) return candidate;
  }
  return make_error("no free table name for dataset '" + std::string(dataset_name) + "'");
}

Result<std::string> unique_dataset_name(const Database& db, const std::string& wanted) {
  auto q = db.prepare("SELECT 1 FROM datasets WHERE name = ?1");
  if (!q) return q.error();
  for (int n = 1; n < 100000; ++n) {
    const std::string candidate = n == 1 ? wanted : wanted + " (" + std::to_string(n) + ")";
    q->reset();
    q->bind(1, candidate);
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return candidate;
  }
  return make_error("no free dataset name for '" + wanted + "'");
}

std::vector<std::string> column_sql_names(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  std::set<std::string> used;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string base = safe_identifier(names[i]);
    if (base.empty()) base = "column_" + std::to_string(i + 1);
    if (is_reserved(base)) base += "_";
    std::string candidate = base;
    for (int n = 2; used.count(candidate); ++n) candidate = base + "_" + std::to_string(n);
    used.insert(candidate);
    out.push_back(candidate);
  }
  return out;
}

}  // namespace tally::data
