#pragma once
// What the AVX2 kernel files share: the platform check, the target attribute they compile under (per function, so
// the default x86-64 build carries them and picks them at run time), and the activation-block load every AVX2
// quantiser starts with.
#include "backend/cpu/fast_kernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TALLY_HAVE_AVX2 1
#define TALLY_AVX2_TARGET __attribute__((target("avx2,fma,f16c")))

namespace tally::backend::cpu::fast {

// Block b's 32 activations, in the order the weight layout pairs them with, into v[0..3]; returns their largest
// magnitude.
TALLY_AVX2_TARGET inline float load_block_amax(const float* src, BlockOrder order, __m256 v[4]) {
  float block[32];
  if (order != BlockOrder::Natural) {
    const uint8_t* perm = block_permutation(order).data();
    for (int p = 0; p < 32; ++p) block[p] = src[perm[p]];
    src = block;
  }
  const __m256 sign_bit = _mm256_set1_ps(-0.0f);
  __m256 amax = _mm256_setzero_ps();
  for (int k = 0; k < 4; ++k) {
    v[k] = _mm256_loadu_ps(src + 8 * k);
    amax = _mm256_max_ps(amax, _mm256_andnot_ps(sign_bit, v[k]));
  }
  __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
  m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
  m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
  return _mm_cvtss_f32(m4);
}

}  // namespace tally::backend::cpu::fast
#endif
