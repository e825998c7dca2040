#pragma once
// The harmony chat format's data model: a conversation is a list of messages, each with an author (role and
// optional name), optional recipient, channel and content type, and content items (plain text, or the structured
// system / developer content that the renderer turns into text). Mirrors openai/harmony's chat.rs so conversations
// written by its serde form load unchanged.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace tally::harmony {

enum class Role { User, Assistant, System, Developer, Tool };

std::string_view role_name(Role role);                     // "user", "assistant", ...
std::optional<Role> role_from_name(std::string_view name);  // exact, lower case (as harmony's Role::try_from)

enum class ReasoningEffort { Low, Medium, High };

// A tool's parameters are JSON Schema; the property order is kept because it is the order the model sees.
struct ToolDescription {
  std::string name;
  std::string description;
  std::optional<nlohmann::ordered_json> parameters;
  bool operator==(const ToolDescription&) const = default;
};

struct ToolNamespaceConfig {
  std::string name;
  std::optional<std::string> description;
  std::vector<ToolDescription> tools;
  bool operator==(const ToolNamespaceConfig&) const = default;
};

// Namespaces render in key order (harmony keeps them in a BTreeMap).
using ToolNamespaces = std::map<std::string, ToolNamespaceConfig>;

struct ChannelConfig {
  std::vector<std::string> valid_channels;
  bool channel_required = false;
  bool operator==(const ChannelConfig&) const = default;
};

struct TextContent {
  std::string text;
  bool operator==(const TextContent&) const = default;
};

struct SystemContent {
  std::optional<std::string> model_identity;
  std::optional<ReasoningEffort> reasoning_effort;
  std::optional<ToolNamespaces> tools;
  std::optional<std::string> conversation_start_date;
  std::optional<std::string> knowledge_cutoff;
  std::optional<ChannelConfig> channel_config;
  bool operator==(const SystemContent&) const = default;

  // harmony's SystemContent::new(): the gpt-oss identity, medium effort, the 2024-06 cutoff and the three
  // required channels. JSON input has no such defaults; this is for code that builds prompts.
  static SystemContent defaults();
};

struct DeveloperContent {
  std::optional<std::string> instructions;
  std::optional<ToolNamespaces> tools;
  bool operator==(const DeveloperContent&) const = default;
};

using Content = std::variant<TextContent, SystemContent, DeveloperContent>;

struct Message {
  Role role = Role::User;
  std::optional<std::string> name;  // author name; for tool messages the tool ("functions.lookup_weather")
  std::optional<std::string> recipient;
  std::optional<std::string> channel;
  std::optional<std::string> content_type;
  std::vector<Content> content;
  bool operator==(const Message&) const = default;

  static Message text(Role role, std::string text);
  // The concatenated text items (what a parsed message carries).
  std::string text_content() const;
};

struct Conversation {
  std::vector<Message> messages;
  bool operator==(const Conversation&) const = default;
};

}  // namespace tally::harmony
