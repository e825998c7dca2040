#pragma once
// The CPU fast path's kernels: weight blocks (Q8_0, MXFP4 in both nibble layouts) multiplied with activations
// quantized to int16 per block of 32, and float weights (F32, F16, BF16) multiplied with f32 activations.
//
// Why int16 and not int8 activations: the residual stream has channels ~20x larger than the rest, and an int8 block
// holding one of them rounds its 31 neighbours to a few levels: 1-2% relative error per dot product on realistic
// inputs (measured in tests/cpu_kernels). int16 blocks cost the same multiplies on AVX2 (two vpmaddwd against one
// vpmaddubsw plus one vpmaddwd for the sign trick) and bring the error to ~1e-5.
// fast_mxfp4_i8.cpp holds int8 kernels for the decode shape of MXFP4 experts (per two blocks of nibbles, int16 lanes
// cost four unpacks, four vpmaddwd and three adds where int8 lanes take two vpmaddubsw, an add, one vpmaddwd and a
// subtract), opted into with TALLY_CPU_ACT=int8: on dev-2c their gain did not stand out of the noise of a
// bandwidth-bound decode, and their rounding (~1e-2 relative per product) is what the comment above describes.
// Prefill runs GEMMs over 8-row tiles (fast_gemm_avx2.cpp): int16 activation blocks by default, int8 opt-in.
//
// Each kernel set exists as a portable scalar version and, on x86-64, an AVX2+FMA+F16C version chosen at run time
// (the default build targets plain x86-64, so the SIMD code is compiled per function, not per project). Both compute
// the same integer block sums; they differ only in the order of the f32 accumulation.
#include <array>
#include <cstdint>

#include "model/weights.h"

namespace tally::backend::cpu::fast {

// How values are laid out inside each block of 32, for weights and activations alike, so that they line up after
// the kernels unpack a block of nibbles. MXFP4 blocks unpack byte-wise into four chunks of 8: low nibbles of bytes
// 0-7, high nibbles of bytes 0-7, low nibbles of bytes 8-15, high nibbles of bytes 8-15 (the order that interleaving
// bytes with zeros gives, see fast_kernels_avx2.cpp); the activations are permuted to match once per call.
enum class BlockOrder : uint8_t {
  Natural,     // Q8_0: element i at position i
  Mxfp4,       // ggml MXFP4 (byte i holds elements i and i + 16): 0-7, 16-23, 8-15, 24-31
  Mxfp4Split,  // MXFP4_SPLIT (byte i holds elements 2i and 2i + 1): 0,2,..,14, 1,3,..,15, 16,..,30, 17,..,31
  EvenOdd,     // int8 activations for MXFP4_SPLIT: 0,2,..,30, 1,3,..,31
};

// perm[p] = the element of the block stored at position p.
const std::array<uint8_t, 32>& block_permutation(BlockOrder order);
BlockOrder block_order(model::DType t);
// Q8_0, MXFP4 and MXFP4_SPLIT: the types the integer kernels read.
bool is_block_quantized(model::DType t);

// Token rows quantized per block of 32: x[t][32 b + i] ~= d[t][b] * q[t][32 b + i] (in the block order's
// permutation), q in [-32767, 32767]: a pair of products with int8 weights stays far from int32 overflow.
struct QuantizedRows {
  int16_t* q = nullptr;  // rows * blocks * 32
  float* d = nullptr;    // rows * blocks
  int64_t rows = 0;
  int64_t blocks = 0;

  const int16_t* row_q(int64_t t) const { return q + t * blocks * 32; }
  const float* row_d(int64_t t) const { return d + t * blocks; }
};

// A slice of one weight matrix: rows [r0, r0 + nr) of matrix `e`.
struct RowRange {
  const model::WeightMatrix* w = nullptr;
  int64_t e = 0;
  int64_t r0 = 0;
  int64_t nr = 0;
};

// Token rows quantized to int8 per block of 32 for the MXFP4 decode kernels (see fast_mxfp4_i8.cpp), in nibble order
// (nibble_order): x[t][element perm[p]] ~= d[t][b] * q[t][32 b + p], q in [-127, 127]; sums[t][b] = sum of the
// block's codes (the kernels read weights offset to unsigned and take 12 * sums back out).
struct Int8Rows {
  int8_t* q = nullptr;    // rows * blocks * 32
  float* d = nullptr;     // rows * blocks
  int32_t* sums = nullptr;  // rows * blocks
  int64_t rows = 0;
  int64_t blocks = 0;

  const int8_t* row_q(int64_t t) const { return q + t * blocks * 32; }
  const float* row_d(int64_t t) const { return d + t * blocks; }
  const int32_t* row_sums(int64_t t) const { return sums + t * blocks; }
};

struct KernelSet {
  const char* name;
  // Quantizes one row of `cols` floats (cols a multiple of 32) into cols int16 values and cols / 32 scales.
  void (*quantize_row)(const float* x, int64_t cols, BlockOrder order, int16_t* q, float* d);
  // out[t * out_stride + i] = row (r0 + i) . x[t] for every token row t of x and i in [0, nr). Block-quantized
  // weights only. `scratch` holds at least scratch_bytes(nr, cols) bytes (used when many tokens share the rows).
  void (*matmul_quantized)(const RowRange& rows, const QuantizedRows& x, float* out, int64_t out_stride,
                           void* scratch);
  // Same for F32, F16 and BF16 weights with f32 activations (n rows of `x`, x_stride floats apart).
  void (*matmul_float)(const RowRange& rows, const float* x, int64_t n, int64_t x_stride, float* out,
                       int64_t out_stride, void* scratch);
  // out[t * out_stride + i] = row (r0 + i) . x[t] for MXFP4 and MXFP4_SPLIT weights against int8 activations.
  void (*matmul_mxfp4_i8)(const RowRange& rows, const Int8Rows& x, float* out, int64_t out_stride);
  // The prefill GEMMs (fast_gemm.cpp, fast_gemm_avx2.cpp): the same product for Q8_0, MXFP4 and MXFP4_SPLIT
  // weights, against int8 activations from quantize_row_gemm_i8 (gemm_i8) or int16 ones from quantize_row
  // (gemm_i16), both in gemm_order.
  // `scratch` holds at least gemm_scratch_bytes(cols) bytes.
  void (*gemm_i8)(const RowRange& rows, const Int8Rows& x, float* out, int64_t out_stride, void* scratch);
  void (*gemm_i16)(const RowRange& rows, const QuantizedRows& x, float* out, int64_t out_stride, void* scratch);
  // Int8 activations for gemm_i8: codes in gemm_order(type), sums[b] = 12 x the sum of block b's codes (the MXFP4
  // offset the kernel takes back out).
  void (*quantize_row_gemm_i8)(const float* x, int64_t cols, BlockOrder order, int8_t* q, float* d, int32_t* sums);
};

// The element order of an int8 activation block for MXFP4 weights: positions 0-15 are the elements the low nibbles
// of bytes 0-15 hold, positions 16-31 those of the high nibbles (ggml MXFP4: natural; MXFP4_SPLIT: even, then odd).
BlockOrder nibble_order(model::DType t);
// Quantizes one row of `cols` floats (a multiple of 32) to int8 blocks in `order` (the same codes for every set).
void quantize_row_i8(const float* x, int64_t cols, BlockOrder order, int8_t* q, float* d, int32_t* sums);
// Whether decode-shaped MXFP4 products use int8 activations (TALLY_CPU_ACT=int8; int16 blocks otherwise).
bool int8_decode_enabled();
// Token counts up to this use the int8 MXFP4 kernels (the memory-bound decode shape).
constexpr int64_t kInt8MaxTokens = 2;
void matmul_mxfp4_i8_scalar(const RowRange& rows, const Int8Rows& x, float* out, int64_t out_stride);
// nullptr where the AVX2 set is not compiled in.
using Mxfp4I8Fn = void (*)(const RowRange&, const Int8Rows&, float*, int64_t);
Mxfp4I8Fn matmul_mxfp4_i8_avx2_fn();

// Which kernels multiply prefill-shaped batches (kGemmMinTokens tokens or more) of block-quantized weights, chosen
// by TALLY_CPU_PREFILL: "i16" (default) the GEMM on int16 activation blocks, whose integer block sums equal the row
// kernels'; "i8" the GEMM on int8 blocks (fewer multiplies, ~1e-2 relative error per product); "f32" (or "rows") the
// int16 row kernels of fast_kernels_avx2.cpp that the GEMMs replaced.
enum class PrefillKernel : uint8_t { Rows, GemmI16, GemmI8 };
constexpr int64_t kGemmMinTokens = 3;
PrefillKernel prefill_kernel();
// Overrides TALLY_CPU_PREFILL for this process (tests and benchmarks A/B the paths in one run).
void set_prefill_kernel(PrefillKernel k);
const char* prefill_kernel_name(PrefillKernel k);
// The element order of the GEMMs' activation blocks: position p < 16 pairs with the low nibble (Q8_0: value) of
// weight byte p, p >= 16 with the high nibble of byte p - 16 (Q8_0: value p).
BlockOrder gemm_order(model::DType t);
int64_t gemm_scratch_bytes(int64_t cols);
void quantize_row_gemm_i8_scalar(const float* x, int64_t cols, BlockOrder order, int8_t* q, float* d, int32_t* sums);
void gemm_i8_scalar(const RowRange& rows, const Int8Rows& x, float* out, int64_t out_stride, void* scratch);
void gemm_i16_scalar(const RowRange& rows, const QuantizedRows& x, float* out, int64_t out_stride, void* scratch);
// The AVX2 versions; nullptr where the AVX2 set is not compiled in.
struct GemmFns {
  void (*gemm_i8)(const RowRange&, const Int8Rows&, float*, int64_t, void*);
  void (*gemm_i16)(const RowRange&, const QuantizedRows&, float*, int64_t, void*);
  void (*quantize_row_gemm_i8)(const float*, int64_t, BlockOrder, int8_t*, float*, int32_t*);
};
GemmFns gemm_avx2_fns();

// Scratch that matmul_quantized and matmul_float may use for `nr` weight rows of `cols` columns.
int64_t scratch_bytes(int64_t nr, int64_t cols);

const KernelSet& scalar_kernels();
// The AVX2 set, or nullptr where this CPU (or this build's target) lacks AVX2, FMA or F16C.
const KernelSet* avx2_kernels();
// The best set this CPU supports, chosen once. TALLY_CPU_KERNELS=scalar in the environment forces the scalar set.
const KernelSet& active_kernels();

// E8M0 byte e -> 2^(e - 128): MXFP4's scale halved, because the kernels read doubled E2M1 values (integers).
extern const std::array<float, 256> kHalfE8M0;
// E8M0 byte e -> 2^(e - 136): for doubled E2M1 values held in the high byte of an int16 (x 256).
extern const std::array<float, 256> kE8M0Over512;
// E2M1 code -> 2 * value, an integer in [-12, 12].
extern const std::array<int8_t, 16> kE2M1Doubled;

// One weight block as int8 values in the kernels' block order, and its scale: w[i] * scale is the weight.
// MXFP4 values come out doubled (scale halved to match).
void decode_block(const RowRange& rows, int64_t r, int64_t b, int8_t* w, float* scale);

}  // namespace tally::backend::cpu::fast
