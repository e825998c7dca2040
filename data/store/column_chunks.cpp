#include "tally/data/column_chunks.h"

#include <sqlite3.h>

#include <cstring>
#include <string_view>
#include <unordered_map>

#include "tally/data/statement.h"

namespace tally::data {

namespace {

constexpr std::uint32_t kMagic = 0x31435754;  // "TWC1"
enum Arrays : std::uint8_t { kHasIntegers = 1, kHasReals = 2, kHasText = 4 };

template <typename T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
void put_array(std::string& out, const std::vector<T>& v) {
  out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

class BlobReader {
 public:
  explicit BlobReader(std::span<const std::uint8_t> b) : b_(b) {}
  template <typename T>
  bool get(T& v) {
    if (b_.size() - pos_ < sizeof v) return false;
    std::memcpy(&v, b_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return true;
  }
  template <typename T>
  bool get_array(std::vector<T>& v, std::size_t n) {
    if ((b_.size() - pos_) / sizeof(T) < n) return false;
    v.resize(n);
    std::memcpy(v.data(), b_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  bool get_text(std::string& s, std::size_t n) {
    if (b_.size() - pos_ < n) return false;
    s.assign(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == b_.size(); }

 private:
  std::span<const std::uint8_t> b_;
  std::size_t pos_ = 0;
};

// Accumulates one column's chunk while the table is read back.
struct ChunkBuilder {
  ColumnChunk chunk;
  // Keys view the chunk's own dict strings: dict is reserved for a whole chunk before the first text, so its strings
  // never move while the chunk is built (one allocation per distinct text, not two).
  std::unordered_map<std::string_view, std::uint32_t> index;
  std::uint8_t arrays = 0;

  void start(std::int64_t first_rowid) {
    chunk = ColumnChunk{};
    chunk.first_rowid = first_rowid;
    chunk.tags.reserve(kColumnChunkRows);
    index.clear();
    arrays = 0;
  }

  void add(sqlite3_stmt* st, int col) {
    const std::size_t i = chunk.tags.size();
    switch (sqlite3_column_type(st, col)) {
      case SQLITE_INTEGER:
        if (!(arrays & kHasIntegers)) chunk.integers.assign(kColumnChunkRows, 0);
        chunk.tags.push_back(CellTag::Integer);
        chunk.integers[i] = sqlite3_column_int64(st, col);
        arrays |= kHasIntegers;
        break;
      case SQLITE_FLOAT:
        if (!(arrays & kHasReals)) chunk.reals.assign(kColumnChunkRows, 0.0);
        chunk.tags.push_back(CellTag::Real);
        chunk.reals[i] = sqlite3_column_double(st, col);
        arrays |= kHasReals;
        break;
      case SQLITE_NULL: chunk.tags.push_back(CellTag::Null); break;
      default: {  // text (and blobs, which imports never write, kept as their bytes)
        const auto* p = static_cast<const char*>(sqlite3_column_blob(st, col));
        const std::string_view s(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, col)));
        if (!(arrays & kHasText)) {
          chunk.codes.assign(kColumnChunkRows, 0);
          chunk.dict.reserve(kColumnChunkRows);
        }
        auto it = index.find(s);
        if (it == index.end()) {
          chunk.dict.emplace_back(s);
          it = index.emplace(chunk.dict.back(), static_cast<std::uint32_t>(chunk.dict.size() - 1)).first;
        }
        chunk.tags.push_back(CellTag::Text);
        chunk.codes[i] = it->second;
        arrays |= kHasText;
      }
    }
  }

  // Drops the arrays no cell used, so a text column does not carry a zero-filled numbers array.
  const ColumnChunk& finish() {
    const std::size_t n = chunk.tags.size();
    chunk.rows = static_cast<std::uint32_t>(n);
    if (arrays & kHasIntegers) chunk.integers.resize(n); else chunk.integers.clear();
    if (arrays & kHasReals) chunk.reals.resize(n); else chunk.reals.clear();
    if (arrays & kHasText) chunk.codes.resize(n); else chunk.codes.clear();
    index.clear();  // its keys view dict strings that the next chunk replaces
    return chunk;
  }
};

}  // namespace

std::string encode_column_chunk(const ColumnChunk& c) {
  std::string out;
  std::uint8_t arrays = (c.integers.empty() ? 0 : kHasIntegers) | (c.reals.empty() ? 0 : kHasReals) |
                        (c.codes.empty() ? 0 : kHasText);
  put(out, kMagic);
  put(out, c.first_rowid);
  put(out, c.rows);
  put(out, arrays);
  put_array(out, c.tags);
  if (arrays & kHasIntegers) put_array(out, c.integers);
  if (arrays & kHasReals) put_array(out, c.reals);
  if (arrays & kHasText) {
    put_array(out, c.codes);
    put(out, static_cast<std::uint32_t>(c.dict.size()));
    for (const auto& s : c.dict) put(out, static_cast<std::uint32_t>(s.size()));
    for (const auto& s : c.dict) out += s;
  }
  return out;
}

Result<ColumnChunk> decode_column_chunk(std::span<const std::uint8_t> blob) {
  BlobReader r(blob);
  ColumnChunk c;
  std::uint32_t magic = 0;
  std::uint8_t arrays = 0;
  if (!r.get(magic) || magic != kMagic) return make_error("column chunk: not a chunk (bad magic)");
  if (!r.get(c.first_rowid) || !r.get(c.rows) || !r.get(arrays) || c.rows > kColumnChunkRows)
    return make_error("column chunk: damaged header");
  if (!r.get_array(c.tags, c.rows)) return make_error("column chunk: truncated tags");
  if ((arrays & kHasIntegers) && !r.get_array(c.integers, c.rows)) return make_error("column chunk: truncated integers");
  if ((arrays & kHasReals) && !r.get_array(c.reals, c.rows)) return make_error("column chunk: truncated reals");
  std::uint32_t dict_size = 0;
  if (arrays & kHasText) {
    if (!r.get_array(c.codes, c.rows) || !r.get(dict_size) || dict_size > c.rows)
      return make_error("column chunk: truncated text codes");
    std::vector<std::uint32_t> lengths;
    if (!r.get_array(lengths, dict_size)) return make_error("column chunk: truncated dictionary");
    c.dict.resize(dict_size);
    for (std::uint32_t i = 0; i < dict_size; ++i)
      if (!r.get_text(c.dict[i], lengths[i])) return make_error("column chunk: truncated dictionary text");
  }
  if (!r.done()) return make_error("column chunk: trailing bytes");
  for (std::uint32_t i = 0; i < c.rows; ++i) {
    const auto tag = static_cast<std::uint8_t>(c.tags[i]);
    const bool ok = (tag == 0) || (tag == 1 && !c.integers.empty()) || (tag == 2 && !c.reals.empty()) ||
                    (tag == 3 && !c.codes.empty() && c.codes[i] < dict_size);
    if (!ok) return make_error("column chunk: row " + std::to_string(i) + " has an invalid cell");
  }
  return c;
}

Status build_column_chunks(sqlite3* db, std::int64_t dataset_id, const std::string& table, int columns) {
  std::string quoted = "\"";
  for (char ch : table) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  quoted += '"';
  auto clear = Statement::prepare(db, "DELETE FROM dataset_column_chunks WHERE dataset_id = ?1");
  if (!clear) return clear.error();
  clear->bind(1, dataset_id);
  if (auto s = clear->run(); !s) return s;
  auto select = Statement::prepare(db, "SELECT rowid, * FROM " + quoted + " ORDER BY rowid");
  if (!select) return select.error();
  auto insert = Statement::prepare(db, 
      "INSERT INTO dataset_column_chunks(dataset_id, ordinal, chunk, first_rowid, rows, data) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert) return insert.error();

  std::vector<ChunkBuilder> builders(static_cast<std::size_t>(columns));
  std::int64_t chunk_index = 0, next_rowid = 0;
  std::uint32_t in_chunk = 0;
  auto flush = [&]() -> Status {
    for (int c = 0; c < columns; ++c) {
      const ColumnChunk& chunk = builders[static_cast<std::size_t>(c)].finish();
      const std::string blob = encode_column_chunk(chunk);
      insert->reset();
      insert->bind(1, dataset_id).bind(2, c).bind(3, chunk_index).bind(4, chunk.first_rowid)
          .bind(5, static_cast<std::int64_t>(chunk.rows)).bind_blob(6, blob.data(), blob.size());
      if (auto s = insert->run(); !s) return s;
    }
    ++chunk_index;
    in_chunk = 0;
    return {};
  };
  sqlite3_stmt* st = select->handle();
  if (sqlite3_column_count(st) != columns + 1)
    return make_error("table " + table + " has " + std::to_string(sqlite3_column_count(st) - 1) +
                      " columns, the dataset lists " + std::to_string(columns));
  for (;;) {
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) break;
    const std::int64_t rowid = sqlite3_column_int64(st, 0);
    // A chunk covers consecutive rowids; a gap (never made by imports) starts a new one.
    if (in_chunk > 0 && (in_chunk == kColumnChunkRows || rowid != next_rowid)) {
      if (auto s = flush(); !s) return s;
    }
    if (in_chunk == 0)
      for (auto& b : builders) b.start(rowid);
    for (int c = 0; c < columns; ++c) builders[static_cast<std::size_t>(c)].add(st, c + 1);
    ++in_chunk;
    next_rowid = rowid + 1;
  }
  if (in_chunk > 0) return flush();
  return {};
}

}  // namespace tally::data
