#pragma once
// Reads gpt-oss output one token at a time and turns it into harmony messages as it streams: the current
// message's role, channel, recipient and content type once its header is complete, each content delta as it
// decodes, and every finished message. Behaves as openai/harmony's StreamableParser (same messages, same errors,
// same U+FFFD placement for invalid bytes).
//
// Stop tokens: <|end|> ends a message; <|return|> and <|call|> also end the assistant's turn (the caller stops
// sampling there; the parser treats all three alike). end_of_stream() finishes a message cut off mid-content.
//
// Tolerant mode (ParseOptions::tolerant) is for live model output, where one malformed message must not cost the
// turn: headers are read by parse_header_tolerant(), a missing <|start|> is supplied, text after <|end|> with no
// header becomes a message of its own, a <|start|> or <|channel|> inside content ends that message, the stream
// may end anywhere, and control-token text never reaches content or deltas. process() and end_of_stream() then
// never fail; what went wrong with a message is in its MessageDiagnostics (diagnostics(), parallel to messages()).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "harmony/markup_filter.h"
#include "harmony/message.h"
#include "harmony/message_diagnostics.h"
#include "harmony/message_header.h"
#include "tally/result.h"
#include "tokenizer/tokenizer.h"

namespace tally::harmony {

struct ParseOptions {
  // Strict: a header that never reaches <|message|> is an error. Non-strict: when the first message's header
  // runs into a stop token, its words (minus a `<|channel|>x`) become the text of a message in the starting role.
  bool strict = true;
  // Repairs malformed output instead of rejecting it (see above); `strict` is then ignored.
  bool tolerant = false;
  // Tool names the model may call ("functions.sql_query" or "sql_query"), used by tolerant header repair.
  std::vector<std::string> known_tools;
};

class HarmonyStreamParser {
 public:
  enum class State { AwaitingStart, ReadingHeader, ReadingContent };

  // `role`: the role of the first message when the prompt already ended in "<|start|>assistant" (the usual case),
  // or nullopt when the stream begins with <|start|>. The tokenizer must outlive the parser.
  HarmonyStreamParser(const tok::Tokenizer& tokenizer, std::optional<Role> role, ParseOptions options = {});

  // Errors (unexpected token, bad header) leave the parser usable: it waits for the next <|start|>.
  Result<void> process(tok::TokenId token);
  Result<void> end_of_stream();

  State state() const { return state_; }
  const std::vector<Message>& messages() const { return messages_; }
  std::vector<Message> take_messages();  // also clears diagnostics()
  // One entry per message in messages(), same order.
  const std::vector<MessageDiagnostics>& diagnostics() const { return diagnostics_; }
  std::vector<ParsedMessage> take_parsed();
  // What is known so far about the message in progress (tolerant mode fills it as it reads).
  const MessageDiagnostics& current_diagnostics() const { return pending_; }
  const std::vector<tok::TokenId>& tokens() const { return tokens_; }
  // True once <|return|> (final answer done) or <|call|> (tool call made) closed a message: the assistant's turn
  // is over and sampling should stop. Cleared by the next <|start|>.
  bool turn_ended() const { return turn_ended_; }

  // The message in progress (role is known before its header completes when it was given up front).
  std::optional<Role> current_role() const;
  std::optional<std::string> current_channel() const;
  std::optional<std::string> current_recipient() const;
  std::optional<std::string> current_content_type() const;
  const std::string& current_content() const { return content_; }
  // Text added by the last token; unset while a multi-byte character is still incomplete.
  const std::optional<std::string>& last_content_delta() const { return last_delta_; }

 private:
  bool is_stop(tok::TokenId t) const;
  // The token's bytes, or nullptr for an id outside the vocabulary.
  const std::string* bytes_of(tok::TokenId t) const;
  Result<std::string> decode_text(const std::vector<tok::TokenId>& ids) const;  // must be valid UTF-8
  Result<void> on_header_token(tok::TokenId token);
  void on_content_token(tok::TokenId token);
  void finish_message();
  void push_message(const MessageHeader& h, std::string text);
  // Tolerant mode (stream_parser_tolerant.cpp).
  Result<void> process_tolerant(tok::TokenId token);
  void tolerant_awaiting_start(tok::TokenId token);
  void tolerant_header_token(tok::TokenId token);
  void tolerant_content_token(tok::TokenId token);
  void begin_header(std::optional<Role> role, bool implicit);
  void begin_content(const MessageHeader& header);
  void resolve_orphan_text(bool force_content);
  std::string decode_lossy(const std::vector<tok::TokenId>& ids);
  void check_finished(const Message& m, MessageDiagnostics& d) const;
  void note(std::string what);

  const tok::Tokenizer& tokenizer_;
  ParseOptions options_;
  State state_;
  std::optional<Role> next_role_;
  std::vector<tok::TokenId> tokens_;
  std::vector<Message> messages_;

  std::vector<tok::TokenId> header_tokens_;
  MessageHeader header_;
  std::string content_;
  // Content not yet decodable: ids outside the vocabulary (held until the end of the message, as harmony does),
  // and bytes of a character still awaiting its continuation bytes.
  std::vector<tok::TokenId> undecoded_tokens_;
  std::string undecoded_bytes_;
  std::optional<std::string> last_delta_;
  bool turn_ended_ = false;

  std::vector<MessageDiagnostics> diagnostics_;
  MessageDiagnostics pending_;
  MarkupFilter filter_;
  Role last_role_ = Role::Assistant;  // carried over when a header (or <|start|>) is missing
  bool orphan_ = false;  // header tokens are really text that followed a message's end without a header
};

// Every message with its diagnostics, and the errors process() reported (never any in tolerant mode).
struct ParsedCompletion {
  std::vector<ParsedMessage> messages;
  std::vector<std::string> errors;
};
ParsedCompletion parse_completion_report(const tok::Tokenizer& tokenizer, const std::vector<tok::TokenId>& tokens,
                                         std::optional<Role> role, const ParseOptions& options);

// Feeds every token, then end of stream; the messages, or the first error.
Result<std::vector<Message>> parse_completion_tokens(const tok::Tokenizer& tokenizer,
                                                     const std::vector<tok::TokenId>& tokens,
                                                     std::optional<Role> role, ParseOptions options = {});

}  // namespace tally::harmony
