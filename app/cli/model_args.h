#pragma once
// Options shared by the subcommands that run a model: --model, --backend, --exact, --threads, --ctx.
#include <memory>
#include <string>

#include "cli/command.h"
#include "tally/engine.h"

namespace tally::cli {

struct ModelArgs {
  std::string path;
  EngineOptions engine;
  int64_t context = 8192;
};

// Consumes the shared options from `args`. Returns an error message or "".
std::string parse_model_args(ArgParser& args, ModelArgs& out);
// Loads the model, printing a progress line to stderr unless quiet.
Result<std::shared_ptr<Model>> load_for_cli(const ModelArgs& args, bool quiet);
// Parses whitespace-separated token ids.
Result<std::vector<int32_t>> parse_ids(const std::string& text);

}  // namespace tally::cli
