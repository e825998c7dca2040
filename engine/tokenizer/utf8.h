#pragma once
// Strict UTF-8 decoding for the pre-tokenizer: overlong forms, surrogates, values past U+10FFFF and truncated
// sequences are invalid, and each byte of them becomes a piece of its own (so any byte string round-trips).
#include <cstddef>
#include <cstdint>

namespace tally::tok {

struct DecodedChar {
  char32_t cp;  // kInvalidCodePoint when the byte at the position starts no valid sequence
  int len;      // bytes consumed: 1..4 (1 for an invalid byte)
};

inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

inline DecodedChar decode_utf8(const unsigned char* s, size_t n) {
  const unsigned char b0 = s[0];
  if (b0 < 0x80) return {b0, 1};
  auto cont = [&](size_t i) { return i < n && (s[i] & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (cont(1)) return {static_cast<char32_t>(((b0 & 0x1F) << 6) | (s[1] & 0x3F)), 2};
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (cont(1) && cont(2)) {
      const char32_t cp = ((b0 & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return {cp, 3};
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (cont(1) && cont(2) && cont(3)) {
      const char32_t cp = ((b0 & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
      if (cp >= 0x10000 && cp <= 0x10FFFF) return {cp, 4};
    }
  }
  return {kInvalidCodePoint, 1};
}

}  // namespace tally::tok
