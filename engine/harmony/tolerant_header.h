#pragma once
// Reads a message header the way a forgiving reader would, for gpt-oss output that bends the harmony format:
// the recipient before or after the channel, `<|constrain|>` where the recipient belongs, the content type glued
// to the tool name (`to=functions.sql_queryjson`), stray control tokens inside the header, several or empty
// channels, extra words. It never fails: what it had to guess or drop is listed in `repairs`, so one odd header
// costs at most that message's metadata, never the text of any message.
//
// Well-formed headers give exactly what parse_message_header() (openai/harmony's rules) gives.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harmony/message_header.h"

namespace tally::harmony {

struct TolerantHeader {
  MessageHeader header;
  std::vector<std::string> repairs;  // one line per guess, naming the text it was about
  // Only when `content_follows` is false (the header ran into a stop token without <|message|>): the words that
  // are not the role or the channel, which are then the message's text.
  std::optional<std::string> text;
};

// `role`: the role already known (given up front, or carried over when <|start|> was missing); nullopt reads it
// from the first word. `known_tools`: tool names the model may call ("functions.sql_query" or "sql_query"); they
// let a content type glued to the name be split off.
TolerantHeader parse_header_tolerant(std::string_view header, std::optional<Role> role,
                                     const std::vector<std::string>& known_tools, bool content_follows = true);

// True for text that is a harmony control token written out, e.g. "<|channel|>" (any `<|name|>`).
bool is_control_marker(std::string_view text);

}  // namespace tally::harmony
