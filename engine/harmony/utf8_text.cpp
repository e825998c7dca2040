#include "harmony/utf8_text.h"

namespace tally::harmony {

namespace {
bool is_continuation(uint8_t b) { return (b & 0xC0) == 0x80; }
}  // namespace

Utf8Check check_utf8(std::string_view text) {
  const auto* b = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const uint8_t first = b[i];
    if (first < 0x80) {
      ++i;
      continue;
    }
    size_t width = 0;
    if (first >= 0xC2 && first <= 0xDF) width = 2;
    else if (first >= 0xE0 && first <= 0xEF) width = 3;
    else if (first >= 0xF0 && first <= 0xF4) width = 4;
    if (width == 0) return {i, 1};
    // The second byte's allowed range depends on the lead byte: it excludes overlong forms, surrogates and
    // code points past U+10FFFF, so the error is found as early as Rust finds it.
    if (i + 1 >= n) return {i, std::nullopt};
    const uint8_t second = b[i + 1];
    bool second_ok = false;
    switch (first) {
      case 0xE0: second_ok = second >= 0xA0 && second <= 0xBF; break;
      case 0xED: second_ok = second >= 0x80 && second <= 0x9F; break;
      case 0xF0: second_ok = second >= 0x90 && second <= 0xBF; break;
      case 0xF4: second_ok = second >= 0x80 && second <= 0x8F; break;
      default: second_ok = is_continuation(second); break;
    }
    if (!second_ok) return {i, 1};
    for (size_t k = 2; k < width; ++k) {
      if (i + k >= n) return {i, std::nullopt};
      if (!is_continuation(b[i + k])) return {i, k};
    }
    i += width;
  }
  return {n, std::nullopt};
}

bool is_valid_utf8(std::string_view bytes) { return check_utf8(bytes).valid(bytes.size()); }

std::string utf8_lossy(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  while (!bytes.empty()) {
    Utf8Check c = check_utf8(bytes);
    out.append(bytes.substr(0, c.valid_up_to));
    if (c.valid(bytes.size())) break;
    out.append(kReplacementChar);
    // A sequence cut short at the end is one bad sequence too.
    const size_t skip = c.valid_up_to + c.error_len.value_or(bytes.size() - c.valid_up_to);
    bytes.remove_prefix(skip);
  }
  return out;
}

char32_t utf8_char_at(std::string_view text, size_t pos, size_t& len) {
  const auto* b = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t first = b[pos];
  size_t width = first < 0x80 ? 1 : first < 0xE0 ? 2 : first < 0xF0 ? 3 : 4;
  if (pos + width > text.size()) width = text.size() - pos;  // only on invalid input; never read past the end
  len = width;
  if (width == 1) return first;
  char32_t cp = first & (0x7F >> width);
  for (size_t k = 1; k < width; ++k) cp = (cp << 6) | (b[pos + k] & 0x3F);
  return cp;
}

bool is_unicode_whitespace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

std::string_view trim_unicode_whitespace(std::string_view text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t len = 1;
    if (!is_unicode_whitespace(utf8_char_at(text, start, len))) break;
    start += len;
  }
  size_t end = start;  // end of the last non-whitespace character
  for (size_t pos = start; pos < text.size();) {
    size_t len = 1;
    const char32_t c = utf8_char_at(text, pos, len);
    pos += len;
    if (!is_unicode_whitespace(c)) end = pos;
  }
  return text.substr(start, end - start);
}

}  // namespace tally::harmony
