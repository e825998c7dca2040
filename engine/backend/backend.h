#pragma once
// The op interface every backend implements (CPU always; CUDA and Vulkan optional). The gpt-oss forward pass
// (model/gptoss.cpp) is written once over these ops. A backend knows nothing about chats or tokenizers.
//
// Activations are row-major f32 matrices `Act` (rows = tokens). Their memory belongs to the backend (host memory
// for the CPU, device memory for GPUs): the forward pass passes them around and never dereferences them, except
// through read_rows().
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/weights.h"
#include "tally/result.h"

namespace tally::backend {

struct Act {
  float* data = nullptr;  // backend memory
  int64_t rows = 0;
  int64_t cols = 0;
};

// What a sliding-window layer needs to resume at one position, copied out of its ring (KvCache::save_checkpoint).
// Only the window's rows: a few MB for gpt-oss-20b, however long the context.
class KvCheckpoint {
 public:
  virtual ~KvCheckpoint() = default;
  virtual int64_t position() const = 0;
  virtual uint64_t bytes() const = 0;
};

// The KV cache of one sequence. Full-attention layers keep every position; sliding-window layers keep a ring of
// window + slack positions, so a rollback of up to `slack` tokens (regenerate, edit the last message) needs no
// recompute; checkpoints of the sliding rings at chosen positions allow rolling further back.
class KvCache {
 public:
  virtual ~KvCache() = default;
  virtual int64_t capacity() const = 0;  // maximum positions (context size)
  // Positions [0, n) are valid after a forward pass over them.
  virtual int64_t size() const = 0;
  // Forget positions >= n. Returns false if the sliding layers no longer hold what position n needs (the caller
  // then recomputes from an earlier point or from scratch).
  virtual bool truncate(int64_t n) = 0;
  virtual void clear() = 0;
  // Marks positions [0, n) as valid (the forward pass calls this after a chunk completes).
  virtual void set_size(int64_t n) = 0;
  // Memory held, in bytes.
  virtual uint64_t bytes() const = 0;

  // Copies what the sliding layers hold for resuming at `position` (<= size(), and still inside every ring), so
  // that restore_checkpoint() can later roll back further than the rings' slack. Backends that cannot (yet) do
  // this say so, and the session then recomputes instead.
  virtual Result<std::unique_ptr<KvCheckpoint>> save_checkpoint(int64_t /*position*/) const {
    return make_error("this backend's KV cache does not support checkpoints");
  }
  // Truncates to the checkpoint's position and puts its sliding-layer rows back. The position must be <= size()
  // and the full-attention layers must hold the same tokens there as when the checkpoint was taken (the caller
  // drops checkpoints past the point where its sequence changed).
  virtual Result<void> restore_checkpoint(const KvCheckpoint& /*checkpoint*/) {
    return make_error("this backend's KV cache does not support checkpoints");
  }
};

enum class KvType { F32, F16 };

// Per token: the chosen experts (highest logit first) and their softmax weights, in backend memory.
struct Routes {
  int32_t* experts = nullptr;  // rows x k
  float* weights = nullptr;    // rows x k
  int64_t rows = 0;
  int k = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;

  // Called once per model before use: upload or repack weights as the backend needs.
  virtual Result<void> prepare(const model::ModelWeights& weights) = 0;
  virtual std::unique_ptr<KvCache> create_kv(const model::ModelConfig& config, int64_t n_ctx, KvType type) = 0;

  // Activation scratch: valid until release_scratch(). The forward pass allocates per call.
  virtual Act alloc(int64_t rows, int64_t cols) = 0;
  virtual Routes alloc_routes(int64_t rows, int k) = 0;
  virtual void release_scratch() = 0;

  // --- ops ---
  // out[i] = embedding row of tokens[i] (as f32)
  virtual void embed(const model::WeightMatrix& table, std::span<const int32_t> tokens, Act out) = 0;
  // out = x / rms(x) * w   (per row; eps from the config)
  virtual void rmsnorm(Act x, std::span<const float> w, float eps, Act out) = 0;
  // out = x W^T + b   (x: rows x W.cols -> out: rows x W.rows); b may be empty.
  virtual void linear(const model::WeightMatrix& w, std::span<const float> b, Act x, Act out) = 0;
  // YaRN rotary on q (n_heads) and k (n_kv_heads), half-split pairing, in place, for the given positions.
  virtual void rope(Act q, Act k, std::span<const int32_t> positions, const model::ModelConfig& config) = 0;
  // Stores k, v for `positions` into layer `layer` of the cache, then attends q over the cache (causal, sliding
  // window on sliding layers, one learned sink logit per head). out: rows x q_width.
  virtual void attention(KvCache& kv, int layer, Act q, Act k, Act v, std::span<const int32_t> positions,
                         std::span<const float> sinks, const model::ModelConfig& config, Act out) = 0;
  // Router logits -> top-k experts and their softmax weights (softmax over the k chosen logits only).
  virtual void route(const model::WeightMatrix& router, std::span<const float> bias, Act x, Routes out) = 0;
  // out += sum_e weight_e * expert_e(x) over the routed experts (SwiGLU with clamp, biases).
  virtual void moe(const model::LayerWeights& layer, const model::ModelConfig& config, Act x,
                   Routes routes, Act out) = 0;
  // x += y
  virtual void add(Act x, Act y) = 0;
  // Copies rows [first, first + n) of `a` to host memory.
  virtual void read_rows(Act a, int64_t first, int64_t n, float* dst) = 0;
  // Tells the backend the pass is complete (GPUs: synchronise).
  virtual void finish() {}
};

struct CpuOptions {
  bool exact = false;  // f32 math, f32 KV, no activation quantization
  int threads = 0;     // 0: all cores
};

std::unique_ptr<Backend> make_cpu_backend(const CpuOptions& options);

}  // namespace tally::backend
