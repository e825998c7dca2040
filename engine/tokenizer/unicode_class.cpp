#include "tokenizer/unicode_class.h"

#include <array>
#include <cstddef>
#include <map>
#include <vector>

namespace tally::tok {

namespace {

// Two-stage lookup (block of 256 code points -> deduplicated class block): the committed table is compact ranges,
// expanded once here so the hot loop pays one or two loads per code point instead of a binary search.
struct ClassTable {
  static constexpr int kBlockBits = 8;
  static constexpr char32_t kBlockSize = 1u << kBlockBits;
  static constexpr char32_t kBlockCount = 0x110000 >> kBlockBits;

  std::vector<uint16_t> block_of;  // kBlockCount entries
  std::vector<CharClass> blocks;   // unique blocks, kBlockSize each

  ClassTable() {
    std::vector<CharClass> flat(0x110000, CharClass::kOther);
    for (int i = 0; i < unicode_data::kRangeCount; ++i) {
      const UnicodeRange& r = unicode_data::kRanges[i];
      for (char32_t c = r.first; c <= r.last; ++c) flat[c] = r.cls;
    }
    std::map<std::vector<CharClass>, uint16_t> seen;
    block_of.resize(kBlockCount);
    for (char32_t b = 0; b < kBlockCount; ++b) {
      std::vector<CharClass> block(flat.begin() + b * kBlockSize, flat.begin() + (b + 1) * kBlockSize);
      auto [it, inserted] = seen.emplace(block, static_cast<uint16_t>(seen.size()));
      if (inserted) blocks.insert(blocks.end(), block.begin(), block.end());
      block_of[b] = it->second;
    }
  }
};

const ClassTable& table() {
  static const ClassTable t;
  return t;
}

}  // namespace

CharClass char_class(char32_t cp) {
  if (cp >= 0x110000) return CharClass::kInvalid;
  const ClassTable& t = table();
  return t.blocks[static_cast<size_t>(t.block_of[cp >> ClassTable::kBlockBits]) * ClassTable::kBlockSize +
                  (cp & (ClassTable::kBlockSize - 1))];
}

}  // namespace tally::tok
