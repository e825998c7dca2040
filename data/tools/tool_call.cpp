#include "tools/tool_call.h"

#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <exception>
#include <thread>

namespace tally::data::tools {

namespace {

bool has_type(const nlohmann::json& v, const std::string& type) {
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "null") return v.is_null();
  return true;
}

bool matches_type(const nlohmann::json& v, const nlohmann::ordered_json& schema, std::string& expected) {
  if (!schema.contains("type")) return true;
  const auto& t = schema["type"];
  if (t.is_string()) {
    expected = t.get<std::string>();
    return has_type(v, expected);
  }
  expected.clear();
  for (const auto& one : t) {
    expected += (expected.empty() ? "" : " or ") + one.get<std::string>();
    if (has_type(v, one.get<std::string>())) return true;
  }
  return false;
}

std::string shown(const nlohmann::json& v) {
  std::string s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return s.size() > 80 ? s.substr(0, 80) + "..." : s;
}

void check_value(const std::string& path, const nlohmann::json& v, const nlohmann::ordered_json& schema) {
  std::string expected;
  if (!matches_type(v, schema, expected))
    throw ToolFailure("argument '" + path + "' must be " + expected + " (got " + shown(v) + ")");
  if (schema.contains("enum")) {
    bool found = false;
    std::string options;
    for (const auto& e : schema["enum"]) {
      // The schema is an ordered_json and the arguments a json: compare in one type (clang finds == ambiguous).
      found = found || nlohmann::json::parse(e.dump()) == v;
      options += (options.empty() ? "" : ", ") + e.get<std::string>();
    }
    if (!found) throw ToolFailure("argument '" + path + "' must be one of: " + options + " (got " + shown(v) + ")");
  }
  if (v.is_number()) {
    const double x = v.get<double>();
    if (schema.contains("minimum") && x < schema["minimum"].get<double>())
      throw ToolFailure("argument '" + path + "' must be at least " + schema["minimum"].dump() + " (got " + shown(v) + ")");
    if (schema.contains("maximum") && x > schema["maximum"].get<double>())
      throw ToolFailure("argument '" + path + "' must be at most " + schema["maximum"].dump() + " (got " + shown(v) + ")");
  }
  if (v.is_array() && schema.contains("items")) {
    if (schema.contains("maxItems") && v.size() > schema["maxItems"].get<std::size_t>())
      throw ToolFailure("argument '" + path + "' takes at most " + schema["maxItems"].dump() + " items");
    for (std::size_t i = 0; i < v.size(); ++i) check_value(path + "[" + std::to_string(i) + "]", v[i], schema["items"]);
  }
  if (v.is_object() && schema.contains("additionalProperties") && schema["additionalProperties"].is_object()) {
    for (const auto& [key, value] : v.items()) check_value(path + "." + key, value, schema["additionalProperties"]);
  }
}

}  // namespace

Arguments::Arguments(const nlohmann::json& args, const nlohmann::ordered_json& schema)
    : args_(args.is_null() ? nlohmann::json::object() : args) {
  if (!args_.is_object()) throw ToolFailure("arguments must be a JSON object (got " + shown(args_) + ")");
  const auto& props = schema["properties"];
  for (const auto& [key, value] : args_.items()) {
    if (!props.contains(key)) {
      std::string allowed;
      for (const auto& [name, s] : props.items()) allowed += (allowed.empty() ? "" : ", ") + name;
      throw ToolFailure("unknown argument '" + key + "' (allowed: " + (allowed.empty() ? "none" : allowed) + ")");
    }
    check_value(key, value, props[key]);
  }
  if (schema.contains("required")) {
    for (const auto& r : schema["required"]) {
      const auto name = r.get<std::string>();
      if (!args_.contains(name) || args_[name].is_null())
        throw ToolFailure("missing required argument '" + name + "'");
    }
  }
}

bool Arguments::has(std::string_view name) const {
  const auto it = args_.find(name);
  return it != args_.end() && !it->is_null();
}

const nlohmann::json& Arguments::raw(std::string_view name) const {
  static const nlohmann::json kNull;
  const auto it = args_.find(name);
  return it == args_.end() ? kNull : *it;
}

std::string Arguments::string(std::string_view name, std::string fallback) const {
  return has(name) ? raw(name).get<std::string>() : fallback;
}

long long Arguments::integer(std::string_view name, long long fallback) const {
  return has(name) ? static_cast<long long>(raw(name).get<double>()) : fallback;
}

double Arguments::number(std::string_view name, double fallback) const {
  return has(name) ? raw(name).get<double>() : fallback;
}

std::optional<double> Arguments::optional_number(std::string_view name) const {
  if (!has(name)) return std::nullopt;
  return raw(name).get<double>();
}

std::vector<std::string> Arguments::strings(std::string_view name) const {
  std::vector<std::string> out;
  if (has(name))
    for (const auto& v : raw(name)) out.push_back(v.get<std::string>());
  return out;
}

const DatasetCatalog& ToolCall::catalog() {
  if (!catalog_) {
    catalog_ = DatasetCatalog::load(db_);
    record(DatasetCatalog::kDatasetsSql, nullptr);
    record(DatasetCatalog::kColumnsSql, nullptr);
  }
  return *catalog_;
}

void ToolCall::record(const std::string& sql, const nlohmann::json& params) {
  nlohmann::ordered_json q;
  q["sql"] = sql;
  q["params"] = params.is_array() ? nlohmann::ordered_json(params) : nlohmann::ordered_json::array();
  queries_.push_back(std::move(q));
}

QueryTable ToolCall::table(const std::string& sql, const nlohmann::json& params, std::size_t max_rows,
                           std::size_t max_bytes) {
  record(sql, params);
  return db_.table(sql, params, max_rows, max_bytes);
}

void ToolCall::scan(const std::string& sql, const nlohmann::json& params,
                    const std::function<void(sqlite3_stmt*)>& row) {
  record(sql, params);
  db_.scan(sql, params, row);
}

std::size_t ToolCall::scan_split(const std::string& select_from, const std::string& table, const std::string& where,
                                 const nlohmann::json& params, std::int64_t rows_hint,
                                 const std::function<void(std::size_t, sqlite3_stmt*)>& row) {
  const std::string sql = select_from + where;
  if (workers_ < 2 || rows_hint < limits().split_min_rows) {
    scan(sql, params, [&](sqlite3_stmt* st) { row(0, st); });
    return 1;
  }
  std::int64_t lo = 0, hi = -1;
  db_.scan("SELECT min(rowid), max(rowid) FROM " + table, nullptr, [&](sqlite3_stmt* st) {
    lo = sqlite3_column_int64(st, 0);
    hi = sqlite3_column_int64(st, 1);
  });
  record(sql, params);
  annotate({{"run_as", std::to_string(workers_) + " rowid ranges scanned in parallel (rowid BETWEEN ? AND ? added)"}});
  const std::string part_sql = sql + (where.empty() ? " WHERE" : " AND") + " rowid BETWEEN ? AND ?";
  const std::int64_t span = hi - lo + 1;
  std::vector<std::exception_ptr> errors(workers_);
  std::vector<ReadOnlyQuery*> conns;
  for (std::size_t p = 0; p < workers_; ++p) conns.push_back(&connection_(p));
  std::vector<std::thread> threads;
  for (std::size_t p = 0; p < workers_; ++p) {
    const std::int64_t a = lo + span * static_cast<std::int64_t>(p) / static_cast<std::int64_t>(workers_);
    const std::int64_t b = lo + span * static_cast<std::int64_t>(p + 1) / static_cast<std::int64_t>(workers_) - 1;
    nlohmann::json part_params = params.is_array() ? params : nlohmann::json::array();
    part_params.push_back(a);
    part_params.push_back(b);
    threads.emplace_back([&, p, part_params = std::move(part_params)]() {
      try {
        conns[p]->scan(part_sql, part_params, [&](sqlite3_stmt* st) { row(p, st); });
      } catch (...) {
        errors[p] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return workers_;
}

bool ToolCall::scan_chunks(const DatasetInfo& ds, const std::vector<int>& ordinals, const std::string& equivalent_sql,
                           const std::function<void(std::size_t, std::span<const ColumnChunk>)>& chunk) {
  if (!limits().use_column_chunks || ordinals.empty()) return false;
  // Every requested column must have chunks covering all of the dataset's rows, in the same number of chunks.
  std::int64_t chunks = -1;
  try {
    std::vector<std::pair<std::int64_t, std::int64_t>> per_column;  // (chunks, rows) per requested ordinal
    for (int ordinal : ordinals) {
      std::int64_t n = 0, rows = 0;
      db_.scan("SELECT COUNT(*), COALESCE(SUM(rows), 0) FROM dataset_column_chunks WHERE dataset_id = ?1 AND ordinal = ?2",
               nlohmann::json::array({ds.id, ordinal}), [&](sqlite3_stmt* st) {
                 n = sqlite3_column_int64(st, 0);
                 rows = sqlite3_column_int64(st, 1);
               });
      if (rows != ds.row_count || n == 0 || (chunks >= 0 && n != chunks)) return false;
      chunks = n;
    }
  } catch (const ToolFailure&) {
    return false;  // no chunk table (an older store opened without migrating)
  }
  record(equivalent_sql, nullptr);
  annotate({{"read_from", "the dataset's column chunks, written at import from the same rows (dataset_column_chunks)"}});

  std::string in;
  for (std::size_t i = 0; i < ordinals.size(); ++i) in += (i ? ", " : "") + std::to_string(ordinals[i]);
  const std::string sql = "SELECT ordinal, data FROM dataset_column_chunks WHERE dataset_id = ?1 AND chunk = ?2 "
                          "AND ordinal IN (" + in + ")";
  const std::size_t parts = std::min<std::size_t>(workers_, static_cast<std::size_t>(chunks));
  std::vector<ReadOnlyQuery*> conns;
  for (std::size_t p = 0; p < parts; ++p) conns.push_back(&connection_(p));
  std::vector<std::exception_ptr> errors(parts);
  auto work = [&](std::size_t p) {
    try {
      std::vector<ColumnChunk> columns(ordinals.size());
      for (std::int64_t c = static_cast<std::int64_t>(p); c < chunks; c += static_cast<std::int64_t>(parts)) {
        std::size_t seen = 0;
        conns[p]->scan(sql, nlohmann::json::array({ds.id, c}), [&](sqlite3_stmt* st) {
          const int ordinal = sqlite3_column_int(st, 0);
          const auto* blob = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 1));
          auto decoded = decode_column_chunk({blob, static_cast<std::size_t>(sqlite3_column_bytes(st, 1))});
          if (!decoded) throw ToolFailure("dataset '" + ds.name + "': " + decoded.error().message);
          for (std::size_t i = 0; i < ordinals.size(); ++i)
            if (ordinals[i] == ordinal) {
              columns[i] = *decoded;
              ++seen;
            }
        });
        if (seen != ordinals.size())
          throw ToolFailure("dataset '" + ds.name + "': column chunk " + std::to_string(c) + " is incomplete");
        chunk(p, columns);
      }
    } catch (...) {
      errors[p] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t p = 1; p < parts; ++p) threads.emplace_back(work, p);
  work(0);
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return true;
}

void ToolCall::annotate(nlohmann::ordered_json note) {
  if (queries_.empty()) return;
  for (auto& [key, value] : note.items()) queries_.back()[key] = value;
}

nlohmann::ordered_json number_or_null(double v, int digits) {
  if (!std::isfinite(v)) return nullptr;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return std::strtod(buf, nullptr);
}

}  // namespace tally::data::tools
