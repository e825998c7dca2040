#include "loader/hf_checkpoint.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "loader/hf_config.h"
#include "loader/mapped_file.h"
#include "loader/safetensors_file.h"
#include "loader/try_assign.h"

namespace fs = std::filesystem;

namespace tally::loader {

namespace {

constexpr const char* kIndexName = "model.safetensors.index.json";
constexpr const char* kSingleName = "model.safetensors";

Result<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path.string() + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Shard {
  std::shared_ptr<const model::MappedFile> mapping;
  SafetensorsFile parsed;
};

Result<Shard> open_shard(const fs::path& path) {
  Shard s;
  TALLY_TRY_SET(s.mapping, model::MappedFile::open(path.string()));
  TALLY_TRY_SET(s.parsed, parse_safetensors(s.mapping->bytes(), path.string()));
  return s;
}

// Which files hold the weights, and for an index, which tensor each file must contain.
struct ShardPlan {
  std::vector<fs::path> files;
  std::vector<std::pair<std::string, fs::path>> expected;  // tensor -> shard (index only)
};

Result<ShardPlan> plan_shards(const fs::path& dir) {
  ShardPlan plan;
  const fs::path index = dir / kIndexName;
  std::error_code ec;
  if (fs::exists(index, ec)) {
    std::string text;
    TALLY_TRY_SET(text, read_text(index));
    const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
      return make_error(index.string() + ": not a JSON object with a 'weight_map'");
    std::set<std::string> seen;
    for (const auto& [tensor, file] : j["weight_map"].items()) {
      if (!file.is_string()) return make_error(index.string() + ": weight_map entry '" + tensor + "' is not a file name");
      const std::string name = file.get<std::string>();
      // Shards live beside the index; a path that climbs out of the folder is not a shard.
      if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos || name == "..")
        return make_error(index.string() + ": weight_map entry '" + tensor + "' names an invalid file '" + name + "'");
      const fs::path shard = dir / name;
      if (seen.insert(name).second) {
        if (!fs::exists(shard, ec))
          return make_error(shard.string() + ": missing shard (listed for tensor '" + tensor + "' in " + kIndexName +
                            ")");
        plan.files.push_back(shard);
      }
      plan.expected.emplace_back(tensor, shard);
    }
    return plan;
  }
  if (fs::exists(dir / kSingleName, ec)) {
    plan.files.push_back(dir / kSingleName);
    return plan;
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".safetensors") plan.files.push_back(entry.path());
  }
  std::sort(plan.files.begin(), plan.files.end());
  if (plan.files.empty())
    return make_error(dir.string() + ": no " + kSingleName + ", " + kIndexName + " or other .safetensors file");
  return plan;
}

}  // namespace

Result<LoadedModel> load_hf_checkpoint(const std::string& dir_in, const std::function<bool(float)>& progress) {
  const fs::path dir = dir_in.empty() ? fs::path(".") : fs::path(dir_in);
  auto report = [&progress](float f) { return !progress || progress(f); };
  const fs::path config_path = dir / "config.json";
  std::string config_text;
  TALLY_TRY_SET(config_text, read_text(config_path));
  std::string name = fs::absolute(dir).lexically_normal().filename().string();
  if (name.empty()) name = fs::absolute(dir).lexically_normal().parent_path().filename().string();
  model::ModelConfig config;
  TALLY_TRY_SET(config, parse_hf_config(config_text, config_path.string(), name));

  ShardPlan plan;
  TALLY_TRY_SET(plan, plan_shards(dir));
  LoadedModel m;
  m.format = ModelFormat::HuggingFace;
  m.path = dir.string();
  TensorTable table;
  std::vector<std::shared_ptr<const model::MappedFile>> mappings;
  for (size_t i = 0; i < plan.files.size(); ++i) {
    Shard shard;
    TALLY_TRY_SET(shard, open_shard(plan.files[i]));
    m.file_bytes += shard.mapping->size();
    for (const auto& [k, v] : shard.parsed.metadata) m.metadata["safetensors." + k] = v;
    for (auto& t : shard.parsed.tensors) {
      m.tensors.push_back({t.name, stored_type_name(t.type), t.shape, t.bytes});
      const std::string tensor_name = t.name;
      if (!table.emplace(tensor_name, std::move(t)).second)
        return make_error(plan.files[i].string() + ": tensor '" + tensor_name + "' also appears in another shard");
    }
    mappings.push_back(shard.mapping);
    if (!report(0.4f * static_cast<float>(i + 1) / static_cast<float>(plan.files.size())))
      return make_error(dir.string() + ": cancelled");
  }
  for (const auto& [tensor, shard] : plan.expected) {
    const auto it = table.find(tensor);
    if (it == table.end() || it->second.file != shard.string())
      return make_error(shard.string() + ": tensor '" + tensor + "' listed in " + kIndexName + " is not in this shard");
  }
  TALLY_TRY_SET(m.weights, hf_model_weights(table, config, dir.string(),
                                            [&report](float f) { return report(0.4f + 0.2f * f); }));
  m.weights.files = std::move(mappings);

  const fs::path tokenizer_path = dir / "tokenizer.json";
  std::error_code ec;
  if (!fs::exists(tokenizer_path, ec)) return make_error(tokenizer_path.string() + ": missing (the model's tokenizer)");
  auto tokenizer = tok::Tokenizer::from_tokenizer_json(tokenizer_path.string());
  if (!tokenizer) return tokenizer.error();
  m.tokenizer = std::make_shared<const tok::Tokenizer>(std::move(tokenizer).value());

  const auto j = nlohmann::json::parse(config_text, nullptr, /*allow_exceptions=*/false);
  for (const auto& [k, v] : j.items()) m.metadata[k] = v.is_string() ? v.get<std::string>() : v.dump();
  if (!report(1.f)) return make_error(dir.string() + ": cancelled");
  return m;
}

}  // namespace tally::loader
