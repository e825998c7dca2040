#pragma once
// Conversations and messages in openai/harmony's serde JSON shape: the author's `role` and `name` sit at the top of
// a message, absent keys mean "none", content items are tagged by `type` ("text", "system_content",
// "developer_content"), and reasoning_effort is spelled "Low" / "Medium" / "High". Loading reports the JSON path of
// the first problem instead of throwing.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "harmony/message.h"
#include "tally/result.h"

namespace tally::harmony {

Result<Message> message_from_json(const nlohmann::ordered_json& j);
// Accepts {"messages": [...]} or a bare array of messages.
Result<Conversation> conversation_from_json(const nlohmann::ordered_json& j);
// Parses JSON text; `origin` (a file name) prefixes error messages.
Result<Conversation> conversation_from_json_text(std::string_view text, const std::string& origin);
Result<Conversation> load_conversation(const std::string& path);

nlohmann::ordered_json to_json(const Message& m);
nlohmann::ordered_json to_json(const Conversation& c);

}  // namespace tally::harmony
