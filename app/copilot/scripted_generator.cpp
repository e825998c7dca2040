#include "copilot/scripted_generator.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

namespace tally::app {

namespace {

bool ends_with_special_literal(const std::string& text) {
  if (text.size() < 4 || text.compare(text.size() - 2, 2, "|>") != 0) return false;
  const auto open = text.rfind("<|");
  return open != std::string::npos && text.find_first_of(" \n", open) == std::string::npos;
}

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

std::vector<std::string> ScriptedGenerator::split_replies(const std::string& script) {
  std::vector<std::string> replies(1);
  std::istringstream in(script);
  std::string line;
  bool first_line = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == "---") {
      replies.emplace_back();
      first_line = true;
      continue;
    }
    std::string& reply = replies.back();
    if (!first_line && !ends_with_special_literal(reply)) reply += '\n';
    reply += line;
    first_line = false;
  }
  // A trailing separator (or an empty file) leaves an empty reply that no one meant.
  replies.erase(std::remove_if(replies.begin(), replies.end(), [](const std::string& r) { return r.empty(); }),
                replies.end());
  return replies;
}

ScriptedGenerator::ScriptedGenerator(std::shared_ptr<const tok::Tokenizer> tokenizer, const std::string& script)
    : tokenizer_(std::move(tokenizer)) {
  for (const auto& reply : split_replies(script)) replies_.push_back(tokenizer_->encode_with_specials(reply));
}

Result<std::unique_ptr<ScriptedGenerator>> ScriptedGenerator::from_file(
    std::shared_ptr<const tok::Tokenizer> tokenizer, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read the script " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto gen = std::make_unique<ScriptedGenerator>(std::move(tokenizer), text.str());
  if (gen->replies_.empty()) return make_error("the script " + path + " holds no reply");
  return gen;
}

Result<RequestStats> ScriptedGenerator::prefill(std::span<const int32_t> ids) {
  cancel_.store(false);
  const auto start = std::chrono::steady_clock::now();
  RequestStats stats;
  stats.prompt_tokens = static_cast<int64_t>(ids.size());
  const auto mismatch = std::mismatch(sequence_.begin(), sequence_.end(), ids.begin(), ids.end());
  stats.prompt_reused = static_cast<int64_t>(mismatch.first - sequence_.begin());
  if (stats.prompt_reused == stats.prompt_tokens && stats.prompt_reused > 0) --stats.prompt_reused;  // as the engine
  sequence_.assign(ids.begin(), ids.end());
  prompts_.push_back(sequence_);
  stats.prefill_ms = ms_since(start);
  return stats;
}

Result<RequestStats> ScriptedGenerator::generate(const GenerateOptions& options,
                                                 const std::function<bool(int32_t)>& on_token) {
  cancel_.store(false);
  if (next_ >= replies_.size() && !(repeat_last_ && !replies_.empty())) {
    return make_error("the script has no reply left (it holds " + std::to_string(replies_.size()) + ")");
  }
  const std::vector<int32_t>& reply = replies_[std::min(next_, replies_.size() - 1)];
  ++next_;
  const auto start = std::chrono::steady_clock::now();
  RequestStats stats;
  stats.prompt_tokens = static_cast<int64_t>(sequence_.size());
  // A repeated reply loops until max_tokens, like a model that will not stop.
  const bool loop = repeat_last_ && next_ >= replies_.size();
  for (std::size_t i = 0; stats.generated_tokens < options.max_tokens; ++i) {
    if (i == reply.size()) {
      if (!loop || reply.empty()) break;
      i = 0;
    }
    if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
    if (cancel_.load()) {
      stats.cancelled = true;
      break;
    }
    const int32_t id = reply[i];
    sequence_.push_back(id);
    ++stats.generated_tokens;
    if (stats.generated_tokens == 1) stats.time_to_first_token_ms = ms_since(start);
    const bool stop = std::find(options.stop_tokens.begin(), options.stop_tokens.end(), id) != options.stop_tokens.end();
    if (!on_token(id)) {
      stats.cancelled = true;
      break;
    }
    if (stop) {
      stats.stopped_by_token = true;
      break;
    }
  }
  stats.decode_ms = ms_since(start);
  return stats;
}

std::string ScriptedGenerator::description() const {
  return "scripted (" + std::to_string(replies_.size()) + " replies)";
}

}  // namespace tally::app
