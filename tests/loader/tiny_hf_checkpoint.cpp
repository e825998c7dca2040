#include "tiny_hf_checkpoint.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string_view>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "fixtures.h"

using namespace tally::testing;

namespace fs = std::filesystem;

namespace tally::loader_test {

namespace {

uint64_t splitmix64(uint64_t x) {
  uint64_t z = x + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The README's per-tensor parameters: BF16 amplitude 2^a around m with b bits; U8 range [lo, hi).
struct Recipe {
  int a = 0;
  double m = 0;
  int b = 8;
  int lo = 0, hi = 256;
};

Recipe recipe_for(std::string_view name) {
  Recipe r;
  if (ends_with(name, "layernorm.weight") || name == "model.norm.weight") return {-3, 1, 4};
  if (ends_with(name, ".bias") || ends_with(name, "_proj_bias")) return {-3};
  if (ends_with(name, "q_proj.weight") || ends_with(name, "k_proj.weight") || ends_with(name, "v_proj.weight"))
    return {-2};
  if (ends_with(name, "o_proj.weight")) return {-4};
  if (ends_with(name, "sinks")) return {1};
  if (ends_with(name, "router.weight")) return {-1};
  if (ends_with(name, "gate_up_proj_scales")) return {0, 0, 8, 123 - 2, 123 + 3};
  if (ends_with(name, "down_proj_scales")) return {0, 0, 8, 122 - 2, 122 + 3};
  return r;  // embeddings, lm_head (a = 0), *_blocks (U8 over [0, 256))
}

void append_tensor(std::string& out, const nlohmann::ordered_json& t, uint64_t k) {
  const std::string name = t["name"];
  const Recipe r = recipe_for(name);
  uint64_t n = 1;
  for (const auto& d : t["shape"]) n *= d.get<uint64_t>();
  const uint64_t base = splitmix64(20251122ull * 1000003ull + k);
  const bool u8 = t["dtype"] == "U8";
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t w = splitmix64(base + i);
    if (u8) {
      out.push_back(static_cast<char>(r.lo + static_cast<int>((w >> 32) % static_cast<uint64_t>(r.hi - r.lo))));
      continue;
    }
    const int64_t u = static_cast<int64_t>(w >> (64 - r.b)) - (int64_t{1} << (r.b - 1));
    const auto v = static_cast<float>(static_cast<double>(u) / std::ldexp(1.0, r.b - 1) * std::ldexp(1.0, r.a) + r.m);
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    const auto h = static_cast<uint16_t>(bits >> 16);  // exact: the recipe's values all fit bf16
    out.push_back(static_cast<char>(h & 0xff));
    out.push_back(static_cast<char>(h >> 8));
  }
}

bool write_checkpoint(const fs::path& dir) {
  const std::string manifest_text = read_file(shared_dir() + "/fixtures/tiny-gptoss/model.safetensors.manifest.json");
  const auto manifest = nlohmann::ordered_json::parse(manifest_text, nullptr, false);
  if (manifest.is_discarded()) return false;
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  std::string data;
  uint64_t k = 0;
  for (const auto& t : manifest["tensors"]) {
    header[t["name"].get<std::string>()] = {{"dtype", t["dtype"]}, {"shape", t["shape"]},
                                            {"data_offsets", t["data_offsets"]}};
    append_tensor(data, t, ++k);
  }
  header["__metadata__"] = {{"format", "pt"}};
  std::string text = header.dump();
  while (text.size() % 8 != 0) text.push_back(' ');
  std::string file(8, '\0');
  const uint64_t n = text.size();
  std::memcpy(file.data(), &n, 8);
  file += text;
  file += data;
  std::ofstream(dir / "model.safetensors", std::ios::binary).write(file.data(), static_cast<std::streamsize>(file.size()));
  return file.size() == manifest["file_size"].get<uint64_t>() && n == manifest["header_length"].get<uint64_t>();
}

}  // namespace

std::string recipe_hf_dir() {
  static std::once_flag once;
  static std::string result;
  std::call_once(once, [] {
    const std::string fixture = tiny_fixture_dir();
    if (fixture.empty()) return;
    const fs::path dest = fs::path(build_dir()) / "fixtures" / "tiny-gptoss-hf-loader";
    if (!fs::exists(dest / "model.safetensors")) {
      // Build beside and rename into place: test processes run in parallel.
      const fs::path tmp = fs::path(build_dir()) / "fixtures" / ("hf-loader-" + std::to_string(::getpid()));
      std::error_code ec;
      fs::remove_all(tmp, ec);
      fs::create_directories(tmp);
      for (const char* f : {"config.json", "tokenizer.json", "tokenizer_config.json"})
        fs::copy_file(fs::path(fixture) / "hf" / f, tmp / f, ec);
      if (!write_checkpoint(tmp)) return;
      fs::rename(tmp, dest, ec);
      fs::remove_all(tmp, ec);
      if (!fs::exists(dest / "model.safetensors")) return;
    }
    result = dest.string();
  });
  return result;
}

}  // namespace tally::loader_test
