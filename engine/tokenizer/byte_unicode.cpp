#include "tokenizer/byte_unicode.h"

#include <array>

#include "tokenizer/utf8.h"

namespace tally::tok {

namespace {

struct Alphabet {
  std::array<char32_t, 256> of_byte{};
  std::array<int, 324> byte_of{};  // code points 0..323 cover the whole alphabet; -1 = not in it

  Alphabet() {
    byte_of.fill(-1);
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
      of_byte[b] = printable ? static_cast<char32_t>(b) : next++;
      byte_of[of_byte[b]] = b;
    }
  }
};

const Alphabet& alphabet() {
  static const Alphabet a;
  return a;
}

}  // namespace

std::optional<std::string> gpt2_unicode_to_bytes(std::string_view token) {
  const Alphabet& a = alphabet();
  std::string out;
  out.reserve(token.size());
  const auto* s = reinterpret_cast<const unsigned char*>(token.data());
  for (size_t i = 0; i < token.size();) {
    const DecodedChar d = decode_utf8(s + i, token.size() - i);
    if (d.cp == kInvalidCodePoint || d.cp >= a.byte_of.size() || a.byte_of[d.cp] < 0) return std::nullopt;
    out.push_back(static_cast<char>(a.byte_of[d.cp]));
    i += static_cast<size_t>(d.len);
  }
  return out;
}

std::string bytes_to_gpt2_unicode(std::string_view bytes) {
  const Alphabet& a = alphabet();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    const char32_t cp = a.of_byte[b];
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

}  // namespace tally::tok
