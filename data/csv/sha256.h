#pragma once
// SHA-256 (FIPS 180-4), streaming. Identifies a file's exact bytes so re-importing it can be detected.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tally::data {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  std::string hex_digest();  // finishes the hash; lowercase hex

 private:
  void compress(const unsigned char* block);
  std::array<std::uint32_t, 8> h_;
  std::array<unsigned char, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes hashed
};

}  // namespace tally::data
