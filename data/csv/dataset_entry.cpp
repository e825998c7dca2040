#include "dataset_entry.h"

#include <filesystem>

#include "dataset_naming.h"
#include "tally/data/column_chunks.h"

namespace tally::data {

namespace {

Status insert_catalog(const Database& db, ImportOutcome& out, const std::string& path, const std::string& delimiter) {
  auto ds = db.prepare(
      "INSERT INTO datasets(name, table_name, source_path, file_hash, encoding, delimiter) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!ds) return ds.error();
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(path, ec);
  ds->bind(1, out.dataset_name).bind(2, out.table_name).bind(3, ec ? path : absolute.string());
  ds->bind(4, out.sha256).bind(5, out.encoding).bind(6, delimiter);
  if (auto s = ds->run(); !s) return s;
  out.dataset_id = db.last_insert_rowid();
  auto col = db.prepare(
      "INSERT INTO dataset_columns(dataset_id, ordinal, name, sql_name, type, unit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!col) return col.error();
  for (std::size_t i = 0; i < out.columns.size(); ++i) {
    const auto& c = out.columns[i];
    col->bind(1, out.dataset_id).bind(2, static_cast<std::int64_t>(i)).bind(3, c.name).bind(4, c.sql_name);
    col->bind(5, column_type_name(c.type)).bind(6, c.unit);
    if (auto s = col->run(); !s) return s;
  }
  return {};
}

}  // namespace

Result<bool> take_earlier_import(const Store& store, ImportOutcome& out) {
  auto earlier = store.dataset_by_hash(out.sha256);
  if (!earlier) return earlier.error();
  if (!*earlier) return false;
  out.status = ImportStatus::AlreadyImported;
  out.dataset_id = (*earlier)->id;
  out.dataset_name = (*earlier)->name;
  out.table_name = (*earlier)->table_name;
  return true;
}

Result<DatasetEntry> DatasetEntry::begin(const Database& db, ImportOutcome& out, const std::string& wanted,
                                         const std::string& path, const std::string& delimiter) {
  auto tx = Transaction::begin(db);
  if (!tx) return tx.error();
  auto name = unique_dataset_name(db, wanted);
  if (!name) return name.error();
  out.dataset_name = *name;
  auto table = unique_table_name(db, out.dataset_name);
  if (!table) return table.error();
  out.table_name = *table;
  if (auto s = insert_catalog(db, out, path, delimiter); !s) return s.error();
  return DatasetEntry(db, std::move(*tx));
}

Status DatasetEntry::commit(ImportOutcome& out, const std::string& path) {
  if (auto s = build_column_chunks(db_->handle(), out.dataset_id, out.table_name, static_cast<int>(out.columns.size()));
      !s) {
    return make_error(path + ": " + s.error().message);
  }
  auto update = db_->prepare("UPDATE datasets SET row_count = ?2, import_report = ?3 WHERE id = ?1");
  if (!update) return update.error();
  update->bind(1, out.dataset_id).bind(2, out.report.rows).bind(3, out.report.to_json());
  if (auto s = update->run(); !s) return s.error();
  if (auto s = tx_.commit(); !s) return s.error();
  out.status = ImportStatus::Imported;
  return {};
}

void DatasetEntry::cancel(ImportOutcome& out) {
  tx_.rollback();
  out.status = ImportStatus::Cancelled;
  out.report = ImportReport{};
  out.dataset_id = 0;
}

}  // namespace tally::data
