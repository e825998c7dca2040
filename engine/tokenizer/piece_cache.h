#pragma once
// Remembers the BPE result of recent pieces: real text repeats its words, and a Korean word that is not a single
// token costs a few dozen rank lookups to merge but one hash probe to recall. Direct-mapped and per thread, so
// encode() stays const and lock-free; the owner's instance number keeps two tokenizers from sharing entries.
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "tokenizer/rank_table.h"

namespace tally::tok {

class PieceCache {
 public:
  static constexpr size_t kMaxKey = 30;  // longer pieces are rare; they are merged every time
  static constexpr size_t kMaxIds = 7;
  static constexpr size_t kSlots = 4096;

  static PieceCache& for_this_thread(uint64_t instance) {
    // On the heap: a quarter megabyte of static TLS would come out of every thread's stack.
    thread_local std::unique_ptr<PieceCache> cache = std::make_unique<PieceCache>();
    if (cache->instance_ != instance) {
      for (Slot& s : cache->slots_) s.key_len = 0;
      cache->instance_ = instance;
    }
    return *cache;
  }

  bool lookup(std::string_view piece, std::vector<Rank>& out) const {
    if (piece.size() > kMaxKey) return false;
    const Slot& s = slots_[RankTable::hash(piece) & (kSlots - 1)];
    if (s.key_len != piece.size() || std::memcmp(s.key, piece.data(), piece.size()) != 0) return false;
    out.insert(out.end(), s.ids, s.ids + s.id_count);
    return true;
  }

  void store(std::string_view piece, const Rank* ids, size_t count) {
    if (piece.size() > kMaxKey || piece.empty() || count > kMaxIds) return;
    Slot& s = slots_[RankTable::hash(piece) & (kSlots - 1)];
    s.key_len = static_cast<uint8_t>(piece.size());
    std::memcpy(s.key, piece.data(), piece.size());
    s.id_count = static_cast<uint8_t>(count);
    std::memcpy(s.ids, ids, count * sizeof(Rank));
  }

 private:
  struct Slot {
    uint8_t key_len = 0;  // 0 = empty (pieces are never empty)
    uint8_t id_count = 0;
    char key[kMaxKey];
    Rank ids[kMaxIds];
  };
  std::array<Slot, kSlots> slots_{};
  uint64_t instance_ = 0;
};

}  // namespace tally::tok
