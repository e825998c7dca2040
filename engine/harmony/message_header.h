#pragma once
// Parses a message header: the text between <|start|> and <|message|>, e.g.
// "assistant to=functions.get_weather<|channel|>commentary <|constrain|>json". Follows openai/harmony's rules:
// the channel is whatever follows <|channel|> up to whitespace or '<'; the rest splits on ASCII whitespace into
// role, recipient (`to=x`, or a bare word) and content type (the last word). An unknown first word is a tool's name.
//
// Each step is its own function so tolerance for malformed model output (recipient glued to the content type,
// missing <|start|>) can be added as another step without reshaping the whole.
#include <optional>
#include <string>

#include "harmony/message.h"
#include "tally/result.h"

namespace tally::harmony {

struct MessageHeader {
  Role role = Role::Assistant;
  std::optional<std::string> name;  // set for tool messages whose role was read from the header
  std::optional<std::string> recipient;
  std::optional<std::string> channel;
  std::optional<std::string> content_type;
  bool operator==(const MessageHeader&) const = default;
};

struct HeaderParse {
  MessageHeader header;
  // Words left over. For a well-formed header there are none; when a <|message|> token was missing (non-strict
  // parsing) they are the message's text.
  std::optional<std::string> remaining;
};

// `role`: the role already known (the parser's starting role), or nullopt to read it from the header.
// `split_recipient_and_type`: false when the header is really content that lacked <|message|>: only the channel
// is taken out and everything else is left as text.
Result<HeaderParse> parse_message_header(std::string header, std::optional<Role> role, bool split_recipient_and_type);

}  // namespace tally::harmony
