#include "model/gptoss.h"

#include <algorithm>
#include <cassert>
#include <numeric>

namespace tally::model {

bool GptOss::forward(std::span<const int32_t> tokens, backend::KvCache& kv, LogitRows rows,
                     std::vector<float>& logits, const std::atomic<bool>* cancel,
                     const std::function<void(int64_t, int64_t)>& progress, int64_t max_batch) {
  const int64_t n = static_cast<int64_t>(tokens.size());
  assert(kv.size() + n <= kv.capacity());
  for (int64_t start = 0; start < n; start += max_batch) {
    if (cancel && cancel->load(std::memory_order_relaxed)) return false;
    const int64_t count = std::min(max_batch, n - start);
    const bool last_chunk = start + count == n;
    const LogitRows chunk_rows = rows == LogitRows::All ? LogitRows::All : (last_chunk ? rows : LogitRows::None);
    run_chunk(tokens.subspan(start, count), kv, chunk_rows, logits);
    if (progress) progress(start + count, n);
  }
  return true;
}

void GptOss::run_chunk(std::span<const int32_t> tokens, backend::KvCache& kv, LogitRows rows,
                       std::vector<float>& logits) {
  const ModelConfig& c = w_.config;
  const int64_t n = static_cast<int64_t>(tokens.size());
  const int64_t first_pos = kv.size();
  std::vector<int32_t> positions(n);
  std::iota(positions.begin(), positions.end(), static_cast<int32_t>(first_pos));

  backend::Act x = b_.alloc(n, c.hidden);
  backend::Act h = b_.alloc(n, c.hidden);
  backend::Act q = b_.alloc(n, c.q_width());
  backend::Act k = b_.alloc(n, c.kv_width());
  backend::Act v = b_.alloc(n, c.kv_width());
  backend::Act att = b_.alloc(n, c.q_width());
  backend::Act o = b_.alloc(n, c.hidden);
  backend::Routes routes = b_.alloc_routes(n, c.n_experts_used);
  if (capture_hidden_) hidden_.assign(c.n_layers, std::vector<float>(c.hidden));

  b_.embed(w_.embed, tokens, x);
  for (int l = 0; l < c.n_layers; ++l) {
    const LayerWeights& L = w_.layers[l];
    b_.rmsnorm(x, L.attn_norm, c.rms_eps, h);
    b_.linear(L.wq, L.bq, h, q);
    b_.linear(L.wk, L.bk, h, k);
    b_.linear(L.wv, L.bv, h, v);
    b_.rope(q, k, positions, c);
    b_.attention(kv, l, q, k, v, positions, L.sinks, c, att);
    b_.linear(L.wo, L.bo, att, o);
    b_.add(x, o);

    b_.rmsnorm(x, L.post_norm, c.rms_eps, h);
    b_.route(L.router, L.router_bias, h, routes);
    b_.moe(L, c, h, routes, x);
    if (capture_hidden_) b_.read_rows(x, n - 1, 1, hidden_[l].data());
  }

  if (rows != LogitRows::None) {
    const int64_t first = rows == LogitRows::All ? 0 : n - 1;
    const int64_t count = n - first;
    backend::Act xs{x.data + first * x.cols, count, x.cols};
    backend::Act hs{h.data, count, h.cols};
    b_.rmsnorm(xs, w_.final_norm, c.rms_eps, hs);
    backend::Act out = b_.alloc(count, c.vocab);
    b_.linear(w_.output, {}, hs, out);
    const size_t offset = logits.size();
    logits.resize(offset + static_cast<size_t>(count * c.vocab));
    b_.read_rows(out, 0, count, logits.data() + offset);
  }
  b_.finish();
  b_.release_scratch();
  kv.set_size(first_pos + n);  // positions count as cached only once the whole chunk ran
}

}  // namespace tally::model
