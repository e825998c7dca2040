#pragma once
// A column-wise copy of each imported dataset, written once at import (datasets are never edited afterwards), so
// aggregations read only the columns they need, as compact arrays, instead of decoding every row through SQLite:
// that is what brings a million-row group-by from ~0.5 s to tens of milliseconds on two cores. The rows table stays
// the record; the chunks are derived from it (build_column_chunks reads the table back) and go with the dataset
// (ON DELETE CASCADE). Tools fall back to scanning the rows table when a dataset has no chunks.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tally/data/result.h"

struct sqlite3;

namespace tally::data {

inline constexpr std::uint32_t kColumnChunkRows = 65536;

enum class CellTag : std::uint8_t { Null = 0, Integer = 1, Real = 2, Text = 3 };

// Rows [first_rowid, first_rowid + rows) of one column, in rowid order (imported tables have dense rowids).
struct ColumnChunk {
  std::int64_t first_rowid = 1;
  std::uint32_t rows = 0;
  std::vector<CellTag> tags;          // one per row
  std::vector<std::int64_t> integers; // one per row when any cell is Integer (else empty)
  std::vector<double> reals;          // one per row when any cell is Real (else empty)
  std::vector<std::uint32_t> codes;   // one per row when any cell is Text: index into dict
  std::vector<std::string> dict;      // this chunk's distinct texts, first-seen order

  // Integer or Real as a double; callers check the tag first.
  double number(std::size_t i) const {
    return tags[i] == CellTag::Integer ? static_cast<double>(integers[i]) : reals[i];
  }
};

std::string encode_column_chunk(const ColumnChunk& chunk);
// Checks every length and code against the blob: a damaged blob is an error, never an out-of-bounds read.
Result<ColumnChunk> decode_column_chunk(std::span<const std::uint8_t> blob);

// Reads `table` (all `columns` of dataset `dataset_id`) and writes its chunks, replacing any it had. Run inside the
// import's transaction so a failed import leaves neither rows nor chunks.
Status build_column_chunks(sqlite3* db, std::int64_t dataset_id, const std::string& table, int columns);

}  // namespace tally::data
