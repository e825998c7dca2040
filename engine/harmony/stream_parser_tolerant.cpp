// The tolerant half of HarmonyStreamParser: how live gpt-oss output that bends the harmony format is still read
// into the right messages. Each rule keeps the damage to the one message it concerns.
#include <nlohmann/json.hpp>

#include "harmony/stream_parser.h"
#include "harmony/tolerant_header.h"
#include "harmony/utf8_text.h"

namespace tally::harmony {

using tok::TokenId;
using tok::Tokenizer;

namespace {

constexpr size_t kMaxOrphanHeaderTokens = 24;  // a real header is a handful of tokens

bool is_blank(std::string_view s) { return trim_unicode_whitespace(utf8_lossy(s)).empty(); }

bool is_tool_call(const Message& m) {
  if (m.role != Role::Assistant || !m.recipient) return false;
  const bool json_type = m.content_type && m.content_type->find("json") != std::string::npos;
  return json_type || m.recipient->rfind("functions.", 0) == 0;
}

// Whether text that followed a message's end without <|start|> still reads like the start of a header
// ("assistant", "to=functions.x", "<|channel|>" typed out): then more of it is needed before deciding.
bool could_be_header(std::string_view text, bool complete_word_needed) {
  const std::string t(trim_unicode_whitespace(text));
  if (t.empty()) return true;
  size_t end = 0;
  while (end < t.size() && t[end] != ' ' && t[end] != '\t' && t[end] != '\n' && t[end] != '<') ++end;
  const std::string word = t.substr(0, end);
  const bool complete = end < t.size();
  if (word.empty()) return t[0] == '<';
  if (role_from_name(word) || word.rfind("to=", 0) == 0) return true;
  if (complete || complete_word_needed) return false;
  for (std::string_view cand : {"user", "assistant", "system", "developer", "tool", "to="}) {
    if (cand.substr(0, word.size()) == word) return true;
  }
  return false;
}

}  // namespace

void HarmonyStreamParser::note(std::string what) { pending_.notes.push_back(std::move(what)); }

std::string HarmonyStreamParser::decode_lossy(const std::vector<TokenId>& ids) {
  std::string bytes;
  int outside = 0;
  for (TokenId t : ids) {
    if (const std::string* b = bytes_of(t)) {
      bytes += *b;
    } else {
      ++outside;
    }
  }
  if (outside) note(std::to_string(outside) + " token id(s) outside the vocabulary skipped in a header");
  return utf8_lossy(bytes);
}

void HarmonyStreamParser::check_finished(const Message& m, MessageDiagnostics& d) const {
  if (d.error) return;  // the first problem found is the one to report
  if (!is_tool_call(m)) {
    if (d.stop == Tokenizer::kCall && m.role == Role::Assistant && !m.recipient) {
      d.error = "the tool call names no tool (no to=functions.NAME in its header); call one of the tools by name";
    }
    return;
  }
  const std::string args = m.text_content();
  const std::string tool = *m.recipient;
  if (trim_unicode_whitespace(args).empty()) {
    d.invalid_arguments = true;
    d.error = "the arguments of " + tool + " are empty; send a JSON object";
  } else if (!nlohmann::json::accept(args)) {
    d.invalid_arguments = true;
    std::string why;
    try {
      const auto parsed = nlohmann::json::parse(args);  // throws: accept() said it is not JSON
      (void)parsed;
    } catch (const nlohmann::json::exception& e) {
      why = e.what();
    }
    d.error = "the arguments of " + tool + " are not valid JSON" + (d.truncated ? " (the output was cut off)" : "") +
              (why.empty() ? "" : ": " + why) + "; send them again as one JSON object";
  }
  if (d.truncated && !d.error) d.error = "the call to " + tool + " was cut off before <|call|>";
}

void HarmonyStreamParser::begin_header(std::optional<Role> role, bool implicit) {
  header_tokens_.clear();
  next_role_ = role;
  orphan_ = false;
  turn_ended_ = false;
  state_ = State::ReadingHeader;
  if (implicit) {
    pending_.header_repaired = true;
    note("missing <|start|> before a header; role carried over from the previous message");
  }
}

void HarmonyStreamParser::begin_content(const MessageHeader& header) {
  header_ = header;
  next_role_.reset();
  orphan_ = false;
  content_.clear();
  undecoded_tokens_.clear();
  undecoded_bytes_.clear();
  last_delta_.reset();
  filter_ = MarkupFilter{};
  state_ = State::ReadingContent;
}

// The buffered "header" is text after all (or the stream ended): it becomes a header-less message's content.
void HarmonyStreamParser::resolve_orphan_text(bool force_content) {
  const std::string text = decode_lossy(header_tokens_);
  if (!force_content && could_be_header(text, header_tokens_.size() > kMaxOrphanHeaderTokens)) return;
  std::vector<TokenId> held = std::move(header_tokens_);
  header_tokens_.clear();
  MessageHeader h;
  h.role = next_role_.value_or(last_role_);
  begin_content(h);
  pending_.header_missing = true;
  note("text followed the end of a message with no new header; kept as a message without a channel");
  // One delta for the whole held run, so a UI that reads last_content_delta() after each token misses nothing.
  std::string delta;
  for (TokenId t : held) {
    on_content_token(t);
    if (last_delta_) delta += *last_delta_;
  }
  if (delta.empty()) {
    last_delta_.reset();
  } else {
    last_delta_ = std::move(delta);
  }
}

Result<void> HarmonyStreamParser::process_tolerant(TokenId token) {
  switch (state_) {
    case State::AwaitingStart:
      tolerant_awaiting_start(token);
      break;
    case State::ReadingHeader:
      tolerant_header_token(token);
      break;
    case State::ReadingContent:
      tolerant_content_token(token);
      break;
  }
  return {};
}

void HarmonyStreamParser::tolerant_awaiting_start(TokenId token) {
  if (token == Tokenizer::kStart) {
    begin_header(std::nullopt, false);
  } else if (token == Tokenizer::kChannel || token == Tokenizer::kMessage) {
    begin_header(last_role_, true);
    tolerant_header_token(token);
  } else if (is_stop(token)) {
    // A stray stop between messages still says whether the turn is over.
    turn_ended_ = turn_ended_ || token == Tokenizer::kReturn || token == Tokenizer::kCall;
  } else if (bytes_of(token) && tokenizer_.is_special(token)) {
    // <|constrain|>, <|endoftext|>, reserved ids between messages carry nothing.
  } else {
    begin_header(last_role_, false);
    orphan_ = true;
    header_tokens_.push_back(token);
    resolve_orphan_text(false);
  }
}

void HarmonyStreamParser::tolerant_header_token(TokenId token) {
  if (token == Tokenizer::kMessage) {
    if (orphan_) {
      pending_.header_repaired = true;
      note("missing <|start|> before a header");
    }
    TolerantHeader h = parse_header_tolerant(decode_lossy(header_tokens_), next_role_, options_.known_tools);
    header_tokens_.clear();
    if (!h.repairs.empty()) pending_.header_repaired = true;
    for (auto& r : h.repairs) note(std::move(r));
    begin_content(h.header);
    return;
  }
  if (token == Tokenizer::kStart) {
    // The model began the header again: the new one wins.
    if (!header_tokens_.empty() && !is_blank(decode_lossy(header_tokens_))) {
      pending_.header_repaired = true;
      note("an unfinished header was abandoned for a new <|start|>");
    }
    begin_header(std::nullopt, false);
    return;
  }
  if (is_stop(token)) {
    turn_ended_ = token == Tokenizer::kReturn || token == Tokenizer::kCall;
    const bool orphan = orphan_;
    std::vector<TokenId> header = std::move(header_tokens_);
    header_tokens_.clear();
    const std::optional<Role> role = next_role_;
    state_ = State::AwaitingStart;
    next_role_.reset();
    orphan_ = false;
    const std::string text = decode_lossy(header);
    if (is_blank(text)) {
      pending_ = {};
      return;
    }
    MessageHeader mh;
    std::string body;
    if (orphan) {
      mh.role = role.value_or(last_role_);
      body = text;
      pending_.header_missing = true;
      note("text followed the end of a message with no new header; kept as a message without a channel");
    } else {
      TolerantHeader h = parse_header_tolerant(text, role, options_.known_tools, false);
      mh = h.header;
      body = h.text.value_or("");
      pending_.header_repaired = true;
      note("the header ran into a stop token without <|message|>; its words are kept as the message's text");
    }
    pending_.stop = token;
    push_message(mh, strip_markup(body));
    return;
  }
  header_tokens_.push_back(token);
  if (orphan_) resolve_orphan_text(false);
}

void HarmonyStreamParser::tolerant_content_token(TokenId token) {
  if (is_stop(token)) {
    turn_ended_ = token == Tokenizer::kReturn || token == Tokenizer::kCall;
    pending_.stop = token;
    finish_message();
    return;
  }
  if (token == Tokenizer::kStart || token == Tokenizer::kChannel) {
    // The model began a new message without ending this one.
    const Role role = header_.role;
    if (pending_.header_missing && is_blank(content_) && undecoded_tokens_.empty() && is_blank(undecoded_bytes_) &&
        !filter_.holding()) {
      pending_ = {};  // only whitespace between messages
      state_ = State::AwaitingStart;
    } else {
      pending_.unterminated = true;
      note("a new header began before this message's <|end|>");
      finish_message();
    }
    if (token == Tokenizer::kStart) {
      begin_header(std::nullopt, false);
    } else {
      begin_header(role, false);
      header_tokens_.push_back(token);
    }
    return;
  }
  if (bytes_of(token) && tokenizer_.is_special(token)) {
    note("control token " + tokenizer_.piece(token) + " inside the text dropped");
    last_delta_.reset();
    return;
  }
  on_content_token(token);
}

}  // namespace tally::harmony
