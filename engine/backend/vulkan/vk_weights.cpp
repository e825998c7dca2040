#include "backend/vulkan/vk_weights.h"

#include <cstring>
#include <limits>
#include <string>

#include "backend/cpu/dequant.h"

namespace tally::backend::vk {

namespace {

uint64_t round_up(uint64_t v, uint64_t m) { return (v + m - 1) / m * m; }

}  // namespace

Result<PackedLayout> packed_layout(const model::WeightMatrix& w) {
  if (w.empty() || w.rows <= 0 || w.cols <= 0 || w.count <= 0) return make_error(w.name + ": empty weight matrix");
  PackedLayout l;
  const uint64_t rows = static_cast<uint64_t>(w.rows * w.count);
  switch (w.type) {
    case model::DType::F32:
      l.type = GpuType::F32;
      l.ld = static_cast<uint32_t>(round_up(w.cols, 8));
      l.bytes = rows * l.ld * 4;
      break;
    case model::DType::F16:
    case model::DType::BF16:
      l.type = w.type == model::DType::F16 ? GpuType::F16 : GpuType::BF16;
      l.ld = static_cast<uint32_t>(round_up(w.cols, 8));
      l.bytes = rows * l.ld * 2;
      break;
    case model::DType::Q8_0:
      if (w.cols % 32) return make_error(w.name + ": Q8_0 row of " + std::to_string(w.cols) + " columns");
      l.type = GpuType::Q8_0;
      l.ld = static_cast<uint32_t>(w.cols);
      l.scale_word = static_cast<uint32_t>(rows * l.ld / 4);
      l.bytes = rows * l.ld + rows * (l.ld / 32) * 4;
      break;
    case model::DType::MXFP4:
    case model::DType::MXFP4_SPLIT:
      if (w.cols % 32) return make_error(w.name + ": MXFP4 row of " + std::to_string(w.cols) + " columns");
      l.type = GpuType::MXFP4;
      l.ld = static_cast<uint32_t>(w.cols);
      l.scale_word = static_cast<uint32_t>(rows * l.ld / 8);  // two elements per byte, four bytes per word
      l.bytes = rows * l.ld / 2 + round_up(rows * (l.ld / 32), 4);
      break;
  }
  // The kernels index elements with 32-bit integers.
  if (rows * l.ld >= std::numeric_limits<uint32_t>::max() || l.bytes / 4 >= std::numeric_limits<uint32_t>::max()) {
    return make_error(w.name + " is too large for the Vulkan backend's 32-bit indexing");
  }
  return l;
}

Result<PackedLayout> pack_weights(const model::WeightMatrix& w, std::vector<uint8_t>& out) {
  auto layout = packed_layout(w);
  if (!layout) return layout.error();
  const PackedLayout l = layout.value();
  out.assign(l.bytes, 0);
  uint8_t* dst = out.data();
  int64_t flat = 0;  // row index across the stack
  for (int64_t e = 0; e < w.count; ++e) {
    for (int64_t r = 0; r < w.rows; ++r, ++flat) {
      const uint8_t* src = w.row(e, r);
      switch (w.type) {
        case model::DType::F32:
          std::memcpy(dst + flat * l.ld * 4, src, static_cast<size_t>(w.cols) * 4);
          break;
        case model::DType::F16:
        case model::DType::BF16:
          std::memcpy(dst + flat * l.ld * 2, src, static_cast<size_t>(w.cols) * 2);
          break;
        case model::DType::Q8_0: {
          const int64_t blocks = w.cols / 32;
          uint8_t* q = dst + flat * l.ld;
          float* scales = reinterpret_cast<float*>(dst + static_cast<uint64_t>(l.scale_word) * 4) + flat * blocks;
          for (int64_t b = 0; b < blocks; ++b) {
            uint16_t h;
            std::memcpy(&h, src + b * 34, 2);
            scales[b] = cpu::f16_to_f32(h);
            std::memcpy(q + b * 32, src + b * 34 + 2, 32);
          }
          break;
        }
        case model::DType::MXFP4: {
          const int64_t blocks = w.cols / 32;
          uint8_t* q = dst + flat * l.ld / 2;
          uint8_t* scales = dst + static_cast<uint64_t>(l.scale_word) * 4 + flat * blocks;
          for (int64_t b = 0; b < blocks; ++b) {
            const uint8_t* blk = src + b * 17;
            scales[b] = blk[0];
            // ggml: byte i = element i (low) | element i + 16 (high) -> element order, two per byte.
            for (int j = 0; j < 16; ++j) {
              const int e0 = 2 * j, e1 = 2 * j + 1;
              const uint8_t n0 = e0 < 16 ? blk[1 + e0] & 0xf : blk[1 + e0 - 16] >> 4;
              const uint8_t n1 = e1 < 16 ? blk[1 + e1] & 0xf : blk[1 + e1 - 16] >> 4;
              q[b * 16 + j] = static_cast<uint8_t>(n0 | (n1 << 4));
            }
          }
          break;
        }
        case model::DType::MXFP4_SPLIT: {
          const int64_t blocks = w.cols / 32;
          std::memcpy(dst + flat * l.ld / 2, src, static_cast<size_t>(blocks * 16));
          const uint8_t* s = w.scales + e * w.scale_mat_stride + r * w.scale_row_stride;
          std::memcpy(dst + static_cast<uint64_t>(l.scale_word) * 4 + flat * blocks, s, static_cast<size_t>(blocks));
          break;
        }
      }
    }
  }
  return l;
}

}  // namespace tally::backend::vk
