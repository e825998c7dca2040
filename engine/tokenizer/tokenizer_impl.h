#pragma once
// Tokenizer's state, shared by the vocabulary sources (tiktoken file, tokenizer.json, GGUF) that fill it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tokenizer/rank_table.h"
#include "tokenizer/tokenizer.h"

namespace tally::tok {

// Ids above this are refused: a vocabulary source (possibly hostile input) must not make us allocate gigabytes.
inline constexpr TokenId kMaxTokenId = (1 << 20) - 1;  // the largest real vocabularies are ~260k
// o200k_harmony pads its 200,019 tokens to 201,088 embedding rows; the extra ids are <|reserved_N|>.
inline constexpr int kHarmonyVocabSize = 201088;
inline constexpr int kO200kRankCount = 199998;

struct Tokenizer::Impl {
  RankTable ranks;
  std::vector<std::string> pieces;  // id -> the bytes decode() emits
  std::vector<uint8_t> special;     // id -> 1 for special / reserved ids
  std::unordered_map<std::string, TokenId> special_ids;
  std::vector<size_t> special_lengths;  // distinct literal lengths, longest first
  std::array<bool, 256> special_first_byte{};
  int rank_count = 0;
  int vocab_size = 0;
  uint64_t instance = 0;  // distinguishes tokenizers in the per-thread piece cache

  // Both return an error message ("" when fine).
  std::string add_rank(std::string bytes, TokenId id);
  std::string add_special(std::string literal, TokenId id);
  void grow_to(size_t ids);
};

}  // namespace tally::tok
