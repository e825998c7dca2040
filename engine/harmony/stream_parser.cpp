#include "harmony/stream_parser.h"

#include "harmony/tolerant_header.h"
#include "harmony/utf8_text.h"

namespace tally::harmony {

using tok::TokenId;
using tok::Tokenizer;

HarmonyStreamParser::HarmonyStreamParser(const Tokenizer& tokenizer, std::optional<Role> role, ParseOptions options)
    : tokenizer_(tokenizer), options_(options), state_(role ? State::ReadingHeader : State::AwaitingStart), next_role_(role) {}

bool HarmonyStreamParser::is_stop(TokenId t) const {
  return t == Tokenizer::kEnd || t == Tokenizer::kReturn || t == Tokenizer::kCall;
}

const std::string* HarmonyStreamParser::bytes_of(TokenId t) const {
  if (t < 0 || t >= tokenizer_.vocab_size()) return nullptr;
  return &tokenizer_.piece(t);
}

Result<std::string> HarmonyStreamParser::decode_text(const std::vector<TokenId>& ids) const {
  std::string out;
  for (TokenId t : ids) {
    const std::string* b = bytes_of(t);
    if (!b) return make_error("token id " + std::to_string(t) + " is outside the vocabulary");
    out += *b;
  }
  if (!is_valid_utf8(out)) return make_error("text is not valid UTF-8");
  return out;
}

std::vector<Message> HarmonyStreamParser::take_messages() {
  std::vector<Message> out = std::move(messages_);
  messages_.clear();
  diagnostics_.clear();
  return out;
}

std::vector<ParsedMessage> HarmonyStreamParser::take_parsed() {
  std::vector<ParsedMessage> out;
  out.reserve(messages_.size());
  for (size_t i = 0; i < messages_.size(); ++i) {
    out.push_back({std::move(messages_[i]), i < diagnostics_.size() ? std::move(diagnostics_[i]) : MessageDiagnostics{}});
  }
  messages_.clear();
  diagnostics_.clear();
  return out;
}

std::optional<Role> HarmonyStreamParser::current_role() const {
  return state_ == State::ReadingContent ? std::optional<Role>(header_.role) : next_role_;
}
std::optional<std::string> HarmonyStreamParser::current_channel() const {
  return state_ == State::ReadingContent ? header_.channel : std::nullopt;
}
std::optional<std::string> HarmonyStreamParser::current_recipient() const {
  return state_ == State::ReadingContent ? header_.recipient : std::nullopt;
}
std::optional<std::string> HarmonyStreamParser::current_content_type() const {
  return state_ == State::ReadingContent ? header_.content_type : std::nullopt;
}

void HarmonyStreamParser::push_message(const MessageHeader& h, std::string text) {
  Message m;
  m.role = h.role;
  m.name = h.name;
  m.recipient = h.recipient;
  m.channel = h.channel;
  m.content_type = h.content_type;
  m.content.emplace_back(TextContent{std::move(text)});
  MessageDiagnostics d = std::move(pending_);
  pending_ = {};
  check_finished(m, d);
  last_role_ = m.role;
  messages_.push_back(std::move(m));
  diagnostics_.push_back(std::move(d));
}

Result<void> HarmonyStreamParser::process(TokenId token) {
  tokens_.push_back(token);
  if (options_.tolerant) return process_tolerant(token);
  switch (state_) {
    case State::AwaitingStart:
      if (token != Tokenizer::kStart) {
        return make_error("unexpected token " + std::to_string(token) + " while expecting <|start|> (" +
                          std::to_string(Tokenizer::kStart) + ")");
      }
      header_tokens_.clear();
      turn_ended_ = false;
      state_ = State::ReadingHeader;
      return {};
    case State::ReadingHeader:
      return on_header_token(token);
    case State::ReadingContent:
      if (is_stop(token)) {
        turn_ended_ = token == Tokenizer::kReturn || token == Tokenizer::kCall;
        pending_.stop = token;
        finish_message();
      } else {
        on_content_token(token);
      }
      return {};
  }
  return {};
}

Result<void> HarmonyStreamParser::end_of_stream() {
  if (options_.tolerant && state_ == State::ReadingHeader) {
    if (orphan_) {
      resolve_orphan_text(true);
    } else if (!header_tokens_.empty()) {
      // Report what the header said so far, flagged, rather than lose the message.
      std::vector<TokenId> header = std::move(header_tokens_);
      header_tokens_.clear();
      TolerantHeader h = parse_header_tolerant(decode_lossy(header), next_role_, options_.known_tools);
      for (auto& r : h.repairs) note(std::move(r));
      pending_.truncated = true;
      pending_.error = "the output ended inside a message header";
      state_ = State::AwaitingStart;
      next_role_.reset();
      push_message(h.header, "");
      return {};
    } else {
      state_ = State::AwaitingStart;
      return {};
    }
  }
  switch (state_) {
    case State::AwaitingStart:
      return {};  // the stream ended right after a stop token: nothing is pending
    case State::ReadingHeader:
      return make_error("unexpected end of stream while waiting for the message header to complete");
    case State::ReadingContent:
      pending_.truncated = true;
      finish_message();
      return {};
  }
  return {};
}

Result<void> HarmonyStreamParser::on_header_token(TokenId token) {
  if (token == Tokenizer::kMessage) {
    std::vector<TokenId> header = std::move(header_tokens_);
    header_tokens_.clear();
    state_ = State::AwaitingStart;  // where a bad header leaves the parser
    auto text = decode_text(header);
    if (!text) return make_error("could not decode message header: " + text.error().message);
    auto parsed = parse_message_header(std::move(text.value()), next_role_, true);
    if (!parsed) return parsed.error();
    if (parsed.value().remaining) {
      return make_error("unexpected text in message header: '" + *parsed.value().remaining + "'");
    }
    header_ = std::move(parsed.value().header);
    next_role_.reset();
    content_.clear();
    undecoded_tokens_.clear();
    undecoded_bytes_.clear();
    last_delta_.reset();
    state_ = State::ReadingContent;
    return {};
  }
  if (!options_.strict && is_stop(token)) {
    // The model wrote a message without <|message|>. Salvage the first message (whose role is known) as text.
    std::vector<TokenId> header = std::move(header_tokens_);
    header_tokens_.clear();
    const std::optional<Role> role = next_role_;
    state_ = State::AwaitingStart;
    next_role_.reset();
    if (role && !header.empty()) {
      auto text = decode_text(header);
      if (!text) return make_error("could not decode message header: " + text.error().message);
      auto parsed = parse_message_header(std::move(text.value()), role, false);
      if (!parsed) return parsed.error();
      push_message(parsed.value().header, parsed.value().remaining.value_or(""));
    }
    return {};
  }
  header_tokens_.push_back(token);
  return {};
}

void HarmonyStreamParser::on_content_token(TokenId token) {
  undecoded_tokens_.push_back(token);
  // Once an id outside the vocabulary is held, the whole held run stays undecodable until the message ends
  // (harmony's behaviour: it then becomes a single U+FFFD).
  std::string bytes;
  for (TokenId t : undecoded_tokens_) {
    const std::string* b = bytes_of(t);
    if (!b) {
      last_delta_.reset();
      return;
    }
    bytes += *b;
  }
  undecoded_tokens_.clear();
  undecoded_bytes_ += bytes;

  const Utf8Check check = check_utf8(undecoded_bytes_);
  if (check.valid(undecoded_bytes_.size())) {
    std::string delta = std::move(undecoded_bytes_);
    undecoded_bytes_.clear();
    if (options_.tolerant) delta = filter_.feed(delta);
    content_ += delta;
    if (delta.empty()) {
      last_delta_.reset();
    } else {
      last_delta_ = std::move(delta);
    }
    return;
  }
  // Emit the valid prefix and at most one replacement per token; bytes after a bad sequence wait for the next
  // token (or the end of the message), exactly as harmony does, so deltas and final text match it.
  std::string delta = undecoded_bytes_.substr(0, check.valid_up_to);
  undecoded_bytes_.erase(0, check.valid_up_to);
  if (check.error_len) {
    delta += kReplacementChar;
    undecoded_bytes_.erase(0, *check.error_len);
  } else {
    last_delta_.reset();  // waiting for the rest of a multi-byte character
  }
  if (options_.tolerant) delta = filter_.feed(delta);
  content_ += delta;
  if (!delta.empty()) last_delta_ = std::move(delta);
}

void HarmonyStreamParser::finish_message() {
  std::string text = std::move(content_);
  // What was still held, in stream order: text the markup filter kept back, then undecodable ids, then bytes of
  // an unfinished character.
  std::string tail = options_.tolerant ? filter_.flush() : std::string();
  if (!undecoded_tokens_.empty()) {
    auto held = decode_text(undecoded_tokens_);
    tail += held ? held.value() : std::string(kReplacementChar);
  }
  tail += utf8_lossy(undecoded_bytes_);
  text += options_.tolerant ? strip_markup(tail) : tail;
  push_message(header_, std::move(text));
  state_ = State::AwaitingStart;
  content_.clear();
  last_delta_.reset();
  undecoded_tokens_.clear();
  undecoded_bytes_.clear();
}

Result<std::vector<Message>> parse_completion_tokens(const Tokenizer& tokenizer, const std::vector<TokenId>& tokens,
                                                     std::optional<Role> role, ParseOptions options) {
  HarmonyStreamParser parser(tokenizer, role, options);
  for (TokenId t : tokens) {
    auto r = parser.process(t);
    if (!r) return r.error();
  }
  auto r = parser.end_of_stream();
  if (!r) return r.error();
  return parser.take_messages();
}

ParsedCompletion parse_completion_report(const Tokenizer& tokenizer, const std::vector<TokenId>& tokens,
                                         std::optional<Role> role, const ParseOptions& options) {
  HarmonyStreamParser parser(tokenizer, role, options);
  ParsedCompletion out;
  for (TokenId t : tokens) {
    if (auto r = parser.process(t); !r) out.errors.push_back(r.error().message);
  }
  if (auto r = parser.end_of_stream(); !r) out.errors.push_back(r.error().message);
  out.messages = parser.take_parsed();
  return out;
}

}  // namespace tally::harmony
