// `tally-cli tokenize` / `tally-cli detokenize`: the o200k_harmony tokenizer on its own, for checking what the model
// reads. The tokenizer comes from a .tiktoken file, a tokenizer.json (or the HF folder holding one) or a .gguf;
// without --model, the o200k_base file bundled in resources/.
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/model_args.h"
#include "loader/model_file.h"
#include "tokenizer/tokenizer.h"

namespace tally::cli {
namespace {

namespace fs = std::filesystem;

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Only the tokenizer is needed: read it straight from its file where there is one, so an HF folder works without
// its weights. A .gguf keeps its vocabulary in the metadata, which the model loader parses (weights stay mapped).
Result<std::shared_ptr<const tok::Tokenizer>> load_tokenizer(const std::string& model) {
  auto share = [](Result<tok::Tokenizer> t) -> Result<std::shared_ptr<const tok::Tokenizer>> {
    if (!t) return t.error();
    return std::make_shared<const tok::Tokenizer>(std::move(t).value());
  };
  if (model.empty()) return share(tok::Tokenizer::from_tiktoken(tok::Tokenizer::bundled_tiktoken_path()));
  std::error_code ec;
  if (fs::is_directory(model, ec)) {
    const fs::path json = fs::path(model) / "tokenizer.json";
    if (!fs::exists(json, ec)) return make_error(model + ": folder has no tokenizer.json");
    return share(tok::Tokenizer::from_tokenizer_json(json.string()));
  }
  if (ends_with(model, ".tiktoken")) return share(tok::Tokenizer::from_tiktoken(model));
  if (ends_with(model, "config.json")) {
    return share(tok::Tokenizer::from_tokenizer_json((fs::path(model).parent_path() / "tokenizer.json").string()));
  }
  if (ends_with(model, ".json")) return share(tok::Tokenizer::from_tokenizer_json(model));
  if (ends_with(model, ".gguf")) {
    auto loaded = loader::load_model(model);
    if (!loaded) return loaded.error();
    return loaded.value().tokenizer;
  }
  return make_error(model + ": not a .gguf, .tiktoken, tokenizer.json or Hugging Face folder");
}

constexpr const char* kTokenizeUsage = "tokenize [--model M] [--text T | < FILE] [--specials]";
constexpr const char* kDetokenizeUsage = "detokenize [--model M] --ids \"1 2 3\" [--raw]";

int run_tokenize(const Args& args) {
  ArgParser parser(args);
  const std::string model = parser.option("--model");
  const bool has_text = parser.has_option("--text");
  std::string text = parser.option("--text");
  // Special literals such as <|start|> stay plain text unless asked for: user text must never produce them.
  const bool specials = parser.flag("--specials");
  if (auto unknown = parser.unknown(); !unknown.empty()) return fail("tokenize: unknown option " + unknown.front());
  if (!parser.positionals().empty()) return fail(std::string("usage: tally-cli ") + kTokenizeUsage);
  if (!has_text) text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());

  auto tokenizer = load_tokenizer(model);
  if (!tokenizer) return fail(tokenizer.error().message);
  const tok::Tokenizer& t = *tokenizer.value();
  const auto ids = specials ? t.encode_with_specials(text) : t.encode(text);
  std::string line;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) line += ' ';
    line += std::to_string(ids[i]);
  }
  std::cout << line << "\n";
  return 0;
}

int run_detokenize(const Args& args) {
  ArgParser parser(args);
  const std::string model = parser.option("--model");
  if (!parser.has_option("--ids")) return fail(std::string("usage: tally-cli ") + kDetokenizeUsage);
  const std::string id_text = parser.option("--ids");
  const bool raw = parser.flag("--raw");  // exact bytes, no trailing newline (for round trips through files)
  if (auto unknown = parser.unknown(); !unknown.empty()) return fail("detokenize: unknown option " + unknown.front());
  if (!parser.positionals().empty()) return fail(std::string("usage: tally-cli ") + kDetokenizeUsage);

  auto ids = parse_ids(id_text);
  if (!ids) return fail("detokenize: " + ids.error().message);
  auto tokenizer = load_tokenizer(model);
  if (!tokenizer) return fail(tokenizer.error().message);
  const tok::Tokenizer& t = *tokenizer.value();
  for (int32_t id : ids.value()) {
    if (id >= t.vocab_size()) {
      return fail("detokenize: token id " + std::to_string(id) + " is past the vocabulary (" +
                  std::to_string(t.vocab_size()) + " tokens)");
    }
  }
  std::cout << t.decode(ids.value());
  if (!raw) std::cout << "\n";
  return 0;
}

const Registration reg_tokenize{{"tokenize", kTokenizeUsage, &run_tokenize}};
const Registration reg_detokenize{{"detokenize", kDetokenizeUsage, &run_detokenize}};

}  // namespace
}  // namespace tally::cli
