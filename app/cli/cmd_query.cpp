// tally-cli query "SQL", describe NAME, tool NAME 'JSON': the analysis tools the model calls, from the shell, on
// the profile's store (or --db). Each call is audited like the model's own.
#include <functional>
#include <iostream>

#include "cli/command.h"
#include "tally/data/store.h"
#include "tally/data/tools.h"

namespace tally::cli {
namespace {


int with_store(const std::string& db_option, const std::function<int(data::tools::ToolSession&)>& body) {
  const std::string path = db_option.empty() ? data::default_store_path() : db_option;
  if (path.empty()) return fail("no home folder to keep the store in: pass --db FILE");
  auto store = data::Store::open(path);
  if (!store) return fail(store.error().message);
  data::tools::ToolSession session(store->db().handle());
  return body(session);
}

// Prints the envelope; a failed call also goes to stderr and exits 1 so scripts notice.
int report(const nlohmann::ordered_json& r) {
  std::cout << r.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  if (!r.value("ok", false)) return fail(r.value("error", std::string("tool call failed")));
  return 0;
}

std::string cell_text(const nlohmann::ordered_json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "NULL";
  return v.dump();
}

int run_query(const Args& args) {
  ArgParser p(args);
  const std::string db = p.option("--db");
  const bool json = p.flag("--json");
  const std::string max_rows = p.option("--max-rows");
  if (auto unknown = p.unknown(); !unknown.empty()) return fail("unknown option " + unknown.front());
  const auto pos = p.positionals();
  if (pos.size() != 1) return fail("usage: tally-cli query \"SQL\" [--db D] [--max-rows N] [--json]");
  nlohmann::json call_args = {{"sql", pos[0]}};
  if (!max_rows.empty()) {
    try {
      call_args["max_rows"] = std::stoi(max_rows);
    } catch (const std::exception&) {
      return fail("--max-rows takes a number, not '" + max_rows + "'");
    }
  }
  return with_store(db, [&](data::tools::ToolSession& s) {
    const auto r = s.call("sql_query", call_args);
    if (json || !r.value("ok", false)) return report(r);
    // Tab-separated, header first: pipes into `column -t` or a spreadsheet.
    const auto& res = r["result"];
    std::string line;
    for (const auto& c : res["columns"]) line += (line.empty() ? "" : "\t") + c.get<std::string>();
    std::cout << line << "\n";
    for (const auto& row : res["rows"]) {
      line.clear();
      for (std::size_t i = 0; i < row.size(); ++i) line += (i ? "\t" : "") + cell_text(row[i]);
      std::cout << line << "\n";
    }
    std::cerr << res["row_count"].get<std::size_t>() << " rows"
              << (res["truncated"].get<bool>() ? " (truncated by " + res["truncated_by"].get<std::string>() + ")" : "")
              << "\n";
    return 0;
  });
}

int run_describe(const Args& args) {
  ArgParser p(args);
  const std::string db = p.option("--db");
  if (auto unknown = p.unknown(); !unknown.empty()) return fail("unknown option " + unknown.front());
  const auto pos = p.positionals();
  if (pos.size() != 1) return fail("usage: tally-cli describe DATASET [--db D]");
  return with_store(db, [&](data::tools::ToolSession& s) { return report(s.call("describe_dataset", {{"dataset", pos[0]}})); });
}

int run_tool(const Args& args) {
  ArgParser p(args);
  const std::string db = p.option("--db");
  if (auto unknown = p.unknown(); !unknown.empty()) return fail("unknown option " + unknown.front());
  const auto pos = p.positionals();
  if (pos.size() == 1 && pos[0] == "specs") {
    std::cout << data::tools::tool_specs_json().dump(2) << "\n";
    return 0;
  }
  if (pos.empty() || pos.size() > 2)
    return fail("usage: tally-cli tool NAME ['JSON'] [--db D]   (tally-cli tool specs: the tools' JSON Schemas)");
  const std::string json_args = pos.size() == 2 ? pos[1] : "{}";
  return with_store(db, [&](data::tools::ToolSession& s) { return report(s.call_text(pos[0], json_args)); });
}

const Registration reg_query{{"query", "query \"SQL\" [--db D] [--max-rows N] [--json]  (read-only)", &run_query}};
const Registration reg_describe{{"describe", "describe DATASET [--db D]", &run_describe}};
const Registration reg_tool{{"tool", "tool NAME ['JSON'] [--db D]  (tool specs: list the tools)", &run_tool}};

}  // namespace
}  // namespace tally::cli
