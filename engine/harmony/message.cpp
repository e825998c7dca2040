#include "harmony/message.h"

namespace tally::harmony {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::User: return "user";
    case Role::Assistant: return "assistant";
    case Role::System: return "system";
    case Role::Developer: return "developer";
    case Role::Tool: return "tool";
  }
  return "user";
}

std::optional<Role> role_from_name(std::string_view name) {
  for (Role r : {Role::User, Role::Assistant, Role::System, Role::Developer, Role::Tool}) {
    if (role_name(r) == name) return r;
  }
  return std::nullopt;
}

SystemContent SystemContent::defaults() {
  SystemContent s;
  s.model_identity = "You are ChatGPT, a large language model trained by OpenAI.";
  s.reasoning_effort = ReasoningEffort::Medium;
  s.knowledge_cutoff = "2024-06";
  s.channel_config = ChannelConfig{{"analysis", "commentary", "final"}, true};
  return s;
}

Message Message::text(Role role, std::string text) {
  Message m;
  m.role = role;
  m.content.emplace_back(TextContent{std::move(text)});
  return m;
}

std::string Message::text_content() const {
  std::string out;
  for (const auto& c : content) {
    if (const auto* t = std::get_if<TextContent>(&c)) out += t->text;
  }
  return out;
}

}  // namespace tally::harmony
