#include "backend/cuda/cuda_weights.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <thread>

namespace tally::backend::cuda {

namespace {

Kind kind_of(model::DType t) {
  switch (t) {
    case model::DType::F32: return Kind::F32;
    case model::DType::F16: return Kind::F16;
    case model::DType::BF16: return Kind::BF16;
    case model::DType::Q8_0: return Kind::Q8;
    case model::DType::MXFP4:
    case model::DType::MXFP4_SPLIT: return Kind::MXFP4;
  }
  return Kind::F32;
}

// Row r of matrix e into the dense planes (q: row_bytes, s: scale_row_bytes).
void repack_row(const model::WeightMatrix& w, int64_t e, int64_t r, uint8_t* q, uint8_t* s) {
  const uint8_t* src = w.row(e, r);
  const int64_t blocks = w.cols / 32;
  switch (w.type) {
    case model::DType::F32: std::memcpy(q, src, static_cast<size_t>(w.cols) * 4); break;
    case model::DType::F16:
    case model::DType::BF16: std::memcpy(q, src, static_cast<size_t>(w.cols) * 2); break;
    case model::DType::Q8_0:
      for (int64_t b = 0; b < blocks; ++b) {
        std::memcpy(s + b * 2, src + b * 34, 2);
        std::memcpy(q + b * 32, src + b * 34 + 2, 32);
      }
      break;
    case model::DType::MXFP4:
      // ggml: byte i = element i | element i + 16 << 4  ->  element 2i | element 2i + 1 << 4
      for (int64_t b = 0; b < blocks; ++b) {
        const uint8_t* in = src + b * 17 + 1;
        s[b] = src[b * 17];
        auto elem = [in](int m) { return m < 16 ? in[m] & 0xf : in[m - 16] >> 4; };
        for (int i = 0; i < 16; ++i) q[b * 16 + i] = static_cast<uint8_t>(elem(2 * i) | (elem(2 * i + 1) << 4));
      }
      break;
    case model::DType::MXFP4_SPLIT:
      std::memcpy(q, src, static_cast<size_t>(blocks) * 16);
      std::memcpy(s, w.scales + e * w.scale_mat_stride + r * w.scale_row_stride, static_cast<size_t>(blocks));
      break;
  }
}

std::string gib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

uint64_t matrix_bytes(const model::WeightMatrix& w) {
  DevMatrix d;
  d.kind = kind_of(w.type);
  d.cols = w.cols;
  return static_cast<uint64_t>(w.count * w.rows * (d.row_bytes() + d.scale_row_bytes()));
}

}  // namespace

DeviceWeights::~DeviceWeights() {
  for (void* p : allocations_) cudaFree(p);
}

Result<void> DeviceWeights::add_matrix(const model::WeightMatrix& w) {
  if (w.empty()) return make_error("CUDA: tensor " + w.name + " is missing");
  if (w.cols % 32 != 0) {
    return make_error("CUDA: tensor " + w.name + " has " + std::to_string(w.cols) +
                      " columns; the CUDA kernels need a multiple of 32");
  }
  DevMatrix d;
  d.kind = kind_of(w.type);
  d.rows = w.rows;
  d.cols = w.cols;
  d.count = w.count;
  const int64_t rb = d.row_bytes(), sb = d.scale_row_bytes();
  const int64_t total_rows = w.count * w.rows;
  void* q = nullptr;
  void* s = nullptr;
  if (cudaMalloc(&q, static_cast<size_t>(total_rows * rb)) != cudaSuccess) {
    cudaGetLastError();
    return make_error("CUDA: out of GPU memory uploading " + w.name);
  }
  allocations_.push_back(q);
  if (sb > 0) {
    if (cudaMalloc(&s, static_cast<size_t>(total_rows * sb)) != cudaSuccess) {
      cudaGetLastError();
      return make_error("CUDA: out of GPU memory uploading " + w.name);
    }
    allocations_.push_back(s);
  }
  // Repack in chunks of rows on all cores, then copy each chunk.
  const int64_t chunk_rows = std::max<int64_t>(1, (int64_t{64} << 20) / std::max<int64_t>(1, rb + sb));
  std::vector<uint8_t> hq, hs;
  const int threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 16u));
  for (int64_t first = 0; first < total_rows; first += chunk_rows) {
    const int64_t n = std::min(chunk_rows, total_rows - first);
    hq.resize(static_cast<size_t>(n * rb));
    hs.resize(static_cast<size_t>(n * sb));
    auto work = [&](int part) {
      for (int64_t i = part; i < n; i += threads) {
        const int64_t row = first + i;
        repack_row(w, row / w.rows, row % w.rows, hq.data() + i * rb, hs.data() + i * sb);
      }
    };
    std::vector<std::thread> pool;
    for (int p = 1; p < threads; ++p) pool.emplace_back(work, p);
    work(0);
    for (auto& t : pool) t.join();
    if (cudaMemcpy(static_cast<uint8_t*>(q) + first * rb, hq.data(), hq.size(), cudaMemcpyHostToDevice) !=
            cudaSuccess ||
        (sb > 0 && cudaMemcpy(static_cast<uint8_t*>(s) + first * sb, hs.data(), hs.size(), cudaMemcpyHostToDevice) !=
                       cudaSuccess)) {
      return make_error(std::string("CUDA: copying ") + w.name + " to the GPU failed: " +
                        cudaGetErrorString(cudaGetLastError()));
    }
  }
  d.q = static_cast<const uint8_t*>(q);
  d.scales = static_cast<const uint8_t*>(s);
  matrices_[&w] = d;
  bytes_ += static_cast<uint64_t>(total_rows * (rb + sb));
  return {};
}

Result<void> DeviceWeights::add_vec(const std::vector<float>& v) {
  if (v.empty() || vecs_.count(v.data())) return {};
  void* p = nullptr;
  if (cudaMalloc(&p, v.size() * sizeof(float)) != cudaSuccess) {
    cudaGetLastError();
    return make_error("CUDA: out of GPU memory uploading the model's vectors");
  }
  allocations_.push_back(p);
  cudaMemcpy(p, v.data(), v.size() * sizeof(float), cudaMemcpyHostToDevice);
  vecs_[v.data()] = static_cast<float*>(p);
  bytes_ += v.size() * sizeof(float);
  return {};
}

Result<void> DeviceWeights::upload(const model::ModelWeights& weights) {
  std::vector<const model::WeightMatrix*> mats = {&weights.embed, &weights.output};
  std::vector<const std::vector<float>*> vecs = {&weights.final_norm};
  for (const auto& L : weights.layers) {
    for (const auto* m : {&L.wq, &L.wk, &L.wv, &L.wo, &L.router, &L.gate, &L.up, &L.down}) mats.push_back(m);
    for (const auto* v : {&L.attn_norm, &L.bq, &L.bk, &L.bv, &L.bo, &L.sinks, &L.post_norm, &L.router_bias,
                          &L.gate_bias, &L.up_bias, &L.down_bias})
      vecs.push_back(v);
  }
  uint64_t needed = 0;
  for (const auto* m : mats) needed += matrix_bytes(*m);
  for (const auto* v : vecs) needed += v->size() * sizeof(float);
  size_t free_bytes = 0, total_bytes = 0;
  cudaMemGetInfo(&free_bytes, &total_bytes);
  // Room for activations and a small KV cache beyond the weights.
  const uint64_t reserve = uint64_t{512} << 20;
  if (needed + reserve > free_bytes) {
    return make_error("CUDA: the model needs " + gib(needed) + " of GPU memory for its weights (+" + gib(reserve) +
                      " working space) but only " + gib(free_bytes) + " of " + gib(total_bytes) +
                      " is free; use --backend cpu");
  }
  for (const auto* m : mats) {
    if (auto ok = add_matrix(*m); !ok) return ok;
  }
  for (const auto* v : vecs) {
    if (auto ok = add_vec(*v); !ok) return ok;
  }
  return {};
}

const DevMatrix* DeviceWeights::matrix(const model::WeightMatrix& w) const {
  auto it = matrices_.find(&w);
  return it == matrices_.end() ? nullptr : &it->second;
}

const float* DeviceWeights::vec(std::span<const float> v) {
  if (v.empty()) return nullptr;
  auto it = vecs_.find(v.data());
  if (it != vecs_.end()) return it->second;
  std::vector<float> copy(v.begin(), v.end());
  void* p = nullptr;
  if (cudaMalloc(&p, copy.size() * sizeof(float)) != cudaSuccess) {
    cudaGetLastError();
    return nullptr;
  }
  allocations_.push_back(p);
  cudaMemcpy(p, copy.data(), copy.size() * sizeof(float), cudaMemcpyHostToDevice);
  vecs_[v.data()] = static_cast<float*>(p);
  return static_cast<float*>(p);
}

}  // namespace tally::backend::cuda
