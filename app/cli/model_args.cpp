#include "cli/model_args.h"

#include <cstdio>
#include <sstream>

namespace tally::cli {

std::string parse_model_args(ArgParser& args, ModelArgs& out) {
  out.path = args.option("--model");
  out.engine.backend = args.option("--backend", "auto");
  out.engine.exact = args.flag("--exact");
  if (out.engine.exact && out.engine.backend == "auto") out.engine.backend = "cpu";
  try {
    out.engine.threads = std::stoi(args.option("--threads", "0"));
    out.context = std::stoll(args.option("--ctx", "8192"));
  } catch (const std::exception&) {
    return "--threads and --ctx take whole numbers";
  }
  if (out.path.empty()) return "--model PATH is required (a .gguf file or a Hugging Face folder)";
  return {};
}

Result<std::shared_ptr<Model>> load_for_cli(const ModelArgs& args, bool quiet) {
  int last = -1;
  return Model::load(args.path, args.engine, [&](float p) {
    const int pct = static_cast<int>(p * 100);
    if (!quiet && pct != last && pct % 10 == 0) {
      std::fprintf(stderr, "\rloading %s: %d%%", args.path.c_str(), pct);
      if (pct == 100) std::fprintf(stderr, "\n");
      last = pct;
    }
    return true;
  });
}

Result<std::vector<int32_t>> parse_ids(const std::string& text) {
  std::vector<int32_t> ids;
  std::istringstream in(text);
  std::string word;
  while (in >> word) {
    try {
      size_t used = 0;
      const long long v = std::stoll(word, &used);
      if (used != word.size() || v < 0 || v > 0x7fffffff) throw std::invalid_argument(word);
      ids.push_back(static_cast<int32_t>(v));
    } catch (const std::exception&) {
      return make_error("'" + word + "' is not a token id");
    }
  }
  return ids;
}

}  // namespace tally::cli
