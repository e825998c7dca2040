#pragma once
// What Model and Session share inside the engine.
#include <memory>
#include <string>

#include "backend/backend.h"
#include "loader/model_file.h"
#include "model/gptoss.h"
#include "tally/engine.h"

namespace tally {

struct Model::Impl {
  loader::LoadedModel loaded;
  std::unique_ptr<backend::Backend> backend;
  std::unique_ptr<model::GptOss> net;
  EngineOptions options;
};

}  // namespace tally
