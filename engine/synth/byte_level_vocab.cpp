#include "synth/byte_level_vocab.h"

#include "tokenizer/byte_unicode.h"
#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <unordered_map>

namespace tally::synth {

Result<std::vector<std::string>> read_tiktoken_ranks(const std::string& path) {
  auto tokenizer = tok::Tokenizer::from_tiktoken(path);
  if (!tokenizer) return tokenizer.error();
  std::vector<std::string> ranks(static_cast<size_t>(tokenizer->rank_count()));
  for (size_t r = 0; r < ranks.size(); ++r) ranks[r] = tokenizer->piece(static_cast<tok::TokenId>(r));
  return ranks;
}

std::string byte_level_text(std::string_view bytes) { return tok::bytes_to_gpt2_unicode(bytes); }

std::vector<std::pair<uint32_t, uint32_t>> derive_merges(const std::vector<std::string>& ranks) {
  std::unordered_map<std::string_view, uint32_t> rank_of;
  rank_of.reserve(ranks.size() * 2);
  for (uint32_t r = 0; r < ranks.size(); ++r) rank_of.emplace(ranks[r], r);

  std::vector<std::pair<uint32_t, uint32_t>> merges, local;
  merges.reserve(ranks.size() * 3);
  for (const std::string& token : ranks) {
    if (token.size() < 2) continue;
    local.clear();
    const std::string_view t(token);
    for (size_t cut = 1; cut < t.size(); ++cut) {
      const auto l = rank_of.find(t.substr(0, cut));
      if (l == rank_of.end()) continue;
      const auto r = rank_of.find(t.substr(cut));
      if (r == rank_of.end()) continue;
      local.emplace_back(l->second, r->second);
    }
    std::sort(local.begin(), local.end());
    merges.insert(merges.end(), local.begin(), local.end());
  }
  return merges;
}

std::vector<SpecialToken> harmony_specials() {
  std::vector<SpecialToken> out;
  for (uint32_t id = kBosId; id <= 200018; ++id) {
    out.push_back({id, tok::Tokenizer::harmony_special_literal(static_cast<tok::TokenId>(id))});
  }
  return out;
}

}  // namespace tally::synth
