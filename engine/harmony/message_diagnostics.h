#pragma once
// What the parser had to do to read one message of imperfect model output. A clean message has none of it. The
// flags say what kind of trouble it was; `error` is set when the message cannot be used as it stands (a tool call
// whose arguments are broken or cut off, a call that names no tool) and says why in words the copilot can hand
// back to the model as the tool's error, so the model fixes that one call and the rest of the turn stands.
#include <optional>
#include <string>
#include <vector>

#include "harmony/message.h"
#include "tokenizer/tokenizer.h"

namespace tally::harmony {

struct MessageDiagnostics {
  bool truncated = false;          // the stream ended inside this message (its header or its content)
  bool unterminated = false;       // a new header began before this message's stop token
  bool header_missing = false;     // text after a message's end with no header: role carried over, no channel
  bool header_repaired = false;    // the header bent the format; `notes` says how it was read
  bool invalid_arguments = false;  // a tool call whose arguments are not valid JSON (kept as text)
  std::optional<tok::TokenId> stop;  // <|end|>, <|return|> or <|call|>; unset when none ended it
  std::vector<std::string> notes;    // each repair, naming the text it concerned
  std::optional<std::string> error;  // why the message is unusable as it stands

  bool clean() const { return !truncated && !unterminated && !header_missing && !header_repaired && !invalid_arguments && notes.empty(); }
  bool operator==(const MessageDiagnostics&) const = default;
};

struct ParsedMessage {
  Message message;
  MessageDiagnostics diagnostics;
};

}  // namespace tally::harmony
