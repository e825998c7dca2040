#pragma once
// Renders harmony conversations into what gpt-oss reads: `<|start|>role<|channel|>ch<|message|>text<|end|>`...
// The result keeps the special tokens and the text pieces apart (RenderedPrompt), so it can be shown as text or
// turned into token ids. Text pieces are encoded one by one, exactly where openai/harmony encodes them, because
// BPE over a joined string could merge across a boundary and give the model ids it never saw in training.
#include <string>
#include <vector>

#include "harmony/message.h"
#include "tally/result.h"
#include "tokenizer/tokenizer.h"

namespace tally::harmony {

struct RenderedSegment {
  tok::TokenId special = -1;  // a special token id, or -1 for plain text
  std::string text;           // the plain text, or the special token's literal ("<|start|>")
  bool is_special() const { return special >= 0; }
  bool operator==(const RenderedSegment&) const = default;
};

class RenderedPrompt {
 public:
  void add_special(tok::TokenId id);
  void add_text(std::string text);  // empty text adds nothing (it would encode to no ids)

  const std::vector<RenderedSegment>& segments() const { return segments_; }
  // Specials written as their literals: the form openai/harmony's test files use.
  std::string text() const;
  std::vector<tok::TokenId> ids(const tok::Tokenizer& tokenizer) const;

  // For training targets: the final <|end|> becomes <|return|>.
  void replace_last_special(tok::TokenId id);

 private:
  std::vector<RenderedSegment> segments_;
};

const char* special_literal(tok::TokenId id);  // "<|start|>" ... or "" for ids the renderer never writes

struct RenderOptions {
  // Drop analysis (chain-of-thought) messages that come before the first final answer, when the conversation's
  // last assistant message is a final answer. harmony's default (Python API and RenderConversationConfig).
  bool auto_drop_analysis = true;
};

class HarmonyRenderer {
 public:
  explicit HarmonyRenderer(RenderOptions options = {}) : options_(options) {}

  Result<RenderedPrompt> render_conversation(const Conversation& conv) const;
  // The prompt for generation: the conversation followed by `<|start|>` and the next role.
  Result<RenderedPrompt> render_conversation_for_completion(const Conversation& conv, Role next_role) const;
  // The conversation with a trailing assistant final answer ending in <|return|>, as the model emits it.
  Result<RenderedPrompt> render_conversation_for_training(const Conversation& conv) const;
  // One message. `conversation_has_function_tools` matters only for system messages (see preamble_text.h).
  static Result<void> render_message(const Message& m, bool conversation_has_function_tools, RenderedPrompt& out);

 private:
  RenderOptions options_;
};

}  // namespace tally::harmony
