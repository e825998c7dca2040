#pragma once
// A GGUF v3 file written as a stream: metadata and tensor table first (they only need the tensors' shapes), then
// the data through write_payloads, so no tensor is ever held whole in memory.
#include <cstdint>
#include <string>
#include <vector>

#include "synth/payload_stream.h"
#include "tally/result.h"

namespace tally::synth {

// ggml tensor types synth writes (values from ggml.h).
enum class GgmlType : uint32_t { F32 = 0, F16 = 1, Q8_0 = 8, BF16 = 30, MXFP4 = 39 };

class GgufMetadata {
 public:
  void add_u32(const std::string& key, uint32_t v);
  void add_i32(const std::string& key, int32_t v);
  void add_f32(const std::string& key, float v);
  void add_bool(const std::string& key, bool v);
  void add_string(const std::string& key, const std::string& v);
  void add_strings(const std::string& key, const std::vector<std::string>& v);
  void add_i32s(const std::string& key, const std::vector<int32_t>& v);

  const std::string& bytes() const { return bytes_; }
  uint64_t count() const { return count_; }

 private:
  void key(const std::string& k, uint32_t type);
  std::string bytes_;
  uint64_t count_ = 0;
};

struct GgufTensor {
  std::string name;
  GgmlType type = GgmlType::F32;
  std::vector<int64_t> dims;  // ggml order: fastest-varying first
  Payload payload;            // its bytes (pad_after is set by the writer)
};

inline constexpr uint64_t kGgufAlignment = 32;

// Bytes the file will have (header, padding and data), without writing it.
uint64_t gguf_file_size(const GgufMetadata& meta, const std::vector<GgufTensor>& tensors);

Result<void> write_gguf(const std::string& path, const GgufMetadata& meta, std::vector<GgufTensor> tensors,
                        unsigned threads = 0, const SynthProgress& progress = {});

}  // namespace tally::synth
