#include "harmony/schema_typescript.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace tally::harmony {

using json = nlohmann::ordered_json;

namespace {

// Hostile schemas could nest without end; past this depth a type reads as `any` instead of exhausting the stack.
constexpr int kMaxDepth = 64;

const json* get(const json& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  auto it = v.find(key);
  return it == v.end() ? nullptr : &*it;
}

const std::string* get_string(const json& v, std::string_view key) {
  const json* f = get(v, key);
  return f && f->is_string() ? f->get_ptr<const std::string*>() : nullptr;
}

// Built by appending: `"\"" + s + "\""` trips a false -Wrestrict in GCC 12.
std::string quoted(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out += s;
  out += '"';
  return out;
}

bool is_enum(const json& schema) {
  const json* e = get(schema, "enum");
  return e && e->is_array() && !e->empty();
}

bool is_nullable(const json& schema) {
  const json* n = get(schema, "nullable");
  return n && n->is_boolean() && n->get<bool>();
}

// serde_json's Display: compact JSON. Strings are written bare when the schema is an enum, quoted (unescaped)
// otherwise, as harmony does.
std::string default_comment(const json& owner, const json& def) {
  if (def.is_string()) {
    const auto& s = def.get_ref<const std::string&>();
    std::string out = "default: ";
    out += is_enum(owner) ? s : quoted(s);
    return out;
  }
  return "default: " + def.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string to_ts(const json& schema, const std::string& indent, int depth);

std::string with_null(const json& variant, std::string type_str) {
  if (is_nullable(variant) && type_str.find("null") == std::string::npos) type_str += " | null";
  return type_str;
}

std::string top_level_one_of(const json& arr, const std::string& indent, int depth) {
  std::string out;
  for (const auto& variant : arr) {
    out += "\n" + indent + " | ";
    out += with_null(variant, to_ts(variant, indent + "   ", depth + 1));
    std::vector<std::string> trailing;
    if (const std::string* d = get_string(variant, "description")) trailing.push_back(*d);
    if (const json* def = get(variant, "default")) trailing.push_back(default_comment(variant, *def));
    if (!trailing.empty()) out += " // " + join(trailing, " ");
  }
  return out;
}

// A property whose schema is a oneOf: its description and default go above the name, each variant on a line.
void one_of_property(std::string& out, const std::string& key, const json& val, const json& arr, bool required,
                     const std::string& indent, int depth) {
  const std::string* property_desc = get_string(val, "description");
  bool skip_property_desc = false;
  if (property_desc && !arr.empty()) {
    const std::string* first_desc = get_string(arr.front(), "description");
    skip_property_desc = first_desc && *first_desc == *property_desc;
  }
  bool desc_above = false;
  if (!skip_property_desc && property_desc) {
    out += indent + "// " + *property_desc + "\n";
    desc_above = true;
  }
  if (const json* def = get(val, "default")) out += indent + "// " + default_comment(val, *def) + "\n";
  out += indent + key + (required ? "" : "?") + ":\n";
  size_t i = 0;
  for (const auto& variant : arr) {
    out += indent + " | ";
    out += with_null(variant, to_ts(variant, indent + "   ", depth + 1));
    std::vector<std::string> trailing;
    if (!(i == 0 && desc_above)) {
      const std::string* d = get_string(variant, "description");
      if (d && !(property_desc && *d == *property_desc)) trailing.push_back(*d);
    }
    if (const json* def = get(variant, "default")) trailing.push_back(default_comment(variant, *def));
    if (!trailing.empty()) out += " // " + join(trailing, " ");
    out += "\n";
    ++i;
  }
  out += indent + ",\n";
}

std::string object_type(const json& schema, const std::string& indent, int depth) {
  std::string out;
  if (const std::string* d = get_string(schema, "description")) out += indent + "// " + *d + "\n";
  out += "{\n";
  const json* props = get(schema, "properties");
  if (props && props->is_object()) {
    std::vector<std::string> required;
    if (const json* req = get(schema, "required"); req && req->is_array()) {
      for (const auto& r : *req) {
        if (r.is_string()) required.push_back(r.get<std::string>());
      }
    }
    for (const auto& [key, val] : props->items()) {
      const bool is_required = std::find(required.begin(), required.end(), key) != required.end();
      if (const std::string* title = get_string(val, "title")) out += indent + "// " + *title + "\n" + indent + "//\n";
      const json* one_of = get(val, "oneOf");
      if (!one_of) {
        if (const std::string* d = get_string(val, "description")) out += indent + "// " + *d + "\n";
      }
      if (const json* ex = get(val, "examples"); ex && ex->is_array() && !ex->empty()) {
        out += indent + "// Examples:\n";
        for (const auto& e : *ex) {
          if (e.is_string()) out += indent + "// - " + quoted(e.get_ref<const std::string&>()) + "\n";
        }
      }
      if (one_of && one_of->is_array()) {
        one_of_property(out, key, val, *one_of, is_required, indent, depth);
        continue;
      }
      out += indent + key + (is_required ? "" : "?") + ": ";
      out += with_null(val, to_ts(val, indent + "    ", depth + 1));
      out += ",";
      if (!one_of) {
        if (const json* def = get(val, "default")) out += " // " + default_comment(val, *def);
      }
      out += "\n";
    }
  }
  out += indent + "}";
  return out;
}

std::string to_ts(const json& schema, const std::string& indent, int depth) {
  if (depth > kMaxDepth) return "any";
  const json* one_of = get(schema, "oneOf");
  if (one_of && one_of->is_array()) return top_level_one_of(*one_of, indent, depth);

  const json* type = get(schema, "type");
  if (type && type->is_array()) {
    std::vector<std::string> names;
    for (const auto& t : *type) {
      if (!t.is_string()) continue;
      const auto& s = t.get_ref<const std::string&>();
      names.push_back(s == "integer" ? "number" : s);
    }
    if (!names.empty()) return join(names, " | ");
  }
  if (type && type->is_string()) {
    const auto& t = type->get_ref<const std::string&>();
    if (t == "object") return object_type(schema, indent, depth);
    if (t == "string") {
      if (const json* e = get(schema, "enum"); e && e->is_array()) {
        std::vector<std::string> values;
        for (const auto& v : *e) {
          if (v.is_string()) values.push_back(quoted(v.get_ref<const std::string&>()));
        }
        if (!values.empty()) return join(values, " | ");
      }
      return "string";
    }
    if (t == "number" || t == "integer") return "number";
    if (t == "boolean") return "boolean";
    if (t == "array") {
      const json* items = get(schema, "items");
      return items ? to_ts(*items, indent, depth + 1) + "[]" : "Array<any>";
    }
    return "any";
  }
  return "any";
}

}  // namespace

std::string schema_to_typescript(const json& schema, const std::string& indent) { return to_ts(schema, indent, 0); }

}  // namespace tally::harmony
