#pragma once
// Byte string -> BPE rank, the one lookup the merge loop makes over and over. Open addressing over one arena of
// token bytes: no per-entry allocation, a cheap word-at-a-time hash, and lookups by string_view without copies.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tally::tok {

using Rank = int32_t;
inline constexpr Rank kNoRank = -1;

class RankTable {
 public:
  RankTable() = default;
  void reserve(size_t entries, size_t bytes);
  // Adds `bytes` with `rank` unless the bytes are already present (the first, lowest-id entry wins).
  // Returns false when the bytes were already there.
  bool insert(std::string_view bytes, Rank rank);
  Rank find(std::string_view bytes) const;
  // Rank of a single byte (kNoRank if the vocabulary lacks it); a plain array read, for the merge loop's start.
  Rank byte_rank(unsigned char b) const { return byte_ranks_[b]; }
  bool has_all_bytes() const;
  size_t size() const { return entries_.size(); }
  static uint64_t hash(std::string_view bytes);

 private:
  struct Entry {
    uint32_t offset;
    uint32_t len;
    Rank rank;
  };
  void grow();

  std::string arena_;
  std::vector<Entry> entries_;
  std::vector<uint32_t> slots_;  // entry index + 1; 0 = empty
  uint64_t mask_ = 0;
  std::array<Rank, 256> byte_ranks_ = filled_byte_ranks();

  static std::array<Rank, 256> filled_byte_ranks() {
    std::array<Rank, 256> a{};
    a.fill(kNoRank);
    return a;
  }
};

}  // namespace tally::tok
