#include <cstdio>
#include <thread>

#include "backend/cuda/cuda_backend.h"
#include "backend/vulkan/vulkan_backend.h"
#include "engine_internal.h"
#include "tokenizer/tokenizer.h"

namespace tally {

namespace {

std::unique_ptr<backend::Backend> make_cpu(const EngineOptions& options) {
  return backend::make_cpu_backend({.exact = options.exact, .threads = options.threads});
}

// "auto" takes CUDA when a usable device exists (and the exact path, which only the CPU has, was not asked for);
// otherwise the CPU. Why CUDA was passed over stays in backend::cuda_probe() (tally-cli info prints it).
Result<std::unique_ptr<backend::Backend>> make_backend(const EngineOptions& options) {
  const std::string& name = options.backend;
  if (name == "cpu") return make_cpu(options);
  if (name == "auto") {
    if (!options.exact && backend::cuda_probe().usable) {
      if (auto cuda = backend::make_cuda_backend()) return std::move(cuda).value();
    }
    // A GPU through Vulkan, never a software device (lavapipe is slower than our CPU path).
    if (!options.exact && backend::vulkan_probe().usable && !backend::vulkan_probe().cpu_device) {
      if (auto vulkan = backend::make_vulkan_backend()) return std::move(vulkan).value();
    }
    return make_cpu(options);
  }
  if (name == "cuda") {
    if (options.exact) return make_error("the exact path runs on the CPU only (drop --exact or use --backend cpu)");
    return backend::make_cuda_backend();
  }
  if (name == "vulkan") {
    if (options.exact) return make_error("the exact path runs on the CPU only (drop --exact or use --backend cpu)");
    return backend::make_vulkan_backend();
  }
  return make_error("unknown backend '" + name + "' (expected auto, cpu, cuda or vulkan)");
}

}  // namespace

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::~Model() = default;

Result<std::shared_ptr<Model>> Model::load(const std::string& path, const EngineOptions& options,
                                           const Progress& progress) {
  auto backend = make_backend(options);
  if (!backend) return backend.error();
  auto loaded = loader::load_model(path, progress);
  if (!loaded) return loaded.error();
  auto impl = std::make_unique<Impl>(Impl{std::move(loaded).value(), std::move(backend).value(), nullptr, options});
  if (auto ok = impl->backend->prepare(impl->loaded.weights); !ok) {
    // auto: a model that does not fit the GPU still runs on the CPU.
    if (options.backend != "auto" || impl->backend->name() == "cpu") return ok.error();
    std::fprintf(stderr, "%s; running on the CPU\n", ok.error().message.c_str());
    impl->backend = make_cpu(options);
    if (auto cpu_ok = impl->backend->prepare(impl->loaded.weights); !cpu_ok) return cpu_ok.error();
  }
  impl->net = std::make_unique<model::GptOss>(impl->loaded.weights, *impl->backend);
  return std::shared_ptr<Model>(new Model(std::move(impl)));
}

Result<MemoryEstimate> Model::estimate(const std::string& path, int64_t context) {
  // Mapping the file reads only its header; weights stay on disk until touched.
  auto loaded = loader::load_model(path);
  if (!loaded) return loaded.error();
  const model::ModelConfig& c = loaded->weights.config;
  MemoryEstimate e;
  for (const auto& t : loaded->tensors) e.weights += t.bytes;
  int64_t full = 0, sliding = 0;
  for (int l = 0; l < c.n_layers; ++l) (c.layer_sliding[l] ? sliding : full) += 1;
  const int64_t per_pos = 2LL * c.kv_width() * 4;  // K and V in f32 (the CPU default, see SessionOptions)
  const int64_t ring = std::min<int64_t>(context, c.sliding_window + 256);
  e.kv_cache = static_cast<uint64_t>(per_pos * (full * context + sliding * ring));
  const int64_t batch = 256;
  e.scratch = static_cast<uint64_t>(4 * batch * (4LL * c.hidden + 2LL * c.q_width() + 2LL * c.kv_width() +
                                                 static_cast<int64_t>(c.n_experts_used) * (2LL * c.expert_ffn + c.hidden)) +
                                    4LL * c.vocab);
  return e;
}

const tok::Tokenizer& Model::tokenizer() const { return *impl_->loaded.tokenizer; }
const model::ModelConfig& Model::config() const { return impl_->loaded.weights.config; }
std::string Model::backend_name() const { return impl_->backend->name(); }
std::string Model::path() const { return impl_->loaded.path; }

double RequestStats::prefill_tokens_per_s() const {
  const int64_t computed = prompt_tokens - prompt_reused;
  return prefill_ms > 0 ? 1000.0 * static_cast<double>(computed) / prefill_ms : 0.0;
}
double RequestStats::decode_tokens_per_s() const {
  return decode_ms > 0 ? 1000.0 * static_cast<double>(generated_tokens) / decode_ms : 0.0;
}

}  // namespace tally
