// tally-cli info MODEL [--json] [--context N]: what a model file holds and what running it costs.
#include <cstdio>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "backend/cuda/cuda_backend.h"
#include "backend/vulkan/vulkan_backend.h"
#include "cli/command.h"
#include "loader/model_file.h"
#include "loader/model_summary.h"

namespace tally::cli {

namespace {

std::string human_bytes(uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.2f %s", v, units[u]);
  return buf;
}

std::string human_count(uint64_t n) {
  char buf[32];
  if (n >= 1'000'000'000) std::snprintf(buf, sizeof buf, "%.2fB", static_cast<double>(n) / 1e9);
  else if (n >= 1'000'000) std::snprintf(buf, sizeof buf, "%.2fM", static_cast<double>(n) / 1e6);
  else std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
  return buf;
}

std::string sliding_layers(const model::ModelConfig& c) {
  std::ostringstream s;
  int n = 0;
  for (size_t i = 0; i < c.layer_sliding.size(); ++i) {
    if (c.layer_sliding[i]) s << (n++ ? "," : "") << i;
  }
  return n ? s.str() : "none";
}

nlohmann::ordered_json to_json(const loader::LoadedModel& m, const loader::ModelSummary& s) {
  const model::ModelConfig& c = m.weights.config;
  nlohmann::ordered_json j;
  j["path"] = m.path;
  j["format"] = m.format == loader::ModelFormat::Gguf ? "gguf" : "huggingface";
  j["name"] = c.name;
  j["architecture"] = "gpt-oss";
  j["config"] = {{"layers", c.n_layers},
                 {"hidden", c.hidden},
                 {"heads", c.n_heads},
                 {"kv_heads", c.n_kv_heads},
                 {"head_dim", c.head_dim},
                 {"experts", c.n_experts},
                 {"experts_per_token", c.n_experts_used},
                 {"expert_ffn", c.expert_ffn},
                 {"vocab", c.vocab},
                 {"context_length", c.context_length},
                 {"sliding_window", c.sliding_window},
                 {"sliding_layers", c.layer_sliding},
                 {"rms_eps", c.rms_eps},
                 {"rope_theta", c.rope_theta},
                 {"rope_scaling_factor", c.rope_scaling_factor},
                 {"rope_original_context", c.rope_original_context},
                 {"yarn_beta_fast", c.yarn_beta_fast},
                 {"yarn_beta_slow", c.yarn_beta_slow},
                 {"swiglu_limit", c.swiglu_limit}};
  nlohmann::ordered_json types = nlohmann::ordered_json::object();
  for (const auto& [name, u] : s.types) types[name] = {{"count", u.count}, {"bytes", u.bytes}};
  j["tensor_types"] = types;
  j["tensor_count"] = m.tensors.size();
  j["parameters"] = s.parameters;
  j["file_bytes"] = m.file_bytes;
  j["weight_bytes"] = s.weight_bytes;
  j["kv_context"] = s.kv_context;
  j["kv_cache_bytes"] = s.kv_bytes;
  j["memory_estimate_bytes"] = s.memory_bytes;
  const backend::CudaProbe& cuda = backend::cuda_probe();
  j["cuda"] = cuda.usable ? nlohmann::ordered_json{{"available", true}, {"device", cuda.device}}
                          : nlohmann::ordered_json{{"available", false}, {"reason", cuda.reason}};
  const backend::VulkanProbe& vulkan = backend::vulkan_probe();
  j["vulkan"] = vulkan.usable ? nlohmann::ordered_json{{"available", true}, {"device", vulkan.device}}
                              : nlohmann::ordered_json{{"available", false}, {"reason", vulkan.reason}};
  j["metadata"] = m.metadata;
  return j;
}

void print_text(const loader::LoadedModel& m, const loader::ModelSummary& s) {
  const model::ModelConfig& c = m.weights.config;
  std::cout << "model         " << m.path << "\n"
            << "format        " << (m.format == loader::ModelFormat::Gguf ? "GGUF" : "Hugging Face safetensors") << "\n"
            << "name          " << c.name << "\n"
            << "architecture  gpt-oss\n"
            << "layers        " << c.n_layers << " (sliding window " << c.sliding_window << " on layers "
            << sliding_layers(c) << ")\n"
            << "hidden        " << c.hidden << "\n"
            << "attention     " << c.n_heads << " query heads, " << c.n_kv_heads << " KV heads, head dim "
            << c.head_dim << "\n"
            << "experts       " << c.n_experts << " (" << c.n_experts_used << " per token), width " << c.expert_ffn
            << "\n"
            << "vocabulary    " << c.vocab << "\n"
            << "context       " << c.context_length << " (YaRN x" << c.rope_scaling_factor << " over "
            << c.rope_original_context << ", theta " << c.rope_theta << ")\n"
            << "parameters    " << human_count(s.parameters) << " (" << s.parameters << ")\n"
            << "file size     " << human_bytes(m.file_bytes) << " (" << m.file_bytes << " bytes)\n"
            << "tensors       " << m.tensors.size() << "\n";
  for (const auto& [name, u] : s.types) {
    char line[96];
    std::snprintf(line, sizeof line, "  %-12s %5d tensors  %12s\n", name.c_str(), u.count, human_bytes(u.bytes).c_str());
    std::cout << line;
  }
  std::cout << "memory needed " << human_bytes(s.memory_bytes) << " = weights " << human_bytes(s.weight_bytes)
            << " + KV cache " << human_bytes(s.kv_bytes) << " (f16, " << s.kv_context << " positions)\n";
  const backend::CudaProbe& cuda = backend::cuda_probe();
  std::cout << "CUDA: " << (cuda.usable ? "available (" + cuda.device + ")" : "not available (" + cuda.reason + ")")
            << "\n";
  const backend::VulkanProbe& vulkan = backend::vulkan_probe();
  std::cout << "Vulkan: "
            << (vulkan.usable ? vulkan.device + (vulkan.cpu_device ? " (software: --backend vulkan only)" : "")
                              : "not available (" + vulkan.reason + ")")
            << "\n";
}

int run_info(const Args& args) {
  ArgParser p(args);
  const bool json = p.flag("--json");
  const std::string context_text = p.option("--context", std::to_string(loader::kDefaultKvContext));
  const auto pos = p.positionals();
  if (!p.unknown().empty()) return fail("info: unknown option " + p.unknown().front());
  if (pos.size() != 1) return fail("usage: tally-cli info MODEL [--json] [--context N]");
  int context = 0;
  try {
    context = std::stoi(context_text);
  } catch (...) {
    context = 0;
  }
  if (context <= 0) return fail("info: --context must be a positive number");
  auto model = loader::load_model(pos[0]);
  if (!model) return fail(model.error().message);
  const loader::ModelSummary s = loader::summarize(model.value(), context);
  if (json) {
    std::cout << to_json(model.value(), s).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  } else {
    print_text(model.value(), s);
  }
  return 0;
}

const Registration reg{{"info", "info MODEL [--json] [--context N]", &run_info}};

}  // namespace

}  // namespace tally::cli
