#pragma once
// Encoders for the ggml storage types synth writes: F16, Q8_0 blocks and MXFP4 blocks repacked from the HF layout.
#include <cstdint>

namespace tally::synth {

// IEEE binary16 bits, rounded to nearest even (as numpy's astype(float16) and ggml's FP32_TO_FP16 do).
uint16_t f32_to_f16(float v);

inline constexpr int kQ8Block = 32;
inline constexpr int kQ8BlockBytes = 34;  // f16 scale + 32 int8
inline constexpr int kMxfp4BlockBytes = 17;  // E8M0 scale + 16 nibble bytes

// One Q8_0 block the way ggml's reference quantizer makes it: d = max|x| / 127, q = round(x / d).
void encode_q8_0(const float* x, uint8_t* out);

// One GGUF MXFP4 block from an HF block: `hf` holds element 2i in the low nibble of byte i and 2i+1 in the high
// nibble; ggml wants element i in the low nibble and element i+16 in the high nibble of byte i.
void encode_mxfp4(uint8_t scale, const uint8_t* hf, uint8_t* out);

}  // namespace tally::synth
