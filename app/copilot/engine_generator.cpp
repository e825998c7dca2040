#include "copilot/engine_generator.h"

#include <filesystem>

namespace tally::app {

EngineGenerator::EngineGenerator(std::shared_ptr<Model> model, const SessionOptions& options)
    : model_(std::move(model)), session_(model_, options), context_(options.context) {}

const tok::Tokenizer& EngineGenerator::tokenizer() const { return model_->tokenizer(); }

Result<RequestStats> EngineGenerator::prefill(std::span<const int32_t> ids) {
  if (static_cast<int64_t>(ids.size()) >= context_) {
    return make_error("the conversation (" + std::to_string(ids.size()) + " tokens) no longer fits the model's " +
                      std::to_string(context_) + "-token context; start a new chat or raise the context size");
  }
  return session_.prefill(ids);
}

Result<RequestStats> EngineGenerator::generate(const GenerateOptions& options,
                                               const std::function<bool(int32_t)>& on_token) {
  // Leave the context's end unused rather than fail mid-answer: the room left bounds the answer.
  GenerateOptions o = options;
  const int64_t room = context_ - static_cast<int64_t>(session_.tokens().size()) - 1;
  if (room <= 0) return make_error("the model's context is full; start a new chat or raise the context size");
  if (o.max_tokens > room) o.max_tokens = static_cast<int>(room);
  return session_.generate(o, on_token);
}

void EngineGenerator::cancel() { session_.cancel(); }

std::string EngineGenerator::description() const {
  const std::string name = std::filesystem::path(model_->path()).filename().string();
  return name + " · " + model_->backend_name() + " · " + std::to_string(context_) + " ctx";
}

}  // namespace tally::app
