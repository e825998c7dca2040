// describe_dataset: a profile of every column from one pass over the table (one scan, per-column accumulators),
// which is what keeps a million-row dataset under a second; per-column SQL aggregates would scan once per column.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "tools/series_stats.h"
#include "tools/tool_call.h"

namespace tally::data::tools {

namespace {

// Counting every distinct text value of a column with millions of unique strings (ids, free text) costs more memory
// than the answer is worth; past this many the count is reported as a lower bound.
constexpr std::size_t kMaxTrackedDistinct = 200'000;

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct ColumnProfile {
  const ColumnInfo* column = nullptr;
  std::int64_t count = 0, nulls = 0, non_numeric = 0;
  std::vector<double> numbers;
  std::unordered_map<std::string, std::int64_t, TransparentHash, std::equal_to<>> values;
  bool distinct_capped = false;
  std::string min_text, max_text;

  // `n` occurrences of `s`, already counted in `count`; `first` when these are the column's first values.
  void add_text(std::string_view s, std::int64_t n = 1) {
    const bool first = count == n;
    if (first || s < min_text) min_text = s;
    if (first || s > max_text) max_text = s;
    if (auto it = values.find(s); it != values.end()) {
      it->second += n;
    } else if (values.size() < kMaxTrackedDistinct) {
      values.emplace(std::string(s), n);
    } else {
      distinct_capped = true;
    }
  }

  // One column chunk: numbers row by row, texts once per distinct value of the chunk with their counts.
  void add(const ColumnChunk& c) {
    std::vector<std::int64_t> text_counts(c.dict.size(), 0);
    std::unordered_map<std::int64_t, std::int64_t> integer_counts;
    std::unordered_map<double, std::int64_t> real_counts;
    for (std::size_t i = 0; i < c.rows; ++i) {
      switch (c.tags[i]) {
        case CellTag::Null: ++nulls; continue;
        case CellTag::Text: ++text_counts[c.codes[i]]; continue;
        default: break;
      }
      if (column->numeric()) {
        ++count;
        numbers.push_back(c.number(i));
      } else {  // a number in a text column (booleans): counted per distinct value, formatted once below
        ++(c.tags[i] == CellTag::Integer ? integer_counts[c.integers[i]] : real_counts[c.reals[i]]);
      }
    }
    // SQLite hands numbers in text columns over as their text; so does this.
    for (const auto& [v, n] : integer_counts) {
      count += n;
      add_text(std::to_string(v), n);
    }
    for (const auto& [v, n] : real_counts) {
      char* p = sqlite3_mprintf("%!.15g", v);
      count += n;
      add_text(p ? p : "", n);
      sqlite3_free(p);
    }
    for (std::size_t k = 0; k < c.dict.size(); ++k) {
      if (text_counts[k] == 0) continue;
      count += text_counts[k];
      if (column->numeric()) non_numeric += text_counts[k];
      add_text(c.dict[k], text_counts[k]);
    }
  }

  void merge(ColumnProfile&& o) {
    if (o.count > 0) {
      if (count == 0 || o.min_text < min_text) min_text = o.min_text;
      if (count == 0 || o.max_text > max_text) max_text = o.max_text;
    }
    count += o.count;
    nulls += o.nulls;
    non_numeric += o.non_numeric;
    numbers.insert(numbers.end(), o.numbers.begin(), o.numbers.end());
    distinct_capped = distinct_capped || o.distinct_capped;
    for (auto& [value, n] : o.values) {
      if (auto it = values.find(value); it != values.end()) it->second += n;
      else if (values.size() < kMaxTrackedDistinct) values.emplace(value, n);
      else distinct_capped = true;
    }
  }

  void add(sqlite3_stmt* st, int col) {
    const int type = sqlite3_column_type(st, col);
    if (type == SQLITE_NULL) {
      ++nulls;
      return;
    }
    ++count;
    if (column->numeric()) {
      if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
        numbers.push_back(sqlite3_column_double(st, col));
        return;
      }
      ++non_numeric;  // text in a numeric column: the importer kept a cell it could not read as a number
    }
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
    add_text(std::string_view(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, col))));
  }
};

nlohmann::ordered_json top_values(const ColumnProfile& p, std::size_t top) {
  std::vector<std::pair<std::string_view, std::int64_t>> v(p.values.begin(), p.values.end());
  const std::size_t k = std::min(top, v.size());
  std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < k; ++i) out.push_back({{"value", v[i].first}, {"count", v[i].second}});
  return out;
}

nlohmann::ordered_json profile_json(ColumnProfile& p, std::size_t top) {
  const ColumnInfo& c = *p.column;
  nlohmann::ordered_json j;
  j["name"] = c.name;
  j["sql_name"] = c.sql_name;
  j["type"] = c.type_name;
  if (!c.unit.empty()) j["unit"] = c.unit;
  j["count"] = p.count;
  j["nulls"] = p.nulls;
  if (c.numeric()) {
    auto& v = p.numbers;
    std::sort(v.begin(), v.end());
    std::size_t distinct = v.empty() ? 0 : 1;
    for (std::size_t i = 1; i < v.size(); ++i) distinct += v[i] != v[i - 1] ? 1 : 0;
    j["distinct"] = distinct + p.values.size();
    if (!v.empty()) {
      j["min"] = number_or_null(v.front());
      j["max"] = number_or_null(v.back());
      j["mean"] = number_or_null(stats::mean(v));
      j["median"] = number_or_null(stats::quantile_sorted(v, 0.5));
      j["stddev"] = number_or_null(stats::sample_stddev(v));
      double sum = 0;
      for (double x : v) sum += x;
      j["sum"] = number_or_null(sum, 15);
    }
    if (p.non_numeric > 0) {
      j["non_numeric"] = p.non_numeric;
      j["non_numeric_top"] = top_values(p, std::min<std::size_t>(top, 3));
    }
    return j;
  }
  j["distinct"] = p.values.size();
  if (p.distinct_capped) j["distinct_is_lower_bound"] = true;
  if (c.temporal()) {
    if (p.count > 0) {
      j["min"] = p.min_text;
      j["max"] = p.max_text;
    }
    return j;
  }
  j["top"] = top_values(p, top);
  return j;
}

ToolOutput run(ToolCall& call, const Arguments& args) {
  const DatasetInfo& ds = call.catalog().dataset(args.string("dataset"));
  std::vector<const ColumnInfo*> cols;
  if (args.has("columns")) {
    for (const auto& name : args.strings("columns")) cols.push_back(&DatasetCatalog::column(ds, name, "columns"));
  } else {
    for (const auto& c : ds.columns) cols.push_back(&c);
  }
  if (cols.empty()) throw ToolFailure("dataset '" + ds.name + "' has no columns to describe");
  const auto top = static_cast<std::size_t>(args.integer("top", 5));

  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + quote_identifier(cols[i]->sql_name);
  sql += " FROM " + quote_identifier(ds.table_name);

  std::vector<std::vector<ColumnProfile>> parts(call.workers(), std::vector<ColumnProfile>(cols.size()));
  std::vector<std::int64_t> part_rows(call.workers(), 0);
  for (auto& part : parts)
    for (std::size_t i = 0; i < cols.size(); ++i) part[i].column = cols[i];
  std::vector<int> ordinals;
  for (const auto* c : cols) ordinals.push_back(c->ordinal);
  const bool from_chunks =
      call.scan_chunks(ds, ordinals, sql, [&](std::size_t part, std::span<const ColumnChunk> chunk) {
        part_rows[part] += chunk[0].rows;
        for (std::size_t i = 0; i < chunk.size(); ++i) parts[part][i].add(chunk[i]);
      });
  if (!from_chunks)
    call.scan_split(sql, quote_identifier(ds.table_name), "", nullptr, ds.row_count,
                    [&](std::size_t part, sqlite3_stmt* st) {
                      ++part_rows[part];
                      auto& profiles = parts[part];
                      for (std::size_t i = 0; i < profiles.size(); ++i) profiles[i].add(st, static_cast<int>(i));
                    });
  call.annotate({{"note", "every statistic comes from this one scan: count, nulls, distinct; min/max/mean/median/"
                          "stddev (sample, n-1)/sum for numbers; min/max for dates; most frequent values for text"}});
  auto& profiles = parts[0];
  std::int64_t rows = part_rows[0];
  for (std::size_t p = 1; p < parts.size(); ++p) {
    rows += part_rows[p];
    for (std::size_t i = 0; i < cols.size(); ++i) profiles[i].merge(std::move(parts[p][i]));
  }

  // Sorting a million numbers per column dominates what is left; the columns are independent.
  std::vector<nlohmann::ordered_json> out(cols.size());
  std::vector<std::thread> threads;
  const std::size_t nthreads = std::min(call.workers(), cols.size());
  for (std::size_t t = 0; t < nthreads; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = t; i < cols.size(); i += nthreads) out[i] = profile_json(profiles[i], top);
    });
  }
  for (auto& th : threads) th.join();
  nlohmann::ordered_json out_cols = nlohmann::ordered_json::array();
  for (auto& c : out) out_cols.push_back(std::move(c));
  nlohmann::ordered_json result;
  result["dataset"] = ds.name;
  result["table"] = ds.table_name;
  result["rows"] = rows;
  result["columns"] = std::move(out_cols);
  return {std::move(result), std::to_string(rows) + " rows, " + std::to_string(cols.size()) + " columns described"};
}

}  // namespace

ToolDefinition describe_dataset_tool() {
  ToolDefinition d;
  d.spec.name = "describe_dataset";
  d.spec.description =
      "Profiles a dataset's columns: count, nulls and distinct values for every column; min, max, mean, median, "
      "standard deviation and sum for numbers; first and last date for dates; the most frequent values with counts "
      "for text.";
  d.spec.parameters = {
      {"type", "object"},
      {"properties",
       {{"dataset", {{"type", "string"}, {"description", "dataset name (from list_datasets)"}}},
        {"columns", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "only these columns (default: all)"}}},
        {"top", {{"type", "integer"}, {"minimum", 1}, {"maximum", 20}, {"description", "how many frequent text values (default 5)"}}}}},
      {"required", nlohmann::ordered_json::array({"dataset"})},
      {"additionalProperties", false}};
  d.run = &run;
  return d;
}

}  // namespace tally::data::tools
