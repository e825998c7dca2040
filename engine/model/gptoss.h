#pragma once
// The gpt-oss forward pass, written once over the backend op interface.
#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "backend/backend.h"
#include "model/weights.h"

namespace tally::model {

enum class LogitRows { None, Last, All };

class GptOss {
 public:
  GptOss(const ModelWeights& weights, backend::Backend& backend) : w_(weights), b_(backend) {}

  // Runs `tokens` at positions [kv.size(), kv.size() + n) and extends the cache. Logits (vocab floats per row) for
  // the last token or for every token are appended to `logits`. Large inputs are processed in chunks of
  // `max_batch` tokens. Returns false if `cancel` was set (the cache then holds the chunks completed so far).
  bool forward(std::span<const int32_t> tokens, backend::KvCache& kv, LogitRows rows, std::vector<float>& logits,
               const std::atomic<bool>* cancel = nullptr,
               const std::function<void(int64_t done, int64_t total)>& progress = {}, int64_t max_batch = 256);

  // Residual stream after each layer at the last position of the most recent forward() (for golden debugging).
  const std::vector<std::vector<float>>& last_hidden_per_layer() const { return hidden_; }
  void set_capture_hidden(bool on) { capture_hidden_ = on; }

 private:
  void run_chunk(std::span<const int32_t> tokens, backend::KvCache& kv, LogitRows rows, std::vector<float>& logits);

  const ModelWeights& w_;
  backend::Backend& b_;
  bool capture_hidden_ = false;
  std::vector<std::vector<float>> hidden_;
};

}  // namespace tally::model
