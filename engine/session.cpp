#include <algorithm>
#include <chrono>

#include "engine_internal.h"
#include "sampler/sampler.h"

namespace tally {

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}
}  // namespace

struct Session::Impl {
  std::shared_ptr<Model> model;
  SessionOptions options;
  std::unique_ptr<backend::KvCache> kv;
  std::vector<int32_t> tokens;   // the sequence whose K/V the cache holds (positions [0, kv->size()))
  std::vector<float> last_logits;  // next-token logits after `tokens`
  std::atomic<bool> cancel{false};

  // Checkpoints of the sliding layers (see SessionOptions::max_checkpoints). Every one describes a prefix of
  // `tokens`: those past the point where the sequence changes are dropped.
  struct Checkpoint {
    std::unique_ptr<backend::KvCheckpoint> kv;
    std::vector<float> logits;  // next-token logits at its position, when it was taken at the end of a prefill
    uint64_t last_used = 0;
  };
  std::vector<Checkpoint> checkpoints;
  uint64_t clock = 0;

  void save_checkpoint(int64_t position, const std::vector<float>* logits) {
    if (options.max_checkpoints <= 0) return;
    for (auto& c : checkpoints) {
      if (c.kv->position() == position) {
        c.last_used = ++clock;
        if (logits) c.logits = *logits;
        return;
      }
    }
    auto kv_copy = kv->save_checkpoint(position);
    if (!kv_copy) return;  // a backend without checkpoints: follow-ups past the ring's slack recompute instead
    checkpoints.push_back({std::move(kv_copy.value()), logits ? *logits : std::vector<float>{}, ++clock});
    while (checkpoints.size() > static_cast<size_t>(options.max_checkpoints)) {
      auto lru = std::min_element(checkpoints.begin(), checkpoints.end(),
                                  [](const Checkpoint& a, const Checkpoint& b) { return a.last_used < b.last_used; });
      checkpoints.erase(lru);
    }
  }

  void drop_checkpoints_after(int64_t position) {
    std::erase_if(checkpoints, [&](const Checkpoint& c) { return c.kv->position() > position; });
  }

  // The latest checkpoint at or before `position` (optionally only those holding logits).
  Checkpoint* latest_checkpoint(int64_t position, bool with_logits) {
    Checkpoint* best = nullptr;
    for (auto& c : checkpoints) {
      if (c.kv->position() > position || (with_logits && c.logits.empty())) continue;
      if (!best || c.kv->position() > best->kv->position()) best = &c;
    }
    return best;
  }

  model::GptOss& net() { return *model->impl().net; }
  int vocab() const { return model->config().vocab; }

  // Runs `fresh` after the cached sequence; keeps last_logits current.
  bool extend(std::span<const int32_t> fresh, const std::function<void(int64_t, int64_t)>& progress) {
    std::vector<float> logits;
    const int64_t before = kv->size();
    const bool done = net().forward(fresh, *kv, model::LogitRows::Last, logits, &cancel, progress);
    tokens.insert(tokens.end(), fresh.begin(), fresh.begin() + (kv->size() - before));
    if (done) last_logits = std::move(logits);
    return done;
  }
};

Session::Session(std::shared_ptr<Model> model, const SessionOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->model = std::move(model);
  impl_->options = options;
  const auto& config = impl_->model->config();
  const int64_t ctx = std::clamp<int64_t>(options.context, 1, config.context_length > 0 ? config.context_length : options.context);
  impl_->kv = impl_->model->impl().backend->create_kv(config, ctx,
                                                      options.kv_f16 ? backend::KvType::F16 : backend::KvType::F32);
}

Session::~Session() = default;

void Session::cancel() { impl_->cancel.store(true); }

void Session::reset() {
  impl_->kv->clear();
  impl_->checkpoints.clear();
  impl_->tokens.clear();
  impl_->last_logits.clear();
}

const std::vector<float>& Session::last_logits() const { return impl_->last_logits; }
const std::vector<int32_t>& Session::tokens() const { return impl_->tokens; }

std::vector<int64_t> Session::checkpoint_positions() const {
  std::vector<int64_t> out;
  for (const auto& c : impl_->checkpoints) out.push_back(c.kv->position());
  std::sort(out.begin(), out.end());
  return out;
}

Result<RequestStats> Session::prefill(std::span<const int32_t> tokens,
                                      const std::function<void(int64_t, int64_t)>& progress) {
  PrefillOptions options;
  options.progress = progress;
  return prefill(tokens, options);
}

Result<RequestStats> Session::prefill(std::span<const int32_t> tokens, const PrefillOptions& options) {
  Impl& s = *impl_;
  s.cancel.store(false);
  RequestStats stats;
  stats.prompt_tokens = static_cast<int64_t>(tokens.size());
  if (tokens.empty()) return make_error("the prompt is empty");
  if (static_cast<int64_t>(tokens.size()) > s.kv->capacity()) {
    return make_error("the prompt has " + std::to_string(tokens.size()) + " tokens but the context holds " +
                      std::to_string(s.kv->capacity()) + "; shorten the conversation or raise the context size");
  }
  for (int32_t t : tokens) {
    if (t < 0 || t >= s.vocab()) return make_error("token id " + std::to_string(t) + " is outside the vocabulary");
  }
  const auto t0 = Clock::now();
  // Longest common prefix with what the cache holds.
  size_t common = 0;
  const size_t limit = std::min(tokens.size(), s.tokens.size());
  while (common < limit && s.tokens[common] == tokens[common]) ++common;
  if (common == tokens.size() && common == s.tokens.size() && !s.last_logits.empty()) {
    stats.prompt_reused = stats.prompt_tokens;
    return stats;
  }
  const auto len = static_cast<int64_t>(tokens.size());
  s.drop_checkpoints_after(static_cast<int64_t>(common));
  // The same prompt again after a long reply (regenerate): the checkpoint at its end has the logits too.
  if (static_cast<int64_t>(common) == len) {
    if (auto* cp = s.latest_checkpoint(len, true); cp && cp->kv->position() == len && s.kv->restore_checkpoint(*cp->kv)) {
      cp->last_used = ++s.clock;
      s.tokens.resize(common);
      s.last_logits = cp->logits;
      stats.prompt_reused = len;
      stats.checkpoint_restored = len;
      stats.prefill_ms = ms_since(t0);
      stats.time_to_first_token_ms = stats.prefill_ms;
      return stats;
    }
  }
  // At least the last token is recomputed so its logits are fresh.
  size_t keep = std::min(common, tokens.size() - 1);
  if (!s.kv->truncate(static_cast<int64_t>(keep))) {
    // The sliding rings moved on past `keep` (e.g. the previous turn's analysis, now dropped from the prompt,
    // filled them): resume from the latest checkpoint before it, else from scratch.
    auto* cp = s.latest_checkpoint(static_cast<int64_t>(keep), false);
    if (cp && s.kv->restore_checkpoint(*cp->kv)) {
      cp->last_used = ++s.clock;
      keep = static_cast<size_t>(cp->kv->position());
      stats.checkpoint_restored = cp->kv->position();
    } else {
      keep = 0;
      s.kv->clear();
      s.checkpoints.clear();
    }
  }
  s.tokens.resize(keep);
  stats.prompt_reused = static_cast<int64_t>(keep);

  // Compute the rest, stopping at each requested checkpoint to copy the rings there.
  std::vector<int64_t> cuts;
  for (int64_t c : options.checkpoints) {
    if (c > static_cast<int64_t>(keep) && c < len) cuts.push_back(c);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  cuts.push_back(len);
  const int64_t total = len - static_cast<int64_t>(keep);
  bool done = true;
  for (int64_t cut : cuts) {
    const auto from = static_cast<int64_t>(s.tokens.size());
    std::function<void(int64_t, int64_t)> segment_progress;
    if (options.progress) {
      const int64_t base = from - static_cast<int64_t>(keep);
      segment_progress = [&, base](int64_t d, int64_t) { options.progress(base + d, total); };
    }
    done = s.extend(tokens.subspan(static_cast<size_t>(from), static_cast<size_t>(cut - from)), segment_progress);
    if (!done) break;
    s.save_checkpoint(cut, cut == len ? &s.last_logits : nullptr);
  }
  stats.prefill_ms = ms_since(t0);
  stats.time_to_first_token_ms = stats.prefill_ms;
  stats.cancelled = !done;
  return stats;
}

Result<RequestStats> Session::generate(const GenerateOptions& options, const std::function<bool(int32_t)>& on_token) {
  Impl& s = *impl_;
  s.cancel.store(false);
  if (s.last_logits.empty()) return make_error("generate() needs a prefilled prompt");
  sampling::SamplerParams params;
  params.temperature = options.temperature;
  params.top_k = options.top_k;
  params.top_p = options.top_p;
  params.min_p = options.min_p;
  params.repetition_penalty = options.repetition_penalty;
  params.presence_penalty = options.presence_penalty;
  for (const auto& [id, bias] : options.logit_bias) params.logit_bias[id] = bias;
  params.seed = options.seed;
  sampling::Sampler sampler(params);

  RequestStats stats;
  stats.prompt_tokens = static_cast<int64_t>(s.tokens.size());
  stats.prompt_reused = stats.prompt_tokens;
  const auto t0 = Clock::now();
  std::vector<float> logits = s.last_logits;
  for (int i = 0; i < options.max_tokens; ++i) {
    if (s.cancel.load()) {
      stats.cancelled = true;
      break;
    }
    const int32_t next = sampler.sample(logits, s.tokens);
    ++stats.generated_tokens;
    if (i == 0) stats.time_to_first_token_ms = ms_since(t0);
    const bool stop = std::find(options.stop_tokens.begin(), options.stop_tokens.end(), next) != options.stop_tokens.end();
    const bool keep_going = on_token(next);
    if (stop) {
      stats.stopped_by_token = true;
      // The stop token is part of the conversation: feed it so a follow-up turn reuses the cache.
      if (s.kv->size() < s.kv->capacity()) s.extend(std::span<const int32_t>(&next, 1), {});
      break;
    }
    if (!keep_going) break;
    if (s.kv->size() >= s.kv->capacity()) break;  // context full
    if (!s.extend(std::span<const int32_t>(&next, 1), {})) {
      stats.cancelled = true;
      break;
    }
    logits = s.last_logits;
  }
  stats.decode_ms = ms_since(t0);
  return stats;
}

Result<std::vector<float>> Session::logits_all(std::span<const int32_t> tokens) {
  Impl& s = *impl_;
  s.cancel.store(false);
  if (s.kv->size() + static_cast<int64_t>(tokens.size()) > s.kv->capacity()) {
    return make_error("the sequence does not fit the context of " + std::to_string(s.kv->capacity()) + " tokens");
  }
  for (int32_t t : tokens) {
    if (t < 0 || t >= s.vocab()) return make_error("token id " + std::to_string(t) + " is outside the vocabulary");
  }
  std::vector<float> logits;
  if (!s.net().forward(tokens, *s.kv, model::LogitRows::All, logits, &s.cancel)) return make_error("cancelled");
  s.tokens.insert(s.tokens.end(), tokens.begin(), tokens.end());
  s.last_logits.assign(logits.end() - s.vocab(), logits.end());
  return logits;
}

}  // namespace tally
