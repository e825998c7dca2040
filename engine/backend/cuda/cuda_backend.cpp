// The CUDA backend: weights uploaded once, activations, routes and the KV cache on the GPU, every op queued on one
// stream; read_rows() and finish() are the only points that wait for the GPU.
#include "backend/cuda/cuda_backend.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>

#include "backend/cuda/cuda_kv_cache.h"
#include "backend/cuda/cuda_op_timer.h"
#include "backend/cuda/cuda_ops.h"
#include "backend/cuda/cuda_weights.h"
#include "model/rope.h"

namespace tally::backend {

namespace {

using cuda::CudaKvCache;
using cuda::DeviceWeights;
using cuda::DevMatrix;

// Device bump allocator for one forward pass. A pass that outgrows the block gets another; reset() then replaces
// them with one block of the total, so later passes of that size need no allocation.
class DeviceArena {
 public:
  ~DeviceArena() {
    for (void* b : blocks_) cudaFree(b);
  }
  // nullptr when the GPU is out of memory.
  void* alloc(size_t bytes) {
    bytes = (bytes + 255) / 256 * 256;
    if (blocks_.empty() || used_ + bytes > capacity_) {
      const size_t size = std::max(bytes, size_t{64} << 20);
      void* p = nullptr;
      if (cudaMalloc(&p, size) != cudaSuccess) {
        cudaGetLastError();
        failed_bytes_ = bytes;
        return nullptr;
      }
      blocks_.push_back(p);
      capacity_ = size;
      used_ = 0;
      total_ += size;
    }
    void* p = static_cast<uint8_t*>(blocks_.back()) + used_;
    used_ += bytes;
    return p;
  }
  // Call with the stream idle.
  void reset() {
    if (blocks_.size() > 1) {
      for (void* b : blocks_) cudaFree(b);
      blocks_.clear();
      void* p = nullptr;
      if (cudaMalloc(&p, total_) == cudaSuccess) {
        blocks_.push_back(p);
        capacity_ = total_;
      } else {
        cudaGetLastError();
        capacity_ = 0;
        total_ = 0;
      }
    }
    used_ = 0;
    total_ = capacity_;
  }
  size_t failed_bytes() const { return failed_bytes_; }

 private:
  std::vector<void*> blocks_;
  size_t capacity_ = 0, used_ = 0, total_ = 0, failed_bytes_ = 0;
};

// Working memory an op needs only while its kernels run (attention partials, MoE grouping, router logits): one
// buffer reused by every op, since the stream runs them one after another. Before, each layer's op took fresh arena
// memory that lived until the pass ended: ~3.3 GB of attention partials for a 256-token chunk at 32k context.
class OpTemp {
 public:
  ~OpTemp() { cudaFree(data_); }
  // nullptr when the GPU is out of memory.
  void* get(size_t bytes) {
    if (bytes <= capacity_) return data_;
    cudaFree(data_);  // waits for the kernels still reading it
    data_ = nullptr;
    capacity_ = 0;
    const size_t size = std::max(bytes + bytes / 4, size_t{1} << 20);
    if (cudaMalloc(&data_, size) != cudaSuccess) {
      cudaGetLastError();
      data_ = nullptr;
      return nullptr;
    }
    capacity_ = size;
    return data_;
  }

 private:
  void* data_ = nullptr;
  size_t capacity_ = 0;
};

// Host int32 arrays (token ids, positions) mirrored on the device; re-uploaded only when they change (the forward
// pass hands rope and attention the same positions in every layer).
class DeviceInts {
 public:
  ~DeviceInts() { cudaFree(data_); }
  const int32_t* upload(std::span<const int32_t> host, cudaStream_t stream) {
    if (host.size() == host_.size() && std::equal(host.begin(), host.end(), host_.begin())) return data_;
    if (host.size() > capacity_) {
      cudaFree(data_);
      data_ = nullptr;
      capacity_ = std::max(host.size(), size_t{4096});
      if (cudaMalloc(&data_, capacity_ * sizeof(int32_t)) != cudaSuccess) {
        cudaGetLastError();
        capacity_ = 0;
        host_.clear();
        return nullptr;
      }
    }
    host_.assign(host.begin(), host.end());
    // From pageable memory: returns once the source is consumed, and runs in stream order.
    cudaMemcpyAsync(data_, host_.data(), host.size() * sizeof(int32_t), cudaMemcpyHostToDevice, stream);
    return data_;
  }

 private:
  int32_t* data_ = nullptr;
  size_t capacity_ = 0;
  std::vector<int32_t> host_;
};

// "blk.3.attn_q.weight" / "model.layers.3.self_attn.q_proj.weight" -> the name without the layer prefix, so the
// profile sums an op over layers.
std::string strip_layer(const std::string& name) {
  for (const char* prefix : {"blk.", "model.layers."}) {
    const std::string p = prefix;
    if (name.rfind(p, 0) == 0) {
      const size_t dot = name.find('.', p.size());
      if (dot != std::string::npos) return name.substr(dot + 1);
    }
  }
  return name;
}

class TimedOp {
 public:
  TimedOp(cuda::OpTimer& timer, cudaStream_t stream, const char* op, const std::string& what, int64_t rows)
      : timer_(timer), stream_(stream) {
    if (timer_.enabled()) {
      timer_.begin(std::string(op) + (what.empty() ? "" : " " + strip_layer(what)) + (rows == 1 ? " (1 row)" : " (batch)"),
                   stream_);
    }
  }
  ~TimedOp() {
    if (timer_.enabled()) timer_.end(stream_);
  }
  TimedOp(const TimedOp&) = delete;
  TimedOp& operator=(const TimedOp&) = delete;

 private:
  cuda::OpTimer& timer_;
  cudaStream_t stream_;
};

class CudaBackend final : public Backend {
 public:
  CudaBackend() {
    cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking);
  }
  ~CudaBackend() override {
    cudaStreamSynchronize(stream_);
    cudaStreamDestroy(stream_);
  }

  std::string name() const override { return "cuda"; }

  Result<void> prepare(const model::ModelWeights& weights) override {
    const model::ModelConfig& c = weights.config;
    if (c.head_dim != 64) {
      return make_error("CUDA: head_dim " + std::to_string(c.head_dim) + " is not supported (the kernels need 64)");
    }
    if (c.n_kv_heads <= 0 || c.n_heads % c.n_kv_heads != 0 || c.n_heads / c.n_kv_heads > 32) {
      return make_error("CUDA: " + std::to_string(c.n_heads) + " query heads over " + std::to_string(c.n_kv_heads) +
                        " KV heads is not supported");
    }
    if (c.n_experts > 256 || c.n_experts_used > 16) return make_error("CUDA: too many experts for the router kernel");
    for (const auto& L : weights.layers) {
      if (L.gate.type != L.up.type || L.gate.type != L.down.type) {
        return make_error("CUDA: tensor " + L.down.name + ": the expert matrices of a layer must share one type");
      }
    }
    if (auto ok = weights_.upload(weights); !ok) return ok;
    rope_ = std::make_unique<model::YarnRope>(c);
    const auto& inv = rope_->inv_freq();
    if (cudaMalloc(&inv_freq_, inv.size() * sizeof(double)) != cudaSuccess) {
      cudaGetLastError();
      return make_error("CUDA: out of GPU memory");
    }
    cudaMemcpy(inv_freq_, inv.data(), inv.size() * sizeof(double), cudaMemcpyHostToDevice);
    if (const cudaError_t err = cudaDeviceSynchronize(); err != cudaSuccess) {
      return make_error(std::string("CUDA: uploading the weights failed: ") + cudaGetErrorString(err));
    }
    return {};
  }

  // The cache type the session asks for. f16 halves memory and bandwidth (20b at 32k context on a 16 GB card), but
  // on the synthetic 20b its rounding alone moves the logits to a mean KL of 6e-2 from the CPU exact path (f32: 3e-9),
  // so f32 stays the default, as on the CPU.
  std::unique_ptr<KvCache> create_kv(const model::ModelConfig& config, int64_t n_ctx, KvType type) override {
    return std::make_unique<CudaKvCache>(config, n_ctx, type);
  }

  Act alloc(int64_t rows, int64_t cols) override {
    return Act{static_cast<float*>(scratch(static_cast<size_t>(rows * cols) * sizeof(float))), rows, cols};
  }
  Routes alloc_routes(int64_t rows, int k) override {
    Routes r;
    r.rows = rows;
    r.k = k;
    r.experts = static_cast<int32_t*>(scratch(static_cast<size_t>(rows * k) * sizeof(int32_t)));
    r.weights = static_cast<float*>(scratch(static_cast<size_t>(rows * k) * sizeof(float)));
    return r;
  }
  void release_scratch() override {
    cudaStreamSynchronize(stream_);
    timer_.collect();
    arena_.reset();
  }

  void embed(const model::WeightMatrix& table, std::span<const int32_t> tokens, Act out) override {
    TimedOp timed(timer_, stream_, "embed", "", out.rows);
    const DevMatrix* m = matrix(table);
    const int32_t* ids = tokens_.upload(tokens, stream_);
    if (!usable(m, ids, out.data)) return;
    cuda::embed(*m, ids, static_cast<int64_t>(tokens.size()), out.data, out.cols, stream_);
  }

  void rmsnorm(Act x, std::span<const float> w, float eps, Act out) override {
    TimedOp timed(timer_, stream_, "rmsnorm", "", x.rows);
    const float* dw = weights_.vec(w);
    if (!usable(dw, x.data, out.data)) return;
    cuda::rmsnorm(x.data, x.cols, x.rows, x.cols, dw, eps, out.data, out.cols, stream_);
  }

  void linear(const model::WeightMatrix& w, std::span<const float> b, Act x, Act out) override {
    TimedOp timed(timer_, stream_, "linear", w.name, x.rows);
    const DevMatrix* m = matrix(w);
    const float* db = b.empty() ? nullptr : weights_.vec(b);
    if (!usable(m, x.data, out.data) || (!b.empty() && !db)) return;
    cuda::linear(*m, 0, db, x.data, x.cols, x.rows, out.data, out.cols, stream_);
  }

  void rope(Act q, Act k, std::span<const int32_t> positions, const model::ModelConfig& config) override {
    TimedOp timed(timer_, stream_, "rope", "", q.rows);
    const int32_t* pos = positions_.upload(positions, stream_);
    if (!usable(pos, q.data, k.data)) return;
    cuda::RopeArgs a;
    a.q = q.data;
    a.ldq = q.cols;
    a.n_heads = config.n_heads;
    a.k = k.data;
    a.ldk = k.cols;
    a.n_kv_heads = config.n_kv_heads;
    a.head_dim = config.head_dim;
    a.positions = pos;
    a.n = q.rows;
    a.inv_freq = inv_freq_;
    a.concentration = rope_->concentration();
    cuda::rope(a, stream_);
  }

  void attention(KvCache& kv_base, int layer, Act q, Act k, Act v, std::span<const int32_t> positions,
                 std::span<const float> sinks, const model::ModelConfig& config, Act out) override {
    TimedOp timed(timer_, stream_, "attention", "", q.rows);
    auto& kv = static_cast<CudaKvCache&>(kv_base);
    const int32_t* pos = positions_.upload(positions, stream_);
    const float* dsinks = weights_.vec(sinks);
    if (!usable(pos, dsinks, q.data) || !kv.error().empty()) return;
    const cuda::KvLayerView view = kv.layer(layer);
    const bool sliding = kv.sliding(layer);
    const int64_t window = sliding ? config.sliding_window : 0;
    const int64_t n = q.rows;
    // A ring holds window + slack slots: store and attend in chunks so a chunk never overwrites keys an earlier
    // query of the same chunk still needs.
    const int64_t chunk = sliding ? std::max<int64_t>(1, view.slots - window) : n;
    for (int64_t c0 = 0; c0 < n; c0 += chunk) {
      const int64_t rows = std::min(chunk, n - c0);
      cuda::kv_store(view, k.data + c0 * k.cols, k.cols, v.data + c0 * v.cols, v.cols, pos + c0, rows, stream_);
      int64_t max_keys = 1;
      for (int64_t t = c0; t < c0 + rows; ++t) {
        const int64_t p = positions[static_cast<size_t>(t)];
        max_keys = std::max(max_keys, window > 0 ? std::min(window, p + 1) : p + 1);
      }
      cuda::AttentionArgs a;
      a.kv = view;
      a.q = q.data + c0 * q.cols;
      a.ldq = q.cols;
      a.out = out.data + c0 * out.cols;
      a.ldo = out.cols;
      a.positions = pos + c0;
      a.n = rows;
      a.n_heads = config.n_heads;
      a.n_kv_heads = config.n_kv_heads;
      a.head_dim = config.head_dim;
      a.window = static_cast<int>(window);
      a.sinks = dsinks;
      a.max_keys = max_keys;
      void* part = temp(cuda::attention_scratch_bytes(a));
      if (!part) return;
      cuda::attention(a, part, stream_);
    }
  }

  void route(const model::WeightMatrix& router, std::span<const float> bias, Act x, Routes out) override {
    TimedOp timed(timer_, stream_, "route", "", x.rows);
    const DevMatrix* m = matrix(router);
    const float* db = weights_.vec(bias);
    if (!usable(m, x.data, out.experts)) return;
    auto* logits = static_cast<float*>(temp(static_cast<size_t>(x.rows * m->rows) * sizeof(float)));
    if (!logits) return;
    cuda::route(*m, db, x.data, x.cols, x.rows, out.k, logits, out.experts, out.weights, stream_);
  }

  void moe(const model::LayerWeights& layer, const model::ModelConfig& config, Act x, Routes routes,
           Act out) override {
    TimedOp timed(timer_, stream_, "moe", "", x.rows);
    const DevMatrix* gate = matrix(layer.gate);
    const DevMatrix* up = matrix(layer.up);
    const DevMatrix* down = matrix(layer.down);
    if (!usable(gate, up, down) || !usable(x.data, out.data, routes.experts)) return;
    cuda::MoeArgs a;
    a.gate = *gate;
    a.up = *up;
    a.down = *down;
    a.gate_bias = weights_.vec(layer.gate_bias);
    a.up_bias = weights_.vec(layer.up_bias);
    a.down_bias = weights_.vec(layer.down_bias);
    a.n_experts = config.n_experts;
    a.ffn = config.expert_ffn;
    a.hidden = config.hidden;
    a.limit = config.swiglu_limit;
    a.x = x.data;
    a.ldx = x.cols;
    a.n = x.rows;
    a.experts = routes.experts;
    a.weights = routes.weights;
    a.k = routes.k;
    a.out = out.data;
    a.ldo = out.cols;
    if (!usable(a.gate_bias, a.up_bias, a.down_bias)) return;
    void* s = temp(cuda::moe_scratch_bytes(a));
    if (!s) return;
    cuda::moe(a, s, stream_);
  }

  void add(Act x, Act y) override {
    TimedOp timed(timer_, stream_, "add", "", x.rows);
    if (!usable(x.data, y.data, x.data)) return;
    cuda::add(x.data, y.data, x.rows * x.cols, stream_);
  }

  void read_rows(Act a, int64_t first, int64_t n, float* dst) override {
    const size_t count = static_cast<size_t>(n * a.cols);
    if (failed_ || !a.data) {
      std::fill(dst, dst + count, std::numeric_limits<float>::quiet_NaN());
      return;
    }
    cudaMemcpyAsync(dst, a.data + first * a.cols, count * sizeof(float), cudaMemcpyDeviceToHost, stream_);
    check(cudaStreamSynchronize(stream_), "reading results");
    if (failed_) std::fill(dst, dst + count, std::numeric_limits<float>::quiet_NaN());
  }

  void finish() override { check(cudaStreamSynchronize(stream_), "the forward pass"); }

 private:
  const DevMatrix* matrix(const model::WeightMatrix& w) {
    const DevMatrix* m = weights_.matrix(w);
    if (!m) fail("tensor " + w.name + " was not uploaded to the GPU");
    return m;
  }

  // An op runs only when the backend is healthy and its inputs exist: after an error (out of memory, a failed
  // launch) every later op is skipped and results read back as NaN, instead of kernels touching null pointers.
  template <typename A, typename B, typename C>
  bool usable(const A* a, const B* b, const C* c) {
    if (failed_) return false;
    if (!a || !b || !c) {
      fail("an input of the op is missing (out of GPU memory?)");
      return false;
    }
    if (const cudaError_t err = cudaGetLastError(); err != cudaSuccess) {
      fail(std::string("a kernel launch failed: ") + cudaGetErrorString(err));
      return false;
    }
    return true;
  }

  void* scratch(size_t bytes) {
    void* p = arena_.alloc(bytes);
    if (!p) {
      size_t free_bytes = 0, total_bytes = 0;
      cudaMemGetInfo(&free_bytes, &total_bytes);
      char buf[160];
      std::snprintf(buf, sizeof buf, "out of GPU memory for activations (needed %.1f MiB more, %.1f MiB free)",
                    static_cast<double>(arena_.failed_bytes()) / (1 << 20), static_cast<double>(free_bytes) / (1 << 20));
      fail(buf);
    }
    return p;
  }

  void* temp(size_t bytes) {
    void* p = op_temp_.get(bytes);
    if (!p) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "out of GPU memory for an op's working space (%.1f MiB)",
                    static_cast<double>(bytes) / (1 << 20));
      fail(buf);
    }
    return p;
  }

  void check(cudaError_t err, const char* what) {
    if (err != cudaSuccess) fail(std::string(what) + ": " + cudaGetErrorString(err));
  }

  void fail(const std::string& message) {
    if (!failed_) std::fprintf(stderr, "CUDA: %s\n", message.c_str());
    failed_ = true;
  }

  cudaStream_t stream_ = nullptr;
  cuda::OpTimer timer_;
  DeviceWeights weights_;
  DeviceArena arena_;
  OpTemp op_temp_;
  DeviceInts tokens_, positions_;
  std::unique_ptr<model::YarnRope> rope_;
  double* inv_freq_ = nullptr;
  bool failed_ = false;
};

CudaProbe run_probe() {
  CudaProbe p;
  int count = 0;
  if (const cudaError_t err = cudaGetDeviceCount(&count); err != cudaSuccess) {
    p.reason = cudaGetErrorString(err);
    cudaGetLastError();
    return p;
  }
  if (count == 0) {
    p.reason = "no CUDA device found";
    return p;
  }
  cudaDeviceProp prop{};
  cudaGetDeviceProperties(&prop, 0);
  if (prop.major * 10 + prop.minor < 75) {
    p.reason = std::string(prop.name) + " is sm_" + std::to_string(prop.major * 10 + prop.minor) +
               "; the CUDA backend needs sm_75 (Turing) or newer";
    return p;
  }
  size_t free_bytes = 0, total_bytes = 0;
  if (const cudaError_t err = cudaMemGetInfo(&free_bytes, &total_bytes); err != cudaSuccess) {
    p.reason = cudaGetErrorString(err);
    cudaGetLastError();
    return p;
  }
  int driver = 0;
  cudaDriverGetVersion(&driver);
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.200s (sm_%d%d, %.1f GiB free of %.1f GiB, driver CUDA %d.%d)", prop.name, prop.major,
                prop.minor, static_cast<double>(free_bytes) / (1 << 30), static_cast<double>(total_bytes) / (1 << 30),
                driver / 1000, driver % 1000 / 10);
  p.device = buf;
  p.usable = true;
  return p;
}

}  // namespace

const CudaProbe& cuda_probe() {
  static const CudaProbe probe = run_probe();
  return probe;
}

Result<std::unique_ptr<Backend>> make_cuda_backend() {
  const CudaProbe& p = cuda_probe();
  if (!p.usable) return make_error("CUDA: not available (" + p.reason + ")");
  return std::unique_ptr<Backend>(std::make_unique<CudaBackend>());
}

}  // namespace tally::backend
