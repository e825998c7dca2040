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

// The fast path: every routed expert's gate and up projections in one pool loop, then every down projection in
// another, so a decode step costs two pool barriers per layer instead of two per expert. An expert that every token
// chose (always the case in decode) reads x in place, so the experts share one activation quantization.
void moe_fast_experts(ThreadPool& pool, const model::LayerWeights& layer, const model::ModelConfig& config,
                      const Act& x, const std::vector<std::vector<Assignment>>& by_expert, int k,
                      std::vector<float>& y) {
  const int64_t n = x.rows;
  const int64_t hidden = config.hidden;
  const int64_t ffn = config.expert_ffn;
  struct Run {
    int e;
    const std::vector<Assignment>* list;
    Act xa;
    std::vector<float> xin, gate, up, a, yd;
  };
  std::vector<Run> runs;
  runs.reserve(static_cast<size_t>(config.n_experts));
  for (int e = 0; e < config.n_experts; ++e) {
    const auto& list = by_expert[e];
    if (list.empty()) continue;
    Run run{e, &list, {}, {}, {}, {}, {}, {}};
    const int64_t m = static_cast<int64_t>(list.size());
    bool in_place = m == n;
    for (int64_t i = 0; in_place && i < m; ++i) in_place = list[i].token == i;
    if (in_place) {
      run.xa = Act{x.data, n, x.cols};
    } else {
      run.xin.resize(static_cast<size_t>(m * hidden));
      for (int64_t i = 0; i < m; ++i) {
        std::copy_n(x.data + list[i].token * x.cols, hidden, run.xin.data() + i * hidden);
      }
      run.xa = Act{run.xin.data(), m, hidden};
    }
    run.gate.resize(static_cast<size_t>(m * ffn));
    run.up.resize(static_cast<size_t>(m * ffn));
    run.a.resize(static_cast<size_t>(m * ffn));
    run.yd.resize(static_cast<size_t>(m * hidden));
    runs.push_back(std::move(run));
  }
  const fast::KernelSet& kernels = fast::active_kernels();
  std::vector<FastLinearJob> jobs;
  for (auto& run : runs) {
    const int64_t m = run.xa.rows;
    jobs.push_back({&layer.gate, std::span<const float>(layer.gate_bias.data() + run.e * ffn, ffn),
                    Act{run.gate.data(), m, ffn}, run.e, run.xa});
    jobs.push_back({&layer.up, std::span<const float>(layer.up_bias.data() + run.e * ffn, ffn),
                    Act{run.up.data(), m, ffn}, run.e, run.xa});
  }
  linear_fast_jobs(kernels, pool, jobs);
  jobs.clear();
  pool.parallel_for(static_cast<int64_t>(runs.size()), [&](int64_t r, int) {
    Run& run = runs[static_cast<size_t>(r)];
    for (int64_t i = 0; i < run.xa.rows * ffn; ++i) {
      run.a[i] = swiglu_clamped(run.gate[i], run.up[i], config.swiglu_limit);
    }
  });
  for (auto& run : runs) {
    const int64_t m = run.xa.rows;
    jobs.push_back({&layer.down, std::span<const float>(layer.down_bias.data() + run.e * hidden, hidden),
                    Act{run.yd.data(), m, hidden}, run.e, Act{run.a.data(), m, ffn}});
  }
  linear_fast_jobs(kernels, pool, jobs);
  for (const auto& run : runs) {
    const auto& list = *run.list;
    for (size_t i = 0; i < list.size(); ++i) {
      const int64_t slot = list[i].token * k + list[i].slot;
      std::copy_n(run.yd.data() + static_cast<int64_t>(i) * hidden, hidden, y.data() + slot * hidden);
    }
  }
}

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


  if (exact) {
    // Gather each expert's input rows into contiguous Acts and run the expert's matrices with the exact kernel.
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
      linear_exact(pool, layer.gate, e, std::span<const float>(layer.gate_bias.data() + e * ffn, ffn), xa,
                   Act{gate.data(), m, ffn});
      linear_exact(pool, layer.up, e, std::span<const float>(layer.up_bias.data() + e * ffn, ffn), xa,
                   Act{up.data(), m, ffn});
      std::vector<float> a(static_cast<size_t>(m * ffn));
      for (int64_t i = 0; i < m * ffn; ++i) a[i] = swiglu_clamped(gate[i], up[i], limit);
      std::vector<float> yd(static_cast<size_t>(m * hidden));
      linear_exact(pool, layer.down, e, std::span<const float>(layer.down_bias.data() + e * hidden, hidden),
                   Act{a.data(), m, ffn}, Act{yd.data(), m, hidden});
      for (int64_t i = 0; i < m; ++i) {
        const int64_t slot = list[i].token * k + list[i].slot;
        std::copy_n(yd.data() + i * hidden, hidden, y.data() + slot * hidden);
      }
    }
  } else {
    moe_fast_experts(pool, layer, config, x, by_expert, k, y);
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
