#include "workbook/biff_bytes.h"

#include "tally/data/text_encoding.h"

#include <fstream>

namespace tally::data::xls {

std::string biff_text(const std::string& b, std::size_t at, std::size_t chars, bool wide) {
  std::string out;
  for (std::size_t i = 0; i < chars; ++i) {
    if (!wide) {
      if (at + i >= b.size()) break;
      append_utf8(out, static_cast<unsigned char>(b[at + i]));
      continue;
    }
    const std::size_t p = at + 2 * i;
    if (p + 2 > b.size()) break;
    std::uint32_t cp = u16(b, p);
    if (cp >= 0xD800 && cp <= 0xDBFF && p + 4 <= b.size()) {
      const std::uint32_t lo = u16(b, p + 2);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        ++i;
      }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
    append_utf8(out, cp);
  }
  return out;
}

std::string read_whole_file(const std::string& path, std::uint64_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return {};
  const auto size = static_cast<std::uint64_t>(in.tellg());
  if (size > max_bytes) return {};
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) return {};
  return bytes;
}

}  // namespace tally::data::xls
