#pragma once
// Little-endian reads and BIFF8 text from bytes of an .xls file, bounded by the buffer: a read past its end gives
// 0 or stops the text, never touches memory beyond it.
#include <cstddef>
#include <cstdint>
#include <string>

namespace tally::data::xls {

inline std::uint16_t u16(const std::string& b, std::size_t at) {
  return at + 2 <= b.size() ? static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                                         (static_cast<unsigned char>(b[at + 1]) << 8))
                            : 0;
}
inline std::uint32_t u32(const std::string& b, std::size_t at) {
  return at + 4 <= b.size() ? static_cast<std::uint32_t>(u16(b, at)) | (static_cast<std::uint32_t>(u16(b, at + 2)) << 16)
                            : 0;
}

// BIFF8 text: `chars` characters, compressed (one byte each, Latin-1) or UTF-16LE, starting at `at`.
std::string biff_text(const std::string& b, std::size_t at, std::size_t chars, bool wide);

// The whole file, or empty when it cannot be read or is larger than `max_bytes`.
std::string read_whole_file(const std::string& path, std::uint64_t max_bytes);

}  // namespace tally::data::xls
