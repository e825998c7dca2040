#include "tokenizer/bpe.h"

#include <cstdint>
#include <limits>
#include <queue>

namespace tally::tok {

namespace {

constexpr Rank kNever = std::numeric_limits<Rank>::max();

// Short pieces (nearly all of them): tiktoken's own scheme on a stack array. Each part caches the rank of merging
// it with its right neighbour, so a merge costs two lookups plus a shift, and nothing is allocated.
constexpr size_t kShortPiece = 256;

void merge_short(const RankTable& ranks, std::string_view piece, std::vector<Rank>& out) {
  struct Part {
    uint32_t start;
    Rank token;      // rank of this part's bytes
    Rank pair_rank;  // rank of this part + the next, kNever if none
  };
  Part parts[kShortPiece + 1];
  const size_t n = piece.size();
  size_t m = n + 1;  // parts plus the end sentinel
  for (size_t i = 0; i < n; ++i) {
    parts[i] = {static_cast<uint32_t>(i), ranks.byte_rank(static_cast<unsigned char>(piece[i])), kNever};
  }
  parts[n] = {static_cast<uint32_t>(n), kNever, kNever};
  auto pair_rank = [&](size_t i) -> Rank {
    if (i + 2 >= m) return kNever;
    const Rank r = ranks.find(piece.substr(parts[i].start, parts[i + 2].start - parts[i].start));
    return r == kNoRank ? kNever : r;
  };
  for (size_t i = 0; i + 2 < m; ++i) parts[i].pair_rank = pair_rank(i);

  while (m > 2) {
    size_t best = 0;
    Rank best_rank = kNever;
    for (size_t i = 0; i + 2 < m; ++i) {
      if (parts[i].pair_rank < best_rank) {
        best_rank = parts[i].pair_rank;
        best = i;
      }
    }
    if (best_rank == kNever) break;
    parts[best].token = best_rank;
    for (size_t i = best + 1; i + 1 < m; ++i) parts[i] = parts[i + 1];
    --m;
    parts[best].pair_rank = pair_rank(best);
    if (best > 0) parts[best - 1].pair_rank = pair_rank(best - 1);
  }
  for (size_t i = 0; i + 1 < m; ++i) out.push_back(parts[i].token);
}

// Long pieces (a megabyte of letters is one piece): the same merge order through a min-heap keyed by
// (rank, start) over a linked list of parts, O(n log n) instead of O(n^2). Stale heap entries are skipped by
// comparing a per-part version that changes whenever the part or its right neighbour changes.
void merge_long(const RankTable& ranks, std::string_view piece, std::vector<Rank>& out) {
  const uint32_t n = static_cast<uint32_t>(piece.size());
  constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  std::vector<uint32_t> next(n), prev(n), version(n, 0);
  std::vector<Rank> token(n);
  std::vector<bool> alive(n, true);
  for (uint32_t i = 0; i < n; ++i) {
    next[i] = i + 1 < n ? i + 1 : kNone;
    prev[i] = i > 0 ? i - 1 : kNone;
    token[i] = ranks.byte_rank(static_cast<unsigned char>(piece[i]));
  }
  struct Candidate {
    Rank rank;
    uint32_t start;
    uint32_t version;
    bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : start > o.start; }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  auto push_pair = [&](uint32_t i) {
    const uint32_t j = next[i];
    if (j == kNone) return;
    const uint32_t end = next[j] == kNone ? n : next[j];
    const Rank r = ranks.find(piece.substr(i, end - i));
    if (r != kNoRank) heap.push({r, i, version[i]});
  };
  for (uint32_t i = 0; i < n; ++i) push_pair(i);
  while (!heap.empty()) {
    const Candidate c = heap.top();
    heap.pop();
    const uint32_t i = c.start;
    if (!alive[i] || c.version != version[i]) continue;
    const uint32_t j = next[i];
    alive[j] = false;
    next[i] = next[j];
    if (next[j] != kNone) prev[next[j]] = i;
    token[i] = c.rank;
    ++version[i];
    push_pair(i);
    if (prev[i] != kNone) {
      ++version[prev[i]];
      push_pair(prev[i]);
    }
  }
  for (uint32_t i = 0; i != kNone; i = next[i]) out.push_back(token[i]);
}

}  // namespace

void bpe_encode(const RankTable& ranks, std::string_view piece, std::vector<Rank>& out) {
  if (piece.empty()) return;
  if (piece.size() == 1) {
    out.push_back(ranks.byte_rank(static_cast<unsigned char>(piece[0])));
    return;
  }
  const Rank whole = ranks.find(piece);
  if (whole != kNoRank) {
    out.push_back(whole);
    return;
  }
  if (piece.size() <= kShortPiece) {
    merge_short(ranks, piece, out);
  } else {
    merge_long(ranks, piece, out);
  }
}

}  // namespace tally::tok
