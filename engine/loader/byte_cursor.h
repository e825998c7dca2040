#pragma once
// A bounds-checked little-endian reader over untrusted bytes. Every read reports failure instead of running past
// the end, so parsers can turn a short read into an error that names what was being read.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

namespace tally::loader {

class ByteCursor {
 public:
  explicit ByteCursor(std::span<const uint8_t> bytes, size_t pos = 0) : bytes_(bytes), pos_(pos) {}

  size_t pos() const { return pos_; }
  size_t remaining() const { return pos_ <= bytes_.size() ? bytes_.size() - pos_ : 0; }

  // Model files are little-endian and so are the hosts Tally supports (x86-64, arm64).
  template <typename T>
  bool read(T& out) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (remaining() < sizeof(T)) return false;
    std::memcpy(&out, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }

  // A u64 length followed by that many bytes (GGUF's string encoding).
  bool read_string(std::string_view& out) {
    uint64_t n = 0;
    const size_t start = pos_;
    if (!read(n)) return false;
    if (n > remaining()) {
      pos_ = start;
      return false;
    }
    out = std::string_view(reinterpret_cast<const char*>(bytes_.data() + pos_), static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return true;
  }

  // The bytes in [from, to), both already inside the span (positions this cursor has passed).
  std::span<const uint8_t> slice(size_t from, size_t to) const { return bytes_.subspan(from, to - from); }
  const uint8_t* here() const { return bytes_.data() + pos_; }

  bool skip(uint64_t n) {
    if (n > remaining()) return false;
    pos_ += static_cast<size_t>(n);
    return true;
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
};

}  // namespace tally::loader
