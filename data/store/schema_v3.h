#pragma once
// Schema v3: the column-wise copy of each dataset (tally/data/column_chunks.h). A contract like schema_v1.h: a
// store written by this version has exactly this table.
namespace tally::data::schema {

inline constexpr const char* kV3 = R"SQL(
CREATE TABLE dataset_column_chunks (
  id          INTEGER PRIMARY KEY,
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  chunk       INTEGER NOT NULL,
  first_rowid INTEGER NOT NULL,
  rows        INTEGER NOT NULL,
  data        BLOB NOT NULL,
  UNIQUE (dataset_id, ordinal, chunk)
);
)SQL";

}  // namespace tally::data::schema
