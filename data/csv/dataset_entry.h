#pragma once
// The catalog side of an import, one for every importer (CSV, workbooks): an earlier import of the same bytes is
// reported instead of imported twice, and a new dataset is named, catalogued and filled inside one transaction, so
// a failed or cancelled import leaves nothing behind.
#include <string>

#include "tally/data/csv_import.h"
#include "tally/data/database.h"
#include "tally/data/store.h"

namespace tally::data {

// When `store` already holds a dataset imported from out.sha256, fills `out` with it (AlreadyImported, its id and
// names) and answers true.
Result<bool> take_earlier_import(const Store& store, ImportOutcome& out);

class DatasetEntry {
 public:
  // Begins the transaction, names the dataset (`wanted`, made unique) and its rows table, and writes its datasets
  // row (source `path`, out.sha256, out.encoding, `delimiter` as the catalog spells it) and one dataset_columns row
  // per out.columns entry. Sets out.dataset_name, out.table_name and out.dataset_id.
  static Result<DatasetEntry> begin(const Database& db, ImportOutcome& out, const std::string& wanted,
                                    const std::string& path, const std::string& delimiter);

  // After the rows are written: builds the column chunks, records the row count and the report, and commits;
  // `out` says Imported. Chunk errors name `path`.
  Status commit(ImportOutcome& out, const std::string& path);
  // Rolls everything back; `out` says Cancelled and keeps no report or id.
  void cancel(ImportOutcome& out);

 private:
  DatasetEntry(const Database& db, Transaction tx) : db_(&db), tx_(std::move(tx)) {}
  const Database* db_;
  Transaction tx_;
};

}  // namespace tally::data
