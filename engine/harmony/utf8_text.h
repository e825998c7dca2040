#pragma once
// UTF-8 checks with Rust's semantics, which the harmony parser's output depends on: how far a byte string is
// valid, and whether the first bad sequence is definitely bad (its length, per the "maximal subpart" rule) or
// merely cut short (more bytes may complete it). Lossy decoding replaces each bad sequence with one U+FFFD.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tally::harmony {

inline constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD

struct Utf8Check {
  size_t valid_up_to = 0;
  // Set when the bytes at valid_up_to can never start a character: how many of them to replace. Unset when the
  // text is valid (valid_up_to == size) or ends in the middle of a character.
  std::optional<size_t> error_len;
  bool valid(size_t size) const { return valid_up_to == size; }
};

Utf8Check check_utf8(std::string_view bytes);
bool is_valid_utf8(std::string_view bytes);
std::string utf8_lossy(std::string_view bytes);

// Decodes the character at `pos` of valid UTF-8 text; returns its code point and sets `len`.
char32_t utf8_char_at(std::string_view text, size_t pos, size_t& len);
// Unicode White_Space (what Rust's char::is_whitespace and str::trim use).
bool is_unicode_whitespace(char32_t c);
std::string_view trim_unicode_whitespace(std::string_view text);

}  // namespace tally::harmony
