#include "harmony/renderer.h"

#include <variant>

#include "harmony/preamble_text.h"

namespace tally::harmony {

using tok::TokenId;
using tok::Tokenizer;

namespace {

constexpr std::string_view kConstrainLiteral = "<|constrain|>";

bool has_function_tools(const Conversation& conv) {
  for (const auto& m : conv.messages) {
    for (const auto& c : m.content) {
      const auto* dev = std::get_if<DeveloperContent>(&c);
      if (!dev || !dev->tools) continue;
      auto it = dev->tools->find("functions");
      if (it != dev->tools->end() && !it->second.tools.empty()) return true;
    }
  }
  return false;
}

std::string describe(const Message& m) {
  std::string s(role_name(m.role));
  if (m.name) s += " '" + *m.name + "'";
  return s;
}

}  // namespace

const char* special_literal(TokenId id) {
  switch (id) {
    case Tokenizer::kStart: return "<|start|>";
    case Tokenizer::kMessage: return "<|message|>";
    case Tokenizer::kEnd: return "<|end|>";
    case Tokenizer::kReturn: return "<|return|>";
    case Tokenizer::kCall: return "<|call|>";
    case Tokenizer::kChannel: return "<|channel|>";
    case Tokenizer::kConstrain: return "<|constrain|>";
    case Tokenizer::kStartOfText: return "<|startoftext|>";
    case Tokenizer::kEndOfText: return "<|endoftext|>";
    case Tokenizer::kEndOfPrompt: return "<|endofprompt|>";
    default: return "";
  }
}

void RenderedPrompt::add_special(TokenId id) { segments_.push_back(RenderedSegment{id, special_literal(id)}); }

void RenderedPrompt::add_text(std::string text) {
  if (!text.empty()) segments_.push_back(RenderedSegment{-1, std::move(text)});
}

std::string RenderedPrompt::text() const {
  std::string out;
  for (const auto& s : segments_) out += s.text;
  return out;
}

std::vector<TokenId> RenderedPrompt::ids(const Tokenizer& tokenizer) const {
  std::vector<TokenId> out;
  for (const auto& s : segments_) {
    if (s.is_special()) {
      out.push_back(s.special);
    } else {
      auto piece = tokenizer.encode(s.text);
      out.insert(out.end(), piece.begin(), piece.end());
    }
  }
  return out;
}

void RenderedPrompt::replace_last_special(TokenId id) {
  if (!segments_.empty() && segments_.back().is_special()) segments_.back() = RenderedSegment{id, special_literal(id)};
}

Result<void> HarmonyRenderer::render_message(const Message& m, bool conversation_has_function_tools,
                                             RenderedPrompt& out) {
  out.add_special(Tokenizer::kStart);
  if (m.role == Role::Tool) {
    // A tool's message is headed by the tool's name ("functions.lookup_weather"), not by the role.
    if (!m.name) return make_error("tool message has no author name (e.g. \"functions.lookup_weather\")");
    out.add_text(*m.name);
  } else {
    out.add_text(std::string(role_name(m.role)));
    if (m.name) out.add_text(":" + *m.name);
  }
  if (m.recipient && *m.recipient != "all") out.add_text(" to=" + *m.recipient);
  if (m.channel) {
    out.add_special(Tokenizer::kChannel);
    out.add_text(*m.channel);
  }
  if (m.content_type) {
    const std::string& ct = *m.content_type;
    if (ct.compare(0, kConstrainLiteral.size(), kConstrainLiteral) == 0) {
      // "<|constrain|>json" is written as " ", the special token, then "json".
      out.add_text(" ");
      out.add_special(Tokenizer::kConstrain);
      out.add_text(ct.substr(kConstrainLiteral.size()));
    } else {
      out.add_text(" " + ct);
    }
  }
  out.add_special(Tokenizer::kMessage);
  for (const auto& c : m.content) {
    if (const auto* t = std::get_if<TextContent>(&c)) {
      out.add_text(t->text);
    } else if (const auto* s = std::get_if<SystemContent>(&c)) {
      if (m.role != Role::System) return make_error("system content in a " + describe(m) + " message");
      out.add_text(system_content_text(*s, conversation_has_function_tools));
    } else if (const auto* d = std::get_if<DeveloperContent>(&c)) {
      if (m.role != Role::Developer) return make_error("developer content in a " + describe(m) + " message");
      out.add_text(developer_content_text(*d));
    }
  }
  // An assistant message addressed to someone is a tool call: it ends the turn with <|call|>.
  out.add_special(m.role == Role::Assistant && m.recipient ? Tokenizer::kCall : Tokenizer::kEnd);
  return {};
}

Result<RenderedPrompt> HarmonyRenderer::render_conversation(const Conversation& conv) const {
  const bool function_tools = has_function_tools(conv);

  // Chain of thought is dropped only once the turn is over (the last assistant message is a final answer), and
  // only the analysis before the first final answer: during a tool-call loop the model needs its own reasoning.
  bool last_assistant_is_final = false;
  for (auto it = conv.messages.rbegin(); it != conv.messages.rend(); ++it) {
    if (it->role == Role::Assistant) {
      last_assistant_is_final = it->channel == "final";
      break;
    }
  }
  const bool drop_analysis = options_.auto_drop_analysis && last_assistant_is_final;
  size_t first_final = conv.messages.size();
  for (size_t i = 0; i < conv.messages.size(); ++i) {
    if (conv.messages[i].channel == "final") {
      first_final = i;
      break;
    }
  }

  RenderedPrompt out;
  for (size_t i = 0; i < conv.messages.size(); ++i) {
    const Message& m = conv.messages[i];
    if (drop_analysis && i < first_final && m.channel == "analysis") continue;
    auto r = render_message(m, function_tools, out);
    if (!r) return make_error("message " + std::to_string(i) + ": " + r.error().message);
  }
  return out;
}

Result<RenderedPrompt> HarmonyRenderer::render_conversation_for_completion(const Conversation& conv,
                                                                           Role next_role) const {
  auto out = render_conversation(conv);
  if (!out) return out;
  out.value().add_special(Tokenizer::kStart);
  out.value().add_text(std::string(role_name(next_role)));
  return out;
}

Result<RenderedPrompt> HarmonyRenderer::render_conversation_for_training(const Conversation& conv) const {
  auto out = render_conversation(conv);
  if (!out) return out;
  if (!conv.messages.empty()) {
    const Message& last = conv.messages.back();
    if (last.role == Role::Assistant && last.channel == "final") out.value().replace_last_special(Tokenizer::kReturn);
  }
  return out;
}

}  // namespace tally::harmony
