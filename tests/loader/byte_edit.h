#pragma once
// Test-side byte surgery on model files: building small GGUF/safetensors images and patching real ones (a tensor's
// type, offset or shape; a key's name or value) to prove each corruption yields an error, never a crash.
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tally::loader_test {

inline std::span<const uint8_t> as_span(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

template <typename T>
void put(std::string& out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}

template <typename T>
void poke(std::string& bytes, size_t pos, T v) {
  std::memcpy(bytes.data() + pos, &v, sizeof(T));
}

template <typename T>
T peek(const std::string& bytes, size_t pos) {
  T v;
  std::memcpy(&v, bytes.data() + pos, sizeof(T));
  return v;
}

inline void put_string(std::string& out, std::string_view s) {
  put<uint64_t>(out, s.size());
  out.append(s);
}

// Position just after the GGUF-encoded string `s` (u64 length + bytes), or npos.
inline size_t after_gguf_string(const std::string& bytes, std::string_view s) {
  std::string needle;
  put_string(needle, s);
  const size_t at = bytes.find(needle);
  return at == std::string::npos ? at : at + needle.size();
}

// Field positions of one tensor info in a GGUF image.
struct TensorInfoAt {
  size_t n_dims = 0;  // u32
  size_t dims = 0;    // i64 x n_dims
  size_t type = 0;    // u32
  size_t offset = 0;  // u64
};

inline TensorInfoAt find_tensor_info(const std::string& bytes, std::string_view name) {
  TensorInfoAt at;
  at.n_dims = after_gguf_string(bytes, name);
  if (at.n_dims == std::string::npos) return {};
  const auto n = peek<uint32_t>(bytes, at.n_dims);
  at.dims = at.n_dims + 4;
  at.type = at.dims + 8 * n;
  at.offset = at.type + 4;
  return at;
}

// A safetensors image from a header object and the data bytes.
inline std::string safetensors_image(const nlohmann::ordered_json& header, const std::string& data) {
  std::string text = header.dump();
  while (text.size() % 8 != 0) text.push_back(' ');
  std::string out;
  put<uint64_t>(out, text.size());
  out += text;
  out += data;
  return out;
}

}  // namespace tally::loader_test
