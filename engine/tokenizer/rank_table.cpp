#include "tokenizer/rank_table.h"

#include <cstring>

namespace tally::tok {

namespace {
uint64_t mix(uint64_t x) {
  x ^= x >> 32;
  x *= 0xD6E8FEB86659FD93ull;
  x ^= x >> 32;
  return x;
}
}  // namespace

uint64_t RankTable::hash(std::string_view bytes) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ bytes.size();
  const char* p = bytes.data();
  size_t n = bytes.size();
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix(h ^ w) + 0x9E3779B97F4A7C15ull;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = mix(h ^ w);
  }
  return mix(h);
}

void RankTable::reserve(size_t entries, size_t bytes) {
  entries_.reserve(entries);
  arena_.reserve(bytes);
  size_t want = 16;
  while (want < entries * 2) want *= 2;
  if (want > slots_.size()) {
    slots_.assign(want, 0);
    mask_ = want - 1;
    for (size_t i = 0; i < entries_.size(); ++i) {
      const Entry& e = entries_[i];
      uint64_t s = hash(std::string_view(arena_).substr(e.offset, e.len)) & mask_;
      while (slots_[s] != 0) s = (s + 1) & mask_;
      slots_[s] = static_cast<uint32_t>(i + 1);
    }
  }
}

void RankTable::grow() { reserve(entries_.size() * 2 + 16, arena_.size()); }

bool RankTable::insert(std::string_view bytes, Rank rank) {
  if ((entries_.size() + 1) * 2 > slots_.size()) grow();
  uint64_t s = hash(bytes) & mask_;
  while (slots_[s] != 0) {
    const Entry& e = entries_[slots_[s] - 1];
    if (e.len == bytes.size() && std::memcmp(arena_.data() + e.offset, bytes.data(), e.len) == 0) return false;
    s = (s + 1) & mask_;
  }
  entries_.push_back({static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(bytes.size()), rank});
  arena_.append(bytes);
  slots_[s] = static_cast<uint32_t>(entries_.size());
  if (bytes.size() == 1) byte_ranks_[static_cast<unsigned char>(bytes[0])] = rank;
  return true;
}

bool RankTable::has_all_bytes() const {
  for (Rank r : byte_ranks_) {
    if (r == kNoRank) return false;
  }
  return true;
}

Rank RankTable::find(std::string_view bytes) const {
  if (slots_.empty()) return kNoRank;
  uint64_t s = hash(bytes) & mask_;
  while (slots_[s] != 0) {
    const Entry& e = entries_[slots_[s] - 1];
    if (e.len == bytes.size() && std::memcmp(arena_.data() + e.offset, bytes.data(), e.len) == 0) return e.rank;
    s = (s + 1) & mask_;
  }
  return kNoRank;
}

}  // namespace tally::tok
