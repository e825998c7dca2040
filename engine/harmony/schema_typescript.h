#pragma once
// JSON Schema -> the TypeScript-like signature gpt-oss was trained to read in `# Tools` sections:
// `{ location: string, format?: "celsius" | "fahrenheit", // default: celsius }`. The output must match
// openai/harmony's json_schema_to_typescript byte for byte (the model saw exactly that text), quirks included:
// string defaults are quoted unless the property is an enum, nested object lines take the caller's indent, and
// oneOf variants are listed one per line with their own trailing comments.
#include <string>

#include <nlohmann/json.hpp>

namespace tally::harmony {

std::string schema_to_typescript(const nlohmann::ordered_json& schema, const std::string& indent = "");

}  // namespace tally::harmony
