#include "harmony/message_json.h"

#include <fstream>
#include <sstream>

namespace tally::harmony {

using json = nlohmann::ordered_json;

namespace {

// A JSON path kept alongside the walk so errors read "messages[2].content[0].type: ...".
Error at(const std::string& path, const std::string& what) { return make_error(path + ": " + what); }

Result<std::optional<std::string>> optional_string(const json& obj, const char* key, const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) return at(path + "." + key, "expected a string");
  return std::optional<std::string>{it->get<std::string>()};
}

Result<std::string> required_string(const json& obj, const char* key, const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return at(path + "." + key, "expected a string");
  return it->get<std::string>();
}

Result<ToolDescription> tool_from_json(const json& j, const std::string& path) {
  if (!j.is_object()) return at(path, "expected an object");
  ToolDescription t;
  auto name = required_string(j, "name", path);
  if (!name) return name.error();
  t.name = name.value();
  // harmony requires a description string; an absent one is treated as empty so hand-written files still load.
  auto desc = optional_string(j, "description", path);
  if (!desc) return desc.error();
  t.description = desc.value().value_or("");
  auto it = j.find("parameters");
  if (it != j.end() && !it->is_null()) t.parameters = *it;
  return t;
}

Result<std::optional<ToolNamespaces>> namespaces_from_json(const json& obj, const std::string& path) {
  auto it = obj.find("tools");
  if (it == obj.end() || it->is_null()) return std::optional<ToolNamespaces>{};
  const std::string p = path + ".tools";
  if (!it->is_object()) return at(p, "expected an object of tool namespaces");
  ToolNamespaces out;
  for (const auto& [key, ns] : it->items()) {
    const std::string np = p + "." + key;
    if (!ns.is_object()) return at(np, "expected an object");
    ToolNamespaceConfig cfg;
    auto name = required_string(ns, "name", np);
    if (!name) return name.error();
    cfg.name = name.value();
    auto desc = optional_string(ns, "description", np);
    if (!desc) return desc.error();
    cfg.description = desc.value();
    auto tools = ns.find("tools");
    if (tools == ns.end() || !tools->is_array()) return at(np + ".tools", "expected an array");
    for (size_t i = 0; i < tools->size(); ++i) {
      auto tool = tool_from_json((*tools)[i], np + ".tools[" + std::to_string(i) + "]");
      if (!tool) return tool.error();
      cfg.tools.push_back(std::move(tool.value()));
    }
    out[key] = std::move(cfg);
  }
  return std::optional<ToolNamespaces>{std::move(out)};
}

Result<SystemContent> system_from_json(const json& j, const std::string& path) {
  SystemContent s;
  for (auto [key, field] : {std::pair{"model_identity", &s.model_identity},
                            std::pair{"conversation_start_date", &s.conversation_start_date},
                            std::pair{"knowledge_cutoff", &s.knowledge_cutoff}}) {
    auto v = optional_string(j, key, path);
    if (!v) return v.error();
    *field = v.value();
  }
  auto effort = optional_string(j, "reasoning_effort", path);
  if (!effort) return effort.error();
  if (effort.value()) {
    const std::string& e = *effort.value();
    if (e == "Low" || e == "low") s.reasoning_effort = ReasoningEffort::Low;
    else if (e == "Medium" || e == "medium") s.reasoning_effort = ReasoningEffort::Medium;
    else if (e == "High" || e == "high") s.reasoning_effort = ReasoningEffort::High;
    else return at(path + ".reasoning_effort", "unknown effort '" + e + "' (Low, Medium or High)");
  }
  auto tools = namespaces_from_json(j, path);
  if (!tools) return tools.error();
  s.tools = std::move(tools.value());
  auto cc = j.find("channel_config");
  if (cc != j.end() && !cc->is_null()) {
    const std::string cp = path + ".channel_config";
    if (!cc->is_object()) return at(cp, "expected an object");
    ChannelConfig cfg;
    auto vc = cc->find("valid_channels");
    if (vc != cc->end()) {
      if (!vc->is_array()) return at(cp + ".valid_channels", "expected an array of strings");
      for (const auto& ch : *vc) {
        if (!ch.is_string()) return at(cp + ".valid_channels", "expected an array of strings");
        cfg.valid_channels.push_back(ch.get<std::string>());
      }
    }
    auto req = cc->find("channel_required");
    if (req != cc->end()) {
      if (!req->is_boolean()) return at(cp + ".channel_required", "expected true or false");
      cfg.channel_required = req->get<bool>();
    }
    s.channel_config = std::move(cfg);
  }
  return s;
}

Result<Content> content_from_json(const json& j, const std::string& path) {
  if (!j.is_object()) return at(path, "expected an object");
  auto type = required_string(j, "type", path);
  if (!type) return type.error();
  if (type.value() == "text") {
    auto text = required_string(j, "text", path);
    if (!text) return text.error();
    return Content{TextContent{text.value()}};
  }
  if (type.value() == "system_content") {
    auto s = system_from_json(j, path);
    if (!s) return s.error();
    return Content{std::move(s.value())};
  }
  if (type.value() == "developer_content") {
    DeveloperContent d;
    auto instr = optional_string(j, "instructions", path);
    if (!instr) return instr.error();
    d.instructions = instr.value();
    auto tools = namespaces_from_json(j, path);
    if (!tools) return tools.error();
    d.tools = std::move(tools.value());
    return Content{std::move(d)};
  }
  return at(path + ".type", "unknown content type '" + type.value() + "'");
}

Result<Message> message_at(const json& j, const std::string& path) {
  if (!j.is_object()) return at(path, "expected a message object");
  Message m;
  auto role = required_string(j, "role", path);
  if (!role) return role.error();
  auto r = role_from_name(role.value());
  if (!r) return at(path + ".role", "unknown role '" + role.value() + "'");
  m.role = *r;
  for (auto [key, field] : {std::pair{"name", &m.name}, std::pair{"recipient", &m.recipient},
                            std::pair{"channel", &m.channel}, std::pair{"content_type", &m.content_type}}) {
    auto v = optional_string(j, key, path);
    if (!v) return v.error();
    *field = v.value();
  }
  auto content = j.find("content");
  if (content == j.end() || content->is_null()) return m;
  if (content->is_string()) {  // harmony accepts a bare string for a single text item
    m.content.emplace_back(TextContent{content->get<std::string>()});
    return m;
  }
  if (!content->is_array()) return at(path + ".content", "expected a list of content items or a string");
  for (size_t i = 0; i < content->size(); ++i) {
    auto c = content_from_json((*content)[i], path + ".content[" + std::to_string(i) + "]");
    if (!c) return c.error();
    m.content.push_back(std::move(c.value()));
  }
  return m;
}

json namespaces_to_json(const ToolNamespaces& tools) {
  json out = json::object();
  for (const auto& [key, ns] : tools) {
    json n = json::object();
    n["name"] = ns.name;
    if (ns.description) n["description"] = *ns.description;
    json list = json::array();
    for (const auto& t : ns.tools) {
      json tj = json::object();
      tj["name"] = t.name;
      tj["description"] = t.description;
      if (t.parameters) tj["parameters"] = *t.parameters;
      list.push_back(std::move(tj));
    }
    n["tools"] = std::move(list);
    out[key] = std::move(n);
  }
  return out;
}

const char* effort_name(ReasoningEffort e) {
  switch (e) {
    case ReasoningEffort::Low: return "Low";
    case ReasoningEffort::Medium: return "Medium";
    case ReasoningEffort::High: return "High";
  }
  return "Medium";
}

json content_to_json(const Content& c) {
  json j = json::object();
  if (const auto* t = std::get_if<TextContent>(&c)) {
    j["type"] = "text";
    j["text"] = t->text;
  } else if (const auto* s = std::get_if<SystemContent>(&c)) {
    j["type"] = "system_content";
    if (s->model_identity) j["model_identity"] = *s->model_identity;
    if (s->reasoning_effort) j["reasoning_effort"] = effort_name(*s->reasoning_effort);
    if (s->tools) j["tools"] = namespaces_to_json(*s->tools);
    if (s->conversation_start_date) j["conversation_start_date"] = *s->conversation_start_date;
    if (s->knowledge_cutoff) j["knowledge_cutoff"] = *s->knowledge_cutoff;
    if (s->channel_config) {
      j["channel_config"] = json{{"valid_channels", s->channel_config->valid_channels},
                                 {"channel_required", s->channel_config->channel_required}};
    }
  } else if (const auto* d = std::get_if<DeveloperContent>(&c)) {
    j["type"] = "developer_content";
    if (d->instructions) j["instructions"] = *d->instructions;
    if (d->tools) j["tools"] = namespaces_to_json(*d->tools);
  }
  return j;
}

}  // namespace

Result<Message> message_from_json(const json& j) { return message_at(j, "message"); }

Result<Conversation> conversation_from_json(const json& j) {
  const json* list = &j;
  std::string path;
  if (j.is_object()) {
    auto it = j.find("messages");
    if (it == j.end()) return make_error("expected {\"messages\": [...]}");
    list = &*it;
    path = "messages";
  }
  if (!list->is_array()) return make_error((path.empty() ? std::string("conversation") : path) + ": expected an array");
  Conversation conv;
  for (size_t i = 0; i < list->size(); ++i) {
    auto m = message_at((*list)[i], path + "[" + std::to_string(i) + "]");
    if (!m) return m.error();
    conv.messages.push_back(std::move(m.value()));
  }
  return conv;
}

Result<Conversation> conversation_from_json_text(std::string_view text, const std::string& origin) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error(origin + ": not valid JSON");
  auto conv = conversation_from_json(j);
  if (!conv) return make_error(origin + ": " + conv.error().message);
  return conv;
}

Result<Conversation> load_conversation(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return conversation_from_json_text(ss.str(), path);
}

json to_json(const Message& m) {
  json j = json::object();
  j["role"] = std::string(role_name(m.role));
  if (m.name) j["name"] = *m.name;
  if (m.recipient) j["recipient"] = *m.recipient;
  if (m.channel) j["channel"] = *m.channel;
  if (m.content_type) j["content_type"] = *m.content_type;
  json content = json::array();
  for (const auto& c : m.content) content.push_back(content_to_json(c));
  j["content"] = std::move(content);
  return j;
}

json to_json(const Conversation& c) {
  json list = json::array();
  for (const auto& m : c.messages) list.push_back(to_json(m));
  return json{{"messages", std::move(list)}};
}

}  // namespace tally::harmony
