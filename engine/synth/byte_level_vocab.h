#pragma once
// The o200k vocabulary as Hugging Face and llama.cpp store it: tiktoken's ranks (raw byte strings) rewritten in
// GPT-2's byte-to-unicode alphabet, plus the BPE merge list that the ranks imply, plus the harmony specials.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tally/result.h"

namespace tally::synth {

// Token bytes indexed by rank, from a tiktoken file ("<base64> <rank>" per line; ranks must be 0, 1, 2, ...).
Result<std::vector<std::string>> read_tiktoken_ranks(const std::string& path);

// GPT-2's reversible byte-to-unicode mapping, as UTF-8: printable Latin-1 bytes stand for themselves, the others
// (controls, space, ...) take the code points 256, 257, ... in byte order ("Ġ" for space).
std::string byte_level_text(std::string_view bytes);

// Merges as (left rank, right rank), the way Hugging Face's tiktoken converter derives them: for each token in
// rank order, every split into two tokens that both exist, ordered by (left rank, right rank).
std::vector<std::pair<uint32_t, uint32_t>> derive_merges(const std::vector<std::string>& ranks);

// The harmony special tokens that follow the 199,998 ranks (ids 199998..200018); the remaining ids up to the
// vocabulary size are unnamed padding.
struct SpecialToken {
  uint32_t id;
  std::string text;
};
std::vector<SpecialToken> harmony_specials();

inline constexpr uint32_t kBosId = 199998;  // <|startoftext|>
inline constexpr uint32_t kPadId = 199999;  // <|endoftext|>
inline constexpr uint32_t kEosId = 200002;  // <|return|>
inline constexpr uint32_t kCallId = 200012;  // <|call|>

}  // namespace tally::synth
