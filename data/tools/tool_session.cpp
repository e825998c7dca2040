#include "tally/data/tools.h"

#include <sqlite3.h>
#if defined(__linux__)
#include <sched.h>
#endif

#include <algorithm>
#include <chrono>
#include <thread>

#include "tools/tool_call.h"

namespace tally::data::tools {

namespace {

const std::vector<ToolDefinition>& definitions() {
  static const std::vector<ToolDefinition> defs = {list_datasets_tool(), describe_dataset_tool(), sql_query_tool(),
                                                   timeseries_tool(),    compare_groups_tool(),   anomalies_tool()};
  return defs;
}

const ToolDefinition* find_definition(std::string_view name) {
  for (const auto& d : definitions())
    if (d.spec.name == name) return &d;
  return nullptr;
}

std::string dump_safe(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

nlohmann::ordered_json ToolSpec::to_json() const {
  nlohmann::ordered_json j;
  j["name"] = name;
  j["description"] = description;
  j["parameters"] = parameters;
  return j;
}

const std::vector<ToolSpec>& tool_specs() {
  static const std::vector<ToolSpec> specs = [] {
    std::vector<ToolSpec> out;
    for (const auto& d : definitions()) out.push_back(d.spec);
    return out;
  }();
  return specs;
}

nlohmann::ordered_json tool_specs_json() {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& s : tool_specs()) out.push_back(s.to_json());
  return out;
}

const ToolSpec* find_tool(std::string_view name) {
  const ToolDefinition* d = find_definition(name);
  return d ? &d->spec : nullptr;
}

ToolSession::ToolSession(sqlite3* store, QueryLimits limits) : store_(store), limits_(limits) {}
ToolSession::~ToolSession() = default;

std::size_t ToolSession::workers() const {
  if (limits_.scan_workers > 0) return limits_.scan_workers;
  std::size_t cpus = std::thread::hardware_concurrency();
#if defined(__linux__)
  // hardware_concurrency() ignores the CPU affinity mask (taskset, containers); more threads than usable cores
  // only add switching.
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) cpus = static_cast<std::size_t>(CPU_COUNT(&set));
#endif
  return std::clamp<std::size_t>(cpus, 1, 4);
}

ReadOnlyQuery& ToolSession::reader(std::size_t i) {
  if (readers_.size() <= i) readers_.resize(i + 1);
  if (!readers_[i]) {
    const char* file = store_ ? sqlite3_db_filename(store_, "main") : nullptr;
    readers_[i] = std::make_unique<ReadOnlyQuery>(file ? file : "", limits_);
  }
  return *readers_[i];
}

nlohmann::ordered_json ToolSession::call_text(std::string_view tool, std::string_view arguments_json) {
  nlohmann::json args = nlohmann::json::parse(arguments_json.begin(), arguments_json.end(), nullptr, false);
  if (args.is_discarded()) {
    const std::string error = "arguments are not valid JSON: " + std::string(arguments_json.substr(0, 200));
    audit(tool, std::string(arguments_json), "", 0, &error);
    nlohmann::ordered_json out;
    out["ok"] = false;
    out["tool"] = std::string(tool);
    out["error"] = error;
    return out;
  }
  return call(tool, args);
}

nlohmann::ordered_json ToolSession::call(std::string_view tool, const nlohmann::json& arguments) {
  const auto start = std::chrono::steady_clock::now();
  nlohmann::ordered_json out;
  out["ok"] = false;
  out["tool"] = std::string(tool);
  std::string error, summary;
  nlohmann::ordered_json provenance = nlohmann::ordered_json::array();
  const ToolDefinition* def = find_definition(tool);
  if (!def) {
    std::string names;
    for (const auto& d : definitions()) names += (names.empty() ? "" : ", ") + d.spec.name;
    error = "unknown tool '" + std::string(tool) + "' (tools: " + names + ")";
  } else {
    std::optional<ToolCall> call;
    try {
      const Arguments args(arguments, def->spec.parameters);
      (void)reader(0);  // fails here, as a value, when the store has no file
      call.emplace([this](std::size_t i) -> ReadOnlyQuery& { return reader(i); }, workers());
      ToolOutput result = def->run(*call, args);
      out["ok"] = true;
      out["result"] = std::move(result.result);
      summary = std::move(result.summary);
    } catch (const ToolFailure& e) {
      error = e.what();
    } catch (const nlohmann::json::exception& e) {
      error = std::string("bad argument value: ") + e.what();
    } catch (const std::bad_alloc&) {
      error = "out of memory: narrow the request";
    }
    if (call) provenance = call->provenance();
  }
  if (!error.empty()) out["error"] = error;
  out["provenance"] = {{"queries", provenance}};
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  audit(tool, dump_safe(arguments), summary, ms, error.empty() ? nullptr : &error);
  return out;
}

void ToolSession::audit(std::string_view tool, const std::string& arguments, const std::string& summary, double ms,
                        const std::string* error) {
  if (!store_) return;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(store_,
                         "INSERT INTO audit_log(conversation_id, tool, arguments, result_summary, duration_ms, error) "
                         "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                         -1, &st, nullptr) != SQLITE_OK) {
    sqlite3_finalize(st);
    return;  // a store without audit_log (or read-only) must not break the tool call itself
  }
  if (conversation_) sqlite3_bind_int64(st, 1, *conversation_);
  sqlite3_bind_text(st, 2, tool.data(), static_cast<int>(tool.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, arguments.data(), static_cast<int>(arguments.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, summary.data(), static_cast<int>(summary.size()), SQLITE_TRANSIENT);
  sqlite3_bind_double(st, 5, ms);
  if (error) sqlite3_bind_text(st, 6, error->data(), static_cast<int>(error->size()), SQLITE_TRANSIENT);
  sqlite3_step(st);
  sqlite3_finalize(st);
}

}  // namespace tally::data::tools
