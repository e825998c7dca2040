#include <algorithm>
#include <filesystem>

#include "loader/gguf_file.h"
#include "loader/gguf_model.h"
#include "loader/hf_checkpoint.h"
#include "loader/mapped_file.h"
#include "loader/model_file.h"
#include "loader/try_assign.h"

namespace fs = std::filesystem;

namespace tally::loader {

namespace {

// Maps sub-steps onto the caller's [0, 1] progress and remembers a cancel.
class ProgressSpan {
 public:
  explicit ProgressSpan(const LoadProgress& p) : p_(p) {}
  // Reports `f` of the step [lo, hi]; false when the caller cancelled.
  bool report(float lo, float hi, float f) const { return !p_ || p_(lo + (hi - lo) * std::clamp(f, 0.f, 1.f)); }
  std::function<bool(float)> step(float lo, float hi) const {
    return [this, lo, hi](float f) { return report(lo, hi, f); };
  }

 private:
  const LoadProgress& p_;
};

Error cancelled(const std::string& path) { return make_error(path + ": cancelled"); }

bool has_suffix(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool starts_with_gguf_magic(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  char magic[4] = {};
  const bool ok = std::fread(magic, 1, 4, f) == 4 && std::equal(magic, magic + 4, "GGUF");
  std::fclose(f);
  return ok;
}

Result<LoadedModel> load_gguf(const std::string& path, const ProgressSpan& progress) {
  std::shared_ptr<const model::MappedFile> mapping;
  TALLY_TRY_SET(mapping, model::MappedFile::open(path));
  GgufFile file;
  TALLY_TRY_SET(file, parse_gguf(mapping->bytes(), path));
  if (!progress.report(0, 1, 0.05f)) return cancelled(path);
  LoadedModel m;
  m.format = ModelFormat::Gguf;
  m.path = path;
  m.file_bytes = mapping->size();
  model::ModelConfig config;
  TALLY_TRY_SET(config, gguf_model_config(file));
  TALLY_TRY_SET(m.weights, gguf_model_weights(file, config, progress.step(0.05f, 0.5f)));
  m.weights.files.push_back(mapping);
  tok::GgufVocab vocab;
  TALLY_TRY_SET(vocab, gguf_vocab(file));
  if (!progress.report(0, 1, 0.6f)) return cancelled(path);
  auto tokenizer = tok::Tokenizer::from_gguf_vocab(vocab, path);
  if (!tokenizer) return tokenizer.error();
  m.tokenizer = std::make_shared<const tok::Tokenizer>(std::move(tokenizer).value());
  for (const auto& [key, value] : file.metadata) m.metadata[key] = value.printable();
  m.metadata["gguf.version"] = std::to_string(file.version);
  m.metadata["gguf.alignment"] = std::to_string(file.alignment);
  for (const auto& t : file.tensors) m.tensors.push_back({t.name, ggml_type_name(t.type_id), t.dims, t.bytes});
  if (!progress.report(0, 1, 1.f)) return cancelled(path);
  return m;
}

}  // namespace

Result<LoadedModel> load_model(const std::string& path, const LoadProgress& progress) {
  const ProgressSpan span(progress);
  std::error_code ec;
  if (!fs::exists(path, ec)) return make_error(path + ": no such file or folder");
  if (fs::is_directory(path, ec)) return load_hf_checkpoint(path, span.step(0, 1));
  const std::string name = fs::path(path).filename().string();
  if (has_suffix(name, ".gguf") || starts_with_gguf_magic(path)) return load_gguf(path, span);
  if (name == "config.json" || has_suffix(name, ".safetensors") || has_suffix(name, ".safetensors.index.json"))
    return load_hf_checkpoint(fs::path(path).parent_path().string(), span.step(0, 1));
  return make_error(path + ": not a model (expected a .gguf file or a Hugging Face folder with config.json)");
}

}  // namespace tally::loader
