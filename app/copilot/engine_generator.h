#pragma once
// TextGenerator over the real engine: one Session on a loaded Model. Owned by one thread (the worker's);
// cancel() is the only call allowed from elsewhere.
#include <memory>

#include "copilot/text_generator.h"

namespace tally::app {

class EngineGenerator : public TextGenerator {
 public:
  EngineGenerator(std::shared_ptr<Model> model, const SessionOptions& options);

  const tok::Tokenizer& tokenizer() const override;
  Result<RequestStats> prefill(std::span<const int32_t> ids) override;
  Result<RequestStats> generate(const GenerateOptions& options, const std::function<bool(int32_t)>& on_token) override;
  void cancel() override;
  std::string description() const override;

  Session& session() { return session_; }

 private:
  std::shared_ptr<Model> model_;
  Session session_;
  int64_t context_;
};

}  // namespace tally::app
