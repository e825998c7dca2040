#pragma once
// The in-memory gpt-oss model: what every loader produces and every backend consumes, whatever the file format.
// Large matrices point into the file mapping (never copied for the CPU); small vectors (norms, biases, sinks) are
// converted to owned float arrays because every backend wants them as f32 and they are a few MB at most.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/config.h"

namespace tally::model {

enum class DType : uint8_t {
  F32,
  F16,
  BF16,
  Q8_0,        // ggml: blocks of 32 = f16 scale + 32 int8 (34 bytes)
  MXFP4,       // ggml: blocks of 32 = E8M0 scale byte + 16 bytes; byte i = element i (low) | element i+16 (high)
  MXFP4_SPLIT, // HF: 16 bytes per block, byte i = element 2i (low) | element 2i+1 (high); scales in a separate plane
};

const char* dtype_name(DType t);
// Bytes for `n` consecutive elements of one row (n a multiple of the block size for block types). For MXFP4_SPLIT
// this counts the nibble plane only.
size_t dtype_row_bytes(DType t, int64_t n);
int dtype_block_size(DType t);  // 1 for plain types, 32 for block types

// A stack of `count` matrices of `rows` x `cols` (y = W x, x has `cols` elements). Row r of matrix e starts at
// data + e * mat_stride + r * row_stride. Strides let the HF layout's interleaved gate/up rows be viewed as two
// matrices without a copy.
struct WeightMatrix {
  std::string name;  // tensor name in the file, for messages
  DType type = DType::F32;
  int64_t rows = 0;
  int64_t cols = 0;
  int64_t count = 1;
  const uint8_t* data = nullptr;
  size_t row_stride = 0;
  size_t mat_stride = 0;
  // MXFP4_SPLIT only: one E8M0 byte per block of 32; block b of row r of matrix e at
  // scales + e * scale_mat_stride + r * scale_row_stride + b.
  const uint8_t* scales = nullptr;
  size_t scale_row_stride = 0;
  size_t scale_mat_stride = 0;

  const uint8_t* row(int64_t e, int64_t r) const { return data + e * mat_stride + r * row_stride; }
  bool empty() const { return data == nullptr; }
};

struct LayerWeights {
  std::vector<float> attn_norm;       // [hidden]
  WeightMatrix wq, wk, wv, wo;        // [q_width x hidden], [kv_width x hidden] x2, [hidden x q_width]
  std::vector<float> bq, bk, bv, bo;
  std::vector<float> sinks;           // [n_heads]
  std::vector<float> post_norm;       // [hidden]
  WeightMatrix router;                // [n_experts x hidden]
  std::vector<float> router_bias;     // [n_experts]
  WeightMatrix gate, up;              // count = n_experts, [expert_ffn x hidden] each
  WeightMatrix down;                  // count = n_experts, [hidden x expert_ffn]
  std::vector<float> gate_bias, up_bias;  // [n_experts * expert_ffn]
  std::vector<float> down_bias;           // [n_experts * hidden]
};

// Keeps the file mappings that WeightMatrix pointers refer to alive.
class MappedFile;

struct ModelWeights {
  ModelConfig config;
  WeightMatrix embed;       // [vocab x hidden]; row t is token t's embedding
  std::vector<LayerWeights> layers;
  std::vector<float> final_norm;
  WeightMatrix output;      // [vocab x hidden]
  std::vector<std::shared_ptr<const MappedFile>> files;
  std::vector<std::vector<uint8_t>> owned;  // rare repacked buffers (kept alive here)
};

}  // namespace tally::model
