#pragma once
// Minimal UTF-8 stepping for the store's text indexing. Invalid bytes decode as U+FFFD one byte at a time, so the
// walk always advances and never reads past the end.
#include <cstddef>
#include <string_view>

namespace tally::data::detail {

struct Utf8Step {
  char32_t codepoint;
  std::size_t length;
};

inline Utf8Step utf8_next(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1};
  std::size_t len = b0 >= 0xF0 && b0 < 0xF5 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 && b0 < 0xE0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) return {0xFFFD, 1};
  char32_t cp = len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, len};
}

}  // namespace tally::data::detail
