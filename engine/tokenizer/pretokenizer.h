#pragma once
// o200k pre-tokenization: splits ordinary text into the pieces that tiktoken's regex
//   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//   |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//   |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
// matches, with the regex's leftmost-first backtracking semantics written out by hand (no regex engine).
// A byte that is not valid UTF-8 matches no class and becomes a one-byte piece; for the lookahead it counts as \S.
#include <cstddef>
#include <string_view>
#include <vector>

namespace tally::tok {

// End (exclusive) of the piece that starts at `pos` (< text.size()); always > pos.
size_t next_piece_end(std::string_view text, size_t pos);

// All pieces of `text` in order (for tests and tools; encode() walks next_piece_end directly).
std::vector<std::string_view> split_pieces(std::string_view text);

}  // namespace tally::tok
