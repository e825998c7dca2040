// Mixture of experts on the CPU: tokens are grouped by expert so each expert's rows are decoded once per batch.
#include <algorithm>
#include <vector>

#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/fast_linear.h"

namespace tally::backend::cpu {

namespace {

struct Assignment {
  int64_t token;
  int slot;  // index among the token's k experts
};

}  // namespace

void moe_cpu(ThreadPool& pool, bool exact, const model::LayerWeights& layer, const model::ModelConfig& config,
             const Act& x, const Routes& routes, const Act& out) {
  const int64_t n = x.rows;
  const int k = routes.k;
  const int64_t hidden = config.hidden;
  const int64_t ffn = config.expert_ffn;
  const float limit = config.swiglu_limit;

  std::vector<std::vector<Assignment>> by_expert(config.n_experts);
  for (int64_t t = 0; t < n; ++t) {
    for (int s = 0; s < k; ++s) by_expert[routes.experts[t * k + s]].push_back({t, s});
  }
  // Per (token, slot): the expert's output (hidden wide).
  std::vector<float> y(static_cast<size_t>(n * k * hidden));


  // Gather each expert's input rows into contiguous Acts and run the expert's matrices with the same linear kernels
  // as the rest of the model.
  for (int e = 0; e < config.n_experts; ++e) {
    const auto& list = by_expert[e];
    if (list.empty()) continue;
    const int64_t m = static_cast<int64_t>(list.size());
    std::vector<float> xin(static_cast<size_t>(m * hidden));
    for (int64_t i = 0; i < m; ++i) {
      std::copy_n(x.data + list[i].token * hidden, hidden, xin.data() + i * hidden);
    }
    std::vector<float> gate(static_cast<size_t>(m * ffn)), up(static_cast<size_t>(m * ffn));
    const Act xa{xin.data(), m, hidden};
    const std::span<const float> gb(layer.gate_bias.data() + e * ffn, ffn);
    const std::span<const float> ub(layer.up_bias.data() + e * ffn, ffn);
    const std::span<const float> db(layer.down_bias.data() + e * hidden, hidden);
    auto lin = exact ? linear_exact : linear_fast;
    if (exact) {
      lin(pool, layer.gate, e, gb, xa, Act{gate.data(), m, ffn});
      lin(pool, layer.up, e, ub, xa, Act{up.data(), m, ffn});
    } else {
      // Gate and up read the same input: quantize it once and run both in one pool loop.
      const FastLinearJob jobs[2] = {{&layer.gate, gb, Act{gate.data(), m, ffn}},
                                     {&layer.up, ub, Act{up.data(), m, ffn}}};
      linear_fast_batch(fast::active_kernels(), pool, jobs, e, xa);
    }
    std::vector<float> a(static_cast<size_t>(m * ffn));
    for (int64_t i = 0; i < m * ffn; ++i) a[i] = swiglu_clamped(gate[i], up[i], limit);
    std::vector<float> yd(static_cast<size_t>(m * hidden));
    lin(pool, layer.down, e, db, Act{a.data(), m, ffn}, Act{yd.data(), m, hidden});
    for (int64_t i = 0; i < m; ++i) {
      const int64_t slot = list[i].token * k + list[i].slot;
      std::copy_n(yd.data() + i * hidden, hidden, y.data() + slot * hidden);
    }
  }
  // Weighted sum in slot order (highest-ranked expert first), independent of how tokens were grouped.
  pool.parallel_for(n, [&](int64_t t, int) {
    float* o = out.data + t * out.cols;
    for (int64_t d = 0; d < hidden; ++d) {
      float sum = 0.0f;
      for (int s = 0; s < k; ++s) sum += routes.weights[t * k + s] * y[(t * k + s) * hidden + d];
      o[d] += sum;
    }
  });
}

}  // namespace tally::backend::cpu
