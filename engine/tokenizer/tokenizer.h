#pragma once
// o200k_harmony: byte-level BPE (tiktoken-style, lowest rank merged first) plus the harmony special tokens.
// Ordinary text never yields special tokens: encode() treats "<|start|>" in user text as plain characters. Only the
// harmony renderer inserts special ids, by id.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tally/result.h"

namespace tally::tok {

using TokenId = int32_t;

// The vocabulary as GGUF stores it: tokens in GPT-2's byte-to-unicode form, "a b" merges, and token types
// (1 normal, 3 control, 5 unused, ...).
struct GgufVocab {
  std::vector<std::string> tokens;
  std::vector<std::string> merges;
  std::vector<int32_t> token_types;
};

class Tokenizer {
 public:
  // The harmony special tokens (ids are fixed by o200k_harmony).
  static constexpr TokenId kStartOfText = 199998;
  static constexpr TokenId kEndOfText = 199999;
  static constexpr TokenId kReturn = 200002;
  static constexpr TokenId kConstrain = 200003;
  static constexpr TokenId kChannel = 200005;
  static constexpr TokenId kStart = 200006;
  static constexpr TokenId kEnd = 200007;
  static constexpr TokenId kMessage = 200008;
  static constexpr TokenId kCall = 200012;
  static constexpr TokenId kEndOfPrompt = 200018;

  static Result<Tokenizer> from_tiktoken(const std::string& path);        // o200k_base ranks + harmony specials
  static Result<Tokenizer> from_tokenizer_json(const std::string& path);  // Hugging Face tokenizer.json
  static Result<Tokenizer> from_tokenizer_json_text(std::string_view json, const std::string& origin);
  static Result<Tokenizer> from_gguf_vocab(const GgufVocab& vocab, const std::string& origin);
  // resources/tokenizer/o200k_base.tiktoken of this source tree (for tools and tests).
  static std::string bundled_tiktoken_path();
  // o200k_harmony's name for a special id (199998 and up): "<|start|>", or "<|reserved_N|>" for unnamed ids.
  static std::string harmony_special_literal(TokenId id);

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // Ordinary text -> ids. Invalid UTF-8 is encoded byte by byte (decode() gives the same bytes back).
  std::vector<TokenId> encode(std::string_view text) const;
  // Text where special-token strings such as "<|start|>" are recognised (tests and harmony fixture parsing only).
  std::vector<TokenId> encode_with_specials(std::string_view text) const;
  // Ids -> the exact bytes (special tokens as their literal text, e.g. "<|end|>").
  std::string decode(const std::vector<TokenId>& ids) const;
  // One token's bytes (may be a partial UTF-8 sequence).
  const std::string& piece(TokenId id) const;

  bool is_special(TokenId id) const;
  // Special token id by literal ("<|call|>"), or -1.
  TokenId special_id(std::string_view literal) const;
  int vocab_size() const;  // 201088 for o200k_harmony (ids past the last rank are specials / reserved)
  // Number of ordinary (byte string) tokens: 199998 for o200k_base.
  int rank_count() const;

  struct Impl;  // opaque here; defined in tokenizer_impl.h for the vocabulary sources

  // encode() appending to `out` (no allocation once `out` has grown).
  void encode_into(std::string_view text, std::vector<TokenId>& out) const;

 private:
  explicit Tokenizer(std::unique_ptr<Impl> impl);
  // Checks what every source must provide (all 256 single bytes), names unassigned ids <|reserved_N|>.
  static Result<Tokenizer> finish(std::unique_ptr<Impl> impl, const std::string& origin);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tally::tok
