// The Vulkan backend: weights uploaded once at prepare(), activations, routes and the KV cache in device memory.
// Every op is recorded into one command buffer (barriers between dependent dispatches); read_rows() and finish()
// submit it and wait. Act pointers are not addresses: they encode (arena block, byte offset), so the forward pass's
// pointer arithmetic on them (x.data + first * x.cols) keeps working.
#include "backend/vulkan/vulkan_backend.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <tuple>
#include <unordered_map>

#include "backend/vulkan/vk_device.h"
#include "backend/vulkan/vk_kv_cache.h"
#include "backend/vulkan/vk_weights.h"
#include "model/rope.h"

namespace tally::backend {

namespace {

using vk::Buffer;
using vk::Device;
using vk::Kernel;
using vk::VkKvCache;

constexpr int kBlockShift = 40;
constexpr uint64_t kOffsetMask = (uint64_t{1} << kBlockShift) - 1;

// A device location as the kernels take it: a buffer and an element (4-byte word) offset.
struct Loc {
  const Buffer* buffer = nullptr;
  uint32_t offset = 0;
};

// Bump allocator over device blocks, reused pass after pass.
class Arena {
 public:
  explicit Arena(Device& d) : device_(d) {}
  ~Arena() {
    for (Buffer& b : blocks_) device_.destroy(b);
  }
  void* alloc(uint64_t bytes, std::string& error) {
    bytes = (bytes + 255) / 256 * 256;
    while (current_ < blocks_.size() && used_ + bytes > blocks_[current_].size) {
      ++current_;
      used_ = 0;
    }
    if (current_ == blocks_.size()) {
      auto b = device_.create_device_buffer(std::max<uint64_t>(bytes, uint64_t{64} << 20), "activations");
      if (!b) {
        if (error.empty()) error = b.error().message;
        return nullptr;
      }
      blocks_.push_back(b.value());
      used_ = 0;
    }
    const uint64_t addr = (static_cast<uint64_t>(current_ + 1) << kBlockShift) | used_;
    used_ += bytes;
    return reinterpret_cast<void*>(static_cast<uintptr_t>(addr));
  }
  void reset() {
    current_ = 0;
    used_ = 0;
  }
  // nullptr buffer for a pointer this arena did not hand out.
  Loc resolve(const void* p) const {
    const uint64_t addr = reinterpret_cast<uintptr_t>(p);
    const uint64_t block = addr >> kBlockShift;
    if (block == 0 || block > blocks_.size()) return {};
    return Loc{&blocks_[block - 1], static_cast<uint32_t>((addr & kOffsetMask) / 4)};
  }

 private:
  Device& device_;
  std::vector<Buffer> blocks_;
  size_t current_ = 0;
  uint64_t used_ = 0;
};

// Host-visible buffers for the small per-pass inputs (token ids, positions, rope tables, unprepared vectors);
// recycled after each submit.
class HostRing {
 public:
  explicit HostRing(Device& d) : device_(d) {}
  ~HostRing() {
    for (Buffer& b : blocks_) device_.destroy(b);
  }
  Loc put(const void* data, uint64_t bytes, std::string& error) {
    const uint64_t size = (bytes + 255) / 256 * 256;
    while (current_ < blocks_.size() && used_ + size > blocks_[current_].size) {
      ++current_;
      used_ = 0;
    }
    if (current_ == blocks_.size()) {
      auto b = device_.create_host_buffer(std::max<uint64_t>(size, uint64_t{4} << 20), "per-pass inputs");
      if (!b) {
        if (error.empty()) error = b.error().message;
        return {};
      }
      blocks_.push_back(b.value());
      used_ = 0;
    }
    Buffer& b = blocks_[current_];
    std::memcpy(b.mapped + used_, data, bytes);
    Loc loc{&b, static_cast<uint32_t>(used_ / 4)};
    used_ += size;
    return loc;
  }
  void reset() {
    current_ = 0;
    used_ = 0;
    ++generation_;
  }
  uint64_t generation() const { return generation_; }

 private:
  Device& device_;
  std::vector<Buffer> blocks_;
  size_t current_ = 0;
  uint64_t used_ = 0;
  uint64_t generation_ = 0;
};

struct DeviceWeight {
  Buffer buffer;
  vk::PackedLayout layout;
};

using WeightKey = std::tuple<const uint8_t*, const uint8_t*, int64_t, int64_t, int64_t, int>;
WeightKey key_of(const model::WeightMatrix& w) {
  return {w.data, w.scales, w.rows, w.cols, w.count, static_cast<int>(w.type)};
}

// Workgroup counts above the per-dimension limit spill into y (the kernels rebuild the linear index).
void split(uint64_t groups, uint32_t& gx, uint32_t& gy) {
  constexpr uint64_t kMax = 65535;
  gx = static_cast<uint32_t>(std::min(groups, kMax));
  gy = static_cast<uint32_t>(gx ? (groups + gx - 1) / gx : 0);
}

// Lanes sharing one output row in linear.comp: about 8 groups of 8 columns per lane, 1 to 32 lanes.
uint32_t lanes_per_row(uint32_t ld) {
  uint32_t lanes = 1;
  while (lanes < 32 && lanes * 64 < ld) lanes *= 2;
  return lanes;
}

uint32_t f2u(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

class VulkanBackend final : public Backend {
 public:
  explicit VulkanBackend(std::unique_ptr<Device> device)
      : device_(std::move(device)), arena_(*device_), ring_(*device_) {}
  ~VulkanBackend() override {
    release_scratch();
    for (auto& [k, w] : weights_) device_->destroy(w.buffer);
    for (auto& [k, v] : vectors_) device_->destroy(v.first);
    device_->destroy(readback_);
  }

  std::string name() const override { return "vulkan"; }

  Result<void> prepare(const model::ModelWeights& weights) override {
    const model::ModelConfig& c = weights.config;
    if (c.head_dim > 64 || c.head_dim % 2) {
      return make_error("the Vulkan backend supports head_dim up to 64 (even); the model has " +
                        std::to_string(c.head_dim));
    }
    if (c.n_experts > 256 || c.n_experts_used > 32) {
      return make_error("the Vulkan backend supports up to 256 experts, 32 per token");
    }
    std::vector<const model::WeightMatrix*> mats = {&weights.embed, &weights.output};
    for (const auto& L : weights.layers) {
      for (const auto* m : {&L.wq, &L.wk, &L.wv, &L.wo, &L.router, &L.gate, &L.up, &L.down}) mats.push_back(m);
    }
    uint64_t need = 0;
    for (const auto* m : mats) {
      auto l = vk::packed_layout(*m);
      if (!l) return l.error();
      need += l->bytes;
    }
    const uint64_t budget = device_->choice().budget;
    if (budget > 0 && need > budget) {
      char msg[256];
      std::snprintf(msg, sizeof msg, "the model's weights need %.2f GiB of GPU memory; %s has a %.2f GiB budget",
                    static_cast<double>(need) / (1 << 30), device_->choice().name.c_str(),
                    static_cast<double>(budget) / (1 << 30));
      return make_error(msg);
    }
    std::vector<uint8_t> packed;
    for (const auto* m : mats) {
      if (weights_.count(key_of(*m))) continue;
      auto w = upload_weight(*m, packed);
      if (!w) return w.error();
      weights_.emplace(key_of(*m), w.value());
    }
    auto vec = [&](const std::vector<float>& v) -> Result<void> {
      if (v.empty() || vectors_.count(v.data())) return {};
      auto b = device_->create_device_buffer(v.size() * 4, "a bias/norm vector");
      if (!b) return b.error();
      if (auto ok = device_->upload(b.value(), 0, v.data(), v.size() * 4); !ok) return ok.error();
      vectors_.emplace(v.data(), std::make_pair(b.value(), v.size()));
      return {};
    };
    if (auto ok = vec(weights.final_norm); !ok) return ok.error();
    for (const auto& L : weights.layers) {
      for (const auto* v : {&L.attn_norm, &L.bq, &L.bk, &L.bv, &L.bo, &L.sinks, &L.post_norm, &L.router_bias,
                            &L.gate_bias, &L.up_bias, &L.down_bias}) {
        if (auto ok = vec(*v); !ok) return ok.error();
      }
    }
    return {};
  }

  std::unique_ptr<KvCache> create_kv(const model::ModelConfig& config, int64_t n_ctx, KvType type) override {
    auto kv = std::make_unique<VkKvCache>(*device_, config, n_ctx, type);
    if (!kv->ok()) fail(kv->error());
    return kv;
  }

  Act alloc(int64_t rows, int64_t cols) override {
    return Act{static_cast<float*>(arena_.alloc(static_cast<uint64_t>(rows * cols) * 4, error_)), rows, cols};
  }
  Routes alloc_routes(int64_t rows, int k) override {
    Routes r;
    r.rows = rows;
    r.k = k;
    r.weights = static_cast<float*>(arena_.alloc(static_cast<uint64_t>(rows * k) * 4, error_));
    r.experts = static_cast<int32_t*>(arena_.alloc(static_cast<uint64_t>(rows * k) * 4, error_));
    return r;
  }
  void release_scratch() override {
    if (device_->recording()) flush();
    arena_.reset();
    for (auto& w : temp_weights_) device_->destroy(w.buffer);
    temp_weights_.clear();
  }

  void embed(const model::WeightMatrix& table, std::span<const int32_t> tokens, Act out) override {
    const DeviceWeight* w = weight(table);
    const Loc t = ints(tokens);
    const Loc o = act(out.data);
    if (!w || !t.buffer || !o.buffer) return;
    const uint32_t n = static_cast<uint32_t>(tokens.size());
    const uint32_t push[] = {static_cast<uint32_t>(w->layout.type), static_cast<uint32_t>(table.rows),
                             static_cast<uint32_t>(table.cols), w->layout.ld, w->layout.scale_word, n, o.offset,
                             static_cast<uint32_t>(out.cols), t.offset};
    uint32_t gx, gy;
    split((static_cast<uint64_t>(n) * (w->layout.ld / 8) + 63) / 64, gx, gy);
    device_->dispatch(Kernel::Embed, {&w->buffer, t.buffer, o.buffer}, push, sizeof push, gx, gy);
  }

  void rmsnorm(Act x, std::span<const float> w, float eps, Act out) override {
    const Loc xl = act(x.data), ol = act(out.data), wl = floats(w);
    if (!xl.buffer || !ol.buffer || !wl.buffer) return;
    const uint32_t push[] = {static_cast<uint32_t>(x.cols), xl.offset, static_cast<uint32_t>(x.cols), ol.offset,
                             static_cast<uint32_t>(out.cols), wl.offset, static_cast<uint32_t>(x.rows), f2u(eps)};
    uint32_t gx, gy;
    split(static_cast<uint64_t>(x.rows), gx, gy);
    device_->dispatch(Kernel::RmsNorm, {xl.buffer, wl.buffer, ol.buffer}, push, sizeof push, gx, gy);
  }

  void linear(const model::WeightMatrix& w, std::span<const float> b, Act x, Act out) override {
    const DeviceWeight* dw = weight(w);
    const Loc xl = act(x.data), ol = act(out.data);
    const Loc bl = b.empty() ? Loc{} : floats(b);
    if (!dw || !xl.buffer || !ol.buffer || (!b.empty() && !bl.buffer)) return;
    const uint32_t push[] = {static_cast<uint32_t>(dw->layout.type), static_cast<uint32_t>(w.rows),
                             static_cast<uint32_t>(w.cols), dw->layout.ld, dw->layout.scale_word, xl.offset,
                             static_cast<uint32_t>(x.cols), ol.offset, static_cast<uint32_t>(out.cols),
                             static_cast<uint32_t>(x.rows), b.empty() ? 0u : 1u, bl.offset,
                             lanes_per_row(dw->layout.ld)};
    if (x.rows > 16 && dw->layout.ld % 32 == 0) {
      device_->dispatch(Kernel::LinearTiled, {&dw->buffer, xl.buffer, bl.buffer, ol.buffer}, push, sizeof push,
                        static_cast<uint32_t>((w.rows + 31) / 32), static_cast<uint32_t>((x.rows + 31) / 32));
      return;
    }
    uint32_t gx, gy;
    split((static_cast<uint64_t>(w.rows) * push[12] + 63) / 64, gx, gy);
    const uint32_t gz = static_cast<uint32_t>((x.rows + 15) / 16);
    device_->dispatch(Kernel::Linear, {&dw->buffer, xl.buffer, bl.buffer, ol.buffer}, push, sizeof push, gx, gy, gz);
  }

  void rope(Act q, Act k, std::span<const int32_t> positions, const model::ModelConfig& config) override {
    const Loc ql = act(q.data), kl = act(k.data);
    const Loc cs = rope_table(positions, config);
    if (!ql.buffer || !kl.buffer || !cs.buffer) return;
    const uint32_t half = static_cast<uint32_t>(config.head_dim / 2);
    const uint32_t n = static_cast<uint32_t>(q.rows);
    const uint32_t push[] = {ql.offset, static_cast<uint32_t>(q.cols), kl.offset, static_cast<uint32_t>(k.cols),
                             static_cast<uint32_t>(config.n_heads), static_cast<uint32_t>(config.n_kv_heads),
                             static_cast<uint32_t>(config.head_dim), half, n, cs.offset};
    uint32_t gx, gy;
    split((static_cast<uint64_t>(n) * (config.n_heads + config.n_kv_heads) * half + 63) / 64, gx, gy);
    device_->dispatch(Kernel::Rope, {ql.buffer, kl.buffer, cs.buffer}, push, sizeof push, gx, gy);
  }

  void attention(KvCache& cache, int layer, Act q, Act k, Act v, std::span<const int32_t> positions,
                 std::span<const float> sinks, const model::ModelConfig& config, Act out) override {
    auto& kv = static_cast<VkKvCache&>(cache);
    if (!kv.ok()) return fail(kv.error());
    const Loc ql = act(q.data), kl = act(k.data), vl = act(v.data), ol = act(out.data);
    const Loc pl = ints(positions), sl = floats(sinks);
    if (!ql.buffer || !kl.buffer || !vl.buffer || !ol.buffer || !pl.buffer || !sl.buffer) return;
    const int64_t n = q.rows;
    const bool sliding = kv.sliding(layer);
    const int64_t window = sliding ? config.sliding_window : 0;
    const int64_t slots = kv.slots(layer);
    // A ring holds window + slack slots: store and attend in chunks so no chunk overwrites positions an earlier
    // token of the same chunk still needs (as the CPU does).
    const int64_t chunk = sliding && slots - window > 0 ? slots - window : n;
    const uint32_t width = static_cast<uint32_t>(config.kv_width());
    for (int64_t c0 = 0; c0 < n; c0 += chunk) {
      const int64_t c1 = std::min(n, c0 + chunk);
      const uint32_t store[] = {kl.offset, static_cast<uint32_t>(k.cols), vl.offset, static_cast<uint32_t>(v.cols),
                                width, static_cast<uint32_t>(slots), static_cast<uint32_t>(c0),
                                static_cast<uint32_t>(c1), kv.f16() ? 1u : 0u, pl.offset};
      uint32_t gx, gy;
      split((static_cast<uint64_t>(c1 - c0) * (width / 2) + 63) / 64, gx, gy);
      device_->dispatch(Kernel::KvStore, {kl.buffer, vl.buffer, &kv.k(layer), &kv.v(layer), pl.buffer}, store,
                        sizeof store, gx, gy);
      const uint32_t attend[] = {ql.offset, static_cast<uint32_t>(q.cols), ol.offset, static_cast<uint32_t>(out.cols),
                                 static_cast<uint32_t>(config.n_heads),
                                 static_cast<uint32_t>(config.n_heads / config.n_kv_heads),
                                 static_cast<uint32_t>(config.head_dim), width, static_cast<uint32_t>(slots),
                                 static_cast<uint32_t>(window), static_cast<uint32_t>(c0), static_cast<uint32_t>(c1),
                                 kv.f16() ? 1u : 0u, pl.offset, sl.offset,
                                 f2u(1.0f / std::sqrt(static_cast<float>(config.head_dim)))};
      device_->dispatch(Kernel::Attention, {ql.buffer, &kv.k(layer), &kv.v(layer), pl.buffer, sl.buffer, ol.buffer},
                        attend, sizeof attend, static_cast<uint32_t>(c1 - c0), static_cast<uint32_t>(config.n_heads));
    }
  }

  void route(const model::WeightMatrix& router, std::span<const float> bias, Act x, Routes out) override {
    const int64_t n_experts = router.rows;
    Act logits = alloc(x.rows, n_experts);
    linear(router, bias, x, logits);
    const Loc ll = act(logits.data), el = act(out.experts), wl = act(out.weights);
    if (!ll.buffer || !el.buffer || !wl.buffer) return;
    const uint32_t push[] = {static_cast<uint32_t>(x.rows), static_cast<uint32_t>(n_experts),
                             static_cast<uint32_t>(out.k), ll.offset, static_cast<uint32_t>(n_experts), el.offset,
                             wl.offset};
    device_->dispatch(Kernel::TopK, {ll.buffer, el.buffer, wl.buffer}, push, sizeof push,
                      static_cast<uint32_t>((x.rows + 63) / 64));
  }

  void moe(const model::LayerWeights& layer, const model::ModelConfig& config, Act x, Routes routes,
           Act out) override {
    const int64_t n = x.rows;
    const uint32_t k = static_cast<uint32_t>(routes.k);
    const uint32_t nk = static_cast<uint32_t>(n) * k;
    const uint32_t ne = static_cast<uint32_t>(config.n_experts);
    const uint32_t ffn = static_cast<uint32_t>(config.expert_ffn);
    const uint32_t hidden = static_cast<uint32_t>(config.hidden);
    const DeviceWeight* gate = weight(layer.gate);
    const DeviceWeight* up = weight(layer.up);
    const DeviceWeight* down = weight(layer.down);
    void* list = arena_.alloc(static_cast<uint64_t>(ne) * (nk + 1) * 4, error_);
    Act a = alloc(nk, ffn);
    Act y = alloc(nk, hidden);
    const Loc xl = act(x.data), ol = act(out.data), el = act(routes.experts), wl = act(routes.weights);
    const Loc ll = act(list), al = act(a.data), yl = act(y.data);
    const Loc gb = floats(layer.gate_bias), ub = floats(layer.up_bias), db = floats(layer.down_bias);
    if (!gate || !up || !down || !xl.buffer || !ol.buffer || !el.buffer || !wl.buffer || !ll.buffer || !al.buffer ||
        !yl.buffer || !gb.buffer || !ub.buffer || !db.buffer) {
      return;
    }
    const uint32_t group[] = {nk, ne, el.offset, ll.offset};
    device_->dispatch(Kernel::MoeGroup, {el.buffer, ll.buffer}, group, sizeof group, ne);

    const uint32_t gu[] = {static_cast<uint32_t>(gate->layout.type), static_cast<uint32_t>(up->layout.type), ffn,
                           hidden, gate->layout.ld, gate->layout.scale_word, up->layout.scale_word, xl.offset,
                           static_cast<uint32_t>(x.cols), k, nk, ne, ll.offset, al.offset, gb.offset, ub.offset,
                           f2u(config.swiglu_limit), lanes_per_row(gate->layout.ld)};
    // Prefill: 32-row x 32-slot tiles per expert; decode: a workgroup per row reads each chosen expert once.
    const bool tiled = n > 4 && gate->layout.ld % 32 == 0 && down->layout.ld % 32 == 0;
    uint32_t gx, gy;
    if (tiled) {
      gx = (ffn + 31) / 32;
      gy = 1;
    } else {
      split((uint64_t{ffn} * gu[17] + 63) / 64, gx, gy);
    }
    device_->dispatch(tiled ? Kernel::MoeGateUpTiled : Kernel::MoeGateUp,
                      {&gate->buffer, &up->buffer, gb.buffer, ub.buffer, xl.buffer, ll.buffer, al.buffer}, gu,
                      sizeof gu, gx, gy, ne);
    const uint32_t dn[] = {static_cast<uint32_t>(down->layout.type), hidden, ffn, down->layout.ld,
                           down->layout.scale_word, al.offset, nk, ne, ll.offset, yl.offset, db.offset,
                           lanes_per_row(down->layout.ld)};
    if (tiled) {
      gx = (hidden + 31) / 32;
      gy = 1;
    } else {
      split((uint64_t{hidden} * dn[11] + 63) / 64, gx, gy);
    }
    device_->dispatch(tiled ? Kernel::MoeDownTiled : Kernel::MoeDown,
                      {&down->buffer, db.buffer, al.buffer, ll.buffer, yl.buffer}, dn, sizeof dn, gx, gy, ne);
    const uint32_t comb[] = {static_cast<uint32_t>(n), hidden, k, yl.offset, wl.offset, ol.offset,
                             static_cast<uint32_t>(out.cols)};
    split((static_cast<uint64_t>(n) * hidden + 255) / 256, gx, gy);
    device_->dispatch(Kernel::MoeCombine, {yl.buffer, wl.buffer, ol.buffer}, comb, sizeof comb, gx, gy);
  }

  void add(Act x, Act y) override {
    const Loc xl = act(x.data), yl = act(y.data);
    if (!xl.buffer || !yl.buffer) return;
    const uint32_t n = static_cast<uint32_t>(x.rows * x.cols);
    const uint32_t push[] = {n, xl.offset, yl.offset};
    uint32_t gx, gy;
    split((n + 255) / 256, gx, gy);
    device_->dispatch(Kernel::Add, {xl.buffer, yl.buffer}, push, sizeof push, gx, gy);
  }

  void read_rows(Act a, int64_t first, int64_t n, float* dst) override {
    const size_t count = static_cast<size_t>(n * a.cols);
    const Loc loc = act(a.data + first * a.cols);
    if (!loc.buffer) {
      std::fill(dst, dst + count, std::numeric_limits<float>::quiet_NaN());
      return;
    }
    const uint64_t bytes = count * 4;
    if (!loc.buffer->mapped) {
      if (readback_.size < bytes) {
        device_->destroy(readback_);
        auto b = device_->create_host_buffer(std::max<uint64_t>(bytes, uint64_t{1} << 20), "read-back");
        if (!b) {
          fail(b.error().message);
          std::fill(dst, dst + count, std::numeric_limits<float>::quiet_NaN());
          return;
        }
        readback_ = b.value();
      }
      device_->copy(*loc.buffer, uint64_t{loc.offset} * 4, readback_, 0, bytes);
    }
    flush();
    if (!error_.empty()) {
      std::fill(dst, dst + count, std::numeric_limits<float>::quiet_NaN());
      return;
    }
    const uint8_t* src = loc.buffer->mapped ? loc.buffer->mapped + uint64_t{loc.offset} * 4 : readback_.mapped;
    std::memcpy(dst, src, bytes);
  }

  void finish() override { flush(); }

 private:
  void fail(const std::string& message) {
    if (error_.empty()) {
      error_ = message;
      std::fprintf(stderr, "Vulkan backend: %s\n", message.c_str());
    }
  }

  void flush() {
    if (auto ok = device_->flush(); !ok) fail(ok.error().message);
    ring_.reset();
  }

  Loc act(const void* p) {
    const Loc l = arena_.resolve(p);
    if (!l.buffer) fail(error_.empty() ? "an activation was not allocated by this backend" : error_);
    return l;
  }

  Loc floats(std::span<const float> v) {
    auto it = vectors_.find(v.data());
    if (it != vectors_.end() && it->second.second >= v.size()) return Loc{&it->second.first, 0};
    const Loc l = ring_.put(v.data(), v.size_bytes(), error_);
    if (!l.buffer) fail(error_);
    return l;
  }

  Loc ints(std::span<const int32_t> v) {
    // The forward pass hands rope and attention the same positions in every layer: upload once per submit.
    if (cached_ints_gen_ == ring_.generation() && v.size() == cached_ints_.size() &&
        std::equal(v.begin(), v.end(), cached_ints_.begin())) {
      return cached_ints_loc_;
    }
    const Loc l = ring_.put(v.data(), v.size_bytes(), error_);
    if (!l.buffer) {
      fail(error_);
      return l;
    }
    cached_ints_.assign(v.begin(), v.end());
    cached_ints_gen_ = ring_.generation();
    cached_ints_loc_ = l;
    return l;
  }

  Loc rope_table(std::span<const int32_t> positions, const model::ModelConfig& config) {
    if (!rope_ || rope_->head_dim() != config.head_dim) rope_ = std::make_unique<model::YarnRope>(config);
    if (rope_gen_ == ring_.generation() && positions.size() == rope_positions_.size() &&
        std::equal(positions.begin(), positions.end(), rope_positions_.begin())) {
      return rope_loc_;
    }
    const size_t half = static_cast<size_t>(config.head_dim / 2);
    std::vector<float> table(positions.size() * 2 * half);
    for (size_t t = 0; t < positions.size(); ++t) {
      rope_->angles(positions[t], table.data() + t * 2 * half, table.data() + t * 2 * half + half);
    }
    rope_loc_ = ring_.put(table.data(), table.size() * 4, error_);
    if (!rope_loc_.buffer) fail(error_);
    rope_positions_.assign(positions.begin(), positions.end());
    rope_gen_ = ring_.generation();
    return rope_loc_;
  }

  Result<DeviceWeight> upload_weight(const model::WeightMatrix& m, std::vector<uint8_t>& packed) {
    auto layout = vk::pack_weights(m, packed);
    if (!layout) return layout.error();
    auto b = device_->create_device_buffer(layout->bytes, m.name);
    if (!b) return b.error();
    if (auto ok = device_->upload(b.value(), 0, packed.data(), layout->bytes); !ok) {
      Buffer buf = b.value();
      device_->destroy(buf);
      return ok.error();
    }
    return DeviceWeight{b.value(), layout.value()};
  }

  // Prepared weights are looked up; any other matrix (ops used outside a model) is uploaded for this pass only.
  const DeviceWeight* weight(const model::WeightMatrix& m) {
    auto it = weights_.find(key_of(m));
    if (it != weights_.end()) return &it->second;
    std::vector<uint8_t> packed;
    auto w = upload_weight(m, packed);
    if (!w) {
      fail(w.error().message);
      return nullptr;
    }
    temp_weights_.push_back(w.value());
    return &temp_weights_.back();
  }

  std::unique_ptr<Device> device_;
  Arena arena_;
  HostRing ring_;
  Buffer readback_;
  std::map<WeightKey, DeviceWeight> weights_;
  std::deque<DeviceWeight> temp_weights_;
  std::unordered_map<const float*, std::pair<Buffer, size_t>> vectors_;
  std::unique_ptr<model::YarnRope> rope_;
  std::vector<int32_t> rope_positions_;
  uint64_t rope_gen_ = ~uint64_t{0};
  Loc rope_loc_;
  std::vector<int32_t> cached_ints_;
  uint64_t cached_ints_gen_ = ~uint64_t{0};
  Loc cached_ints_loc_;
  std::string error_;
};

}  // namespace

const VulkanProbe& vulkan_probe() {
  static const VulkanProbe probe = [] {
    VulkanProbe p;
    auto choice = vk::choose_device();
    if (!choice) {
      p.reason = choice.error().message;
      return p;
    }
    p.usable = true;
    p.cpu_device = choice->type == VK_PHYSICAL_DEVICE_TYPE_CPU;
    p.device = choice->describe();
    return p;
  }();
  return probe;
}

Result<std::unique_ptr<Backend>> make_vulkan_backend() {
  const VulkanProbe& probe = vulkan_probe();
  if (!probe.usable) return make_error("Vulkan: " + probe.reason);
  auto device = Device::create();
  if (!device) return make_error("Vulkan: " + device.error().message);
  return std::unique_ptr<Backend>(std::make_unique<VulkanBackend>(std::move(device).value()));
}

}  // namespace tally::backend
