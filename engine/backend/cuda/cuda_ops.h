#pragma once
// Host-callable launchers of the CUDA kernels. Every pointer is device memory unless named host_*; every launch is
// asynchronous on `stream`. Row-major matrices carry their leading dimension (ld*, in elements).
#include <cuda_runtime.h>

#include <cstdint>

#include "backend/cuda/cuda_matrix.h"

namespace tally::backend::cuda {

// out[t, r] = sum_c x[t, c] * W_e[r, c] + bias[r] (bias may be null). Small batches take a bandwidth-bound GEMV
// with f32 math; larger ones a tensor-core GEMM with f16 operands and f32 accumulation.
// Whether the prefill GEMMs split operands into f16 head + tail (see cuda_gemm.cuh): TALLY_CUDA_GEMM=fast|precise
// in the environment, read at each call (tests switch it); precise unless told otherwise.
bool precise_gemm();

void linear(const DevMatrix& w, int64_t e, const float* bias, const float* x, int64_t ldx, int64_t n, float* out,
            int64_t ldo, cudaStream_t stream);

void embed(const DevMatrix& table, const int32_t* tokens, int64_t n, float* out, int64_t ldo, cudaStream_t stream);
void rmsnorm(const float* x, int64_t ldx, int64_t n, int64_t cols, const float* w, float eps, float* out,
             int64_t ldo, cudaStream_t stream);
void add(float* x, const float* y, int64_t count, cudaStream_t stream);

struct RopeArgs {
  float* q = nullptr;
  int64_t ldq = 0;
  int n_heads = 0;
  float* k = nullptr;
  int64_t ldk = 0;
  int n_kv_heads = 0;
  int head_dim = 0;
  const int32_t* positions = nullptr;
  int64_t n = 0;
  const double* inv_freq = nullptr;  // head_dim / 2
  double concentration = 1.0;
};
void rope(const RopeArgs& a, cudaStream_t stream);

// Router logits in f32 (exact, so the GPU picks the CPU's experts), top-k, softmax over the k chosen.
// `logits`: scratch of n x router.rows floats.
void route(const DevMatrix& router, const float* bias, const float* x, int64_t ldx, int64_t n, int k,
           float* logits, int32_t* experts, float* weights, cudaStream_t stream);

// One layer of the KV cache: `slots` rows of `width` (f16 or f32); position p lives in slot p % slots.
struct KvLayerView {
  void* k = nullptr;
  void* v = nullptr;
  int64_t slots = 0;
  int64_t width = 0;
  bool f16 = true;
};
void kv_store(const KvLayerView& kv, const float* k, int64_t ldk, const float* v, int64_t ldv,
              const int32_t* positions, int64_t n, cudaStream_t stream);

struct AttentionArgs {
  KvLayerView kv;
  const float* q = nullptr;
  int64_t ldq = 0;
  float* out = nullptr;
  int64_t ldo = 0;
  const int32_t* positions = nullptr;
  int64_t n = 0;
  int n_heads = 0;
  int n_kv_heads = 0;
  int head_dim = 0;
  int window = 0;  // 0: full attention
  const float* sinks = nullptr;
  int64_t max_keys = 0;  // largest number of keys any of the n queries sees (picks the split)
};
// Bytes of scratch attention() needs.
size_t attention_scratch_bytes(const AttentionArgs& a);
void attention(const AttentionArgs& a, void* scratch, cudaStream_t stream);

struct MoeArgs {
  DevMatrix gate, up, down;
  const float* gate_bias = nullptr;  // [n_experts * ffn]
  const float* up_bias = nullptr;
  const float* down_bias = nullptr;  // [n_experts * hidden]
  int n_experts = 0;
  int ffn = 0;
  int hidden = 0;
  float limit = 7.f;
  const float* x = nullptr;
  int64_t ldx = 0;
  int64_t n = 0;
  const int32_t* experts = nullptr;  // n x k
  const float* weights = nullptr;    // n x k
  int k = 0;
  float* out = nullptr;  // out += mixture
  int64_t ldo = 0;
};
size_t moe_scratch_bytes(const MoeArgs& a);
void moe(const MoeArgs& a, void* scratch, cudaStream_t stream);



}  // namespace tally::backend::cuda
