// Tokenizer::from_gguf_vocab: tokenizer.ggml.tokens / .token_type as llama.cpp's converter writes them for gpt2-style
// byte-level BPE. A token's rank is its id (the merges only restate that order), control tokens are the specials.
#include "tokenizer/byte_unicode.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_impl.h"

namespace tally::tok {

namespace {
// llama.cpp's token types.
constexpr int32_t kNormal = 1;
constexpr int32_t kControl = 3;
constexpr int32_t kUserDefined = 4;
constexpr int32_t kUnused = 5;
}  // namespace

Result<Tokenizer> Tokenizer::from_gguf_vocab(const GgufVocab& vocab, const std::string& origin) {
  if (!vocab.token_types.empty() && vocab.token_types.size() != vocab.tokens.size()) {
    return make_error(origin + ": tokenizer.ggml.token_type has " + std::to_string(vocab.token_types.size()) +
                      " entries for " + std::to_string(vocab.tokens.size()) + " tokens");
  }
  if (vocab.tokens.size() > static_cast<size_t>(kMaxTokenId) + 1) {
    return make_error(origin + ": " + std::to_string(vocab.tokens.size()) + " tokens is more than supported");
  }
  auto impl = std::make_unique<Impl>();
  impl->ranks.reserve(vocab.tokens.size() + 16, vocab.tokens.size() * 8);
  impl->pieces.reserve(vocab.tokens.size());
  for (size_t i = 0; i < vocab.tokens.size(); ++i) {
    const TokenId id = static_cast<TokenId>(i);
    const int32_t type = vocab.token_types.empty() ? kNormal : vocab.token_types[i];
    const std::string& text = vocab.tokens[i];
    const std::string where = origin + ": tokenizer.ggml.tokens[" + std::to_string(i) + "]";
    std::string err;
    switch (type) {
      case kNormal: {
        std::optional<std::string> bytes = gpt2_unicode_to_bytes(text);
        if (!bytes) return make_error(where + " \"" + text + "\" is not byte-level (GPT-2 alphabet)");
        err = impl->add_rank(std::move(*bytes), id);
        break;
      }
      case kControl:
      case kUserDefined:
        err = impl->add_special(text, id);
        break;
      case kUnused:
        // Padding rows ("[PAD200019]" in gpt-oss GGUFs); Tokenizer::finish names them <|reserved_N|> as tiktoken does.
        break;
      default:
        return make_error(where + " has token type " + std::to_string(type) + ", unsupported for byte-level BPE");
    }
    if (!err.empty()) return make_error(where + ": " + err);
  }
  impl->grow_to(vocab.tokens.size());
  return finish(std::move(impl), origin);
}

}  // namespace tally::tok
