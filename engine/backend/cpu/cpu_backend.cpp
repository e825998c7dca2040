// The CPU backend: always available. Exact mode decodes weights to f32 and accumulates in f32 (the reference
// path); fast mode may quantize activations and keeps the KV cache in f16.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <thread>
#include <vector>

#include "backend/backend.h"
#include "backend/cpu/cpu_kv_cache.h"
#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/dequant.h"
#include "backend/cpu/thread_pool.h"
#include "model/rope.h"

namespace tally::backend {

namespace {

using cpu::CpuKvCache;
using cpu::ThreadPool;

// Bump allocator for activations: one forward pass allocates a few dozen buffers and frees them all at once.
class Arena {
 public:
  float* alloc(size_t n) {
    n = (n + 15) & ~size_t{15};  // keep 64-byte alignment between allocations
    if (blocks_.empty() || used_ + n > capacity_) {
      const size_t size = std::max(n, size_t{1} << 22);
      blocks_.emplace_back(new (std::align_val_t{64}) float[size]);
      capacity_ = size;
      used_ = 0;
      total_ += size;
    }
    float* p = blocks_.back().get() + used_;
    used_ += n;
    return p;
  }
  void reset() {
    if (blocks_.size() > 1) {  // consolidate so the next pass fits in one block
      const size_t size = total_;
      blocks_.clear();
      blocks_.emplace_back(new (std::align_val_t{64}) float[size]);
      capacity_ = size;
    }
    used_ = 0;
    total_ = capacity_;
  }

 private:
  struct Free {
    void operator()(float* p) const { ::operator delete[](p, std::align_val_t{64}); }
  };
  std::vector<std::unique_ptr<float[], Free>> blocks_;
  size_t capacity_ = 0, used_ = 0, total_ = 0;
};

class CpuBackend final : public Backend {
 public:
  explicit CpuBackend(const CpuOptions& options)
      : options_(options),
        pool_(options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))) {}

  std::string name() const override { return options_.exact ? "cpu-exact" : "cpu"; }

  Result<void> prepare(const model::ModelWeights&) override { return {}; }

  std::unique_ptr<KvCache> create_kv(const model::ModelConfig& config, int64_t n_ctx, KvType type) override {
    return std::make_unique<CpuKvCache>(config, n_ctx, options_.exact ? KvType::F32 : type);
  }

  Act alloc(int64_t rows, int64_t cols) override {
    return Act{arena_.alloc(static_cast<size_t>(rows * cols)), rows, cols};
  }
  Routes alloc_routes(int64_t rows, int k) override {
    Routes r;
    r.rows = rows;
    r.k = k;
    r.weights = arena_.alloc(static_cast<size_t>(rows * k));
    r.experts = reinterpret_cast<int32_t*>(arena_.alloc(static_cast<size_t>(rows * k)));
    return r;
  }
  void release_scratch() override { arena_.reset(); }

  void embed(const model::WeightMatrix& table, std::span<const int32_t> tokens, Act out) override {
    pool_.parallel_for(static_cast<int64_t>(tokens.size()), [&](int64_t i, int) {
      cpu::dequantize_row(table, 0, tokens[i], out.data + i * out.cols);
    });
  }

  void rmsnorm(Act x, std::span<const float> w, float eps, Act out) override {
    pool_.parallel_for(x.rows, [&](int64_t r, int) {
      const float* xr = x.data + r * x.cols;
      float* o = out.data + r * out.cols;
      double ss = 0.0;
      for (int64_t i = 0; i < x.cols; ++i) ss += static_cast<double>(xr[i]) * xr[i];
      const float inv = static_cast<float>(1.0 / std::sqrt(ss / static_cast<double>(x.cols) + eps));
      for (int64_t i = 0; i < x.cols; ++i) o[i] = xr[i] * inv * w[i];
    });
  }

  void linear(const model::WeightMatrix& w, std::span<const float> b, Act x, Act out) override {
    if (options_.exact) {
      cpu::linear_exact(pool_, w, 0, b, x, out);
    } else {
      cpu::linear_fast(pool_, w, 0, b, x, out);
    }
  }

  void rope(Act q, Act k, std::span<const int32_t> positions, const model::ModelConfig& config) override {
    const model::YarnRope& table = rope_table(config);
    const int64_t dim = config.head_dim;
    const int64_t half = dim / 2;
    pool_.parallel_for(q.rows, [&](int64_t t, int) {
      std::vector<float> cos(half), sin(half);
      table.angles(positions[t], cos.data(), sin.data());
      auto rotate = [&](float* head) {
        for (int64_t d = 0; d < half; ++d) {
          const float x1 = head[d];
          const float x2 = head[d + half];
          head[d] = x1 * cos[d] - x2 * sin[d];
          head[d + half] = x2 * cos[d] + x1 * sin[d];
        }
      };
      for (int h = 0; h < config.n_heads; ++h) rotate(q.data + t * q.cols + h * dim);
      for (int h = 0; h < config.n_kv_heads; ++h) rotate(k.data + t * k.cols + h * dim);
    });
  }

  void attention(KvCache& kv, int layer, Act q, Act k, Act v, std::span<const int32_t> positions,
                 std::span<const float> sinks, const model::ModelConfig& config, Act out) override {
    cpu::attention_cpu(pool_, static_cast<CpuKvCache&>(kv), layer, q, k, v, positions, sinks, config, out);
  }

  void route(const model::WeightMatrix& router, std::span<const float> bias, Act x, Routes out) override {
    const int64_t n_experts = router.rows;
    std::vector<float> logits(static_cast<size_t>(x.rows * n_experts));
    // Router logits decide which experts run: always computed exactly, so the fast path picks the same experts.
    cpu::linear_exact(pool_, router, 0, bias, x, Act{logits.data(), x.rows, n_experts});
    const int k = out.k;
    for (int64_t t = 0; t < x.rows; ++t) {
      const float* l = logits.data() + t * n_experts;
      std::vector<int32_t> order(static_cast<size_t>(n_experts));
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + k, order.end(),
                        [&](int32_t a, int32_t b) { return l[a] > l[b] || (l[a] == l[b] && a < b); });
      const float m = l[order[0]];
      double sum = 0.0;
      for (int s = 0; s < k; ++s) sum += std::exp(static_cast<double>(l[order[s]]) - m);
      for (int s = 0; s < k; ++s) {
        out.experts[t * k + s] = order[s];
        out.weights[t * k + s] = static_cast<float>(std::exp(static_cast<double>(l[order[s]]) - m) / sum);
      }
    }
  }

  void moe(const model::LayerWeights& layer, const model::ModelConfig& config, Act x, Routes routes,
           Act out) override {
    cpu::moe_cpu(pool_, options_.exact, layer, config, x, routes, out);
  }

  void add(Act x, Act y) override {
    const int64_t n = x.rows * x.cols;
    for (int64_t i = 0; i < n; ++i) x.data[i] += y.data[i];
  }

  void read_rows(Act a, int64_t first, int64_t n, float* dst) override {
    std::memcpy(dst, a.data + first * a.cols, static_cast<size_t>(n * a.cols) * sizeof(float));
  }

 private:
  const model::YarnRope& rope_table(const model::ModelConfig& config) {
    if (!rope_ || rope_->head_dim() != config.head_dim) rope_ = std::make_unique<model::YarnRope>(config);
    return *rope_;
  }

  CpuOptions options_;
  ThreadPool pool_;
  Arena arena_;
  std::unique_ptr<model::YarnRope> rope_;
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend(const CpuOptions& options) {
  return std::make_unique<CpuBackend>(options);
}

}  // namespace tally::backend
