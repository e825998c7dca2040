// list_datasets: what the user has imported, with each dataset's columns, so the model can name them right.
#include "tools/tool_call.h"

namespace tally::data::tools {

namespace {

ToolOutput run(ToolCall& call, const Arguments&) {
  const auto& cat = call.catalog();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& d : cat.datasets()) {
    nlohmann::ordered_json cols = nlohmann::ordered_json::array();
    for (const auto& c : d.columns) {
      nlohmann::ordered_json col;
      col["name"] = c.name;
      col["sql_name"] = c.sql_name;
      col["type"] = c.type_name;
      if (!c.unit.empty()) col["unit"] = c.unit;
      cols.push_back(std::move(col));
    }
    nlohmann::ordered_json j;
    j["name"] = d.name;
    j["table"] = d.table_name;
    j["rows"] = d.row_count;
    j["columns"] = std::move(cols);
    if (!d.source_path.empty()) j["source"] = d.source_path;
    j["imported_at"] = d.imported_at;
    list.push_back(std::move(j));
  }
  nlohmann::ordered_json result;
  result["datasets"] = std::move(list);
  return {std::move(result), std::to_string(cat.datasets().size()) + " datasets"};
}

}  // namespace

ToolDefinition list_datasets_tool() {
  ToolDefinition d;
  d.spec.name = "list_datasets";
  d.spec.description =
      "Lists the user's imported datasets with their table name, row count and columns (name, SQL name, type, "
      "unit). Call this first to learn the exact dataset and column names.";
  d.spec.parameters = {{"type", "object"}, {"properties", nlohmann::ordered_json::object()}, {"additionalProperties", false}};
  d.run = &run;
  return d;
}

}  // namespace tally::data::tools
