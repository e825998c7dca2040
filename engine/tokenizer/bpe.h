#pragma once
// tiktoken-style byte pair merging inside one pre-token piece: repeatedly merge the adjacent pair whose
// concatenation has the lowest rank (the leftmost one on ties) until no adjacent pair is in the table.
#include <string_view>
#include <vector>

#include "tokenizer/rank_table.h"

namespace tally::tok {

// Appends the ranks of `piece`'s final parts to `out`. Requires every single byte to have a rank
// (RankTable::has_all_bytes), which the vocabulary loaders check.
void bpe_encode(const RankTable& ranks, std::string_view piece, std::vector<Rank>& out);

}  // namespace tally::tok
