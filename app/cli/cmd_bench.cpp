// tally-cli bench: prefill (pp) and decode (tg) speed like llama-bench, optionally after `--depth` cached tokens.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "cli/model_args.h"
#include "model/config.h"

namespace tally::cli {
namespace {

struct Series {
  std::vector<double> values;
  double mean() const {
    double s = 0;
    for (double v : values) s += v;
    return values.empty() ? 0 : s / static_cast<double>(values.size());
  }
  double stddev() const {
    if (values.size() < 2) return 0;
    const double m = mean();
    double s = 0;
    for (double v : values) s += (v - m) * (v - m);
    return std::sqrt(s / static_cast<double>(values.size() - 1));
  }
};

int run_bench(const Args& raw) {
  ArgParser args(raw);
  ModelArgs m;
  if (auto err = parse_model_args(args, m); !err.empty()) return fail(err);
  int p = 512, n = 128, depth = 0, reps = 3;
  try {
    p = std::stoi(args.option("-p", "512"));
    n = std::stoi(args.option("-n", "128"));
    depth = std::stoi(args.option("--depth", "0"));
    reps = std::stoi(args.option("--reps", "3"));
  } catch (const std::exception&) {
    return fail("-p, -n, --depth and --reps take whole numbers");
  }
  const bool json = args.flag("--json");
  const bool kv_f16 = args.flag("--kv-f16");  // half the KV cache's memory (a GPU at long context)
  if (!args.unknown().empty()) return fail("unknown option " + args.unknown()[0]);
  auto model = load_for_cli(m, json);
  if (!model) return fail(model.error().message);
  const auto& config = (*model)->config();
  std::mt19937 rng(1234);
  // Random ordinary tokens (no specials): the work per token does not depend on the id.
  std::uniform_int_distribution<int32_t> pick(0, 199997);
  auto random_tokens = [&](int count) {
    std::vector<int32_t> ids(static_cast<size_t>(count));
    for (auto& t : ids) t = pick(rng);
    return ids;
  };
  const int64_t ctx = depth + std::max(p, n) + 16;
  Series pp, tg;
  for (int r = 0; r < reps + 1; ++r) {  // the first repetition warms caches and page mappings; not counted
    if (p > 0) {
      Session s(*model, {.context = ctx, .kv_f16 = kv_f16});
      if (depth > 0 && !s.prefill(random_tokens(depth))) return fail("prefill of the depth tokens failed");
      std::vector<int32_t> prompt = s.tokens();
      auto fresh = random_tokens(p);
      prompt.insert(prompt.end(), fresh.begin(), fresh.end());
      auto st = s.prefill(prompt);
      if (!st) return fail(st.error().message);
      if (r > 0) pp.values.push_back(st->prefill_tokens_per_s());
    }
    if (n > 0) {
      Session s(*model, {.context = ctx, .kv_f16 = kv_f16});
      if (!s.prefill(random_tokens(std::max(depth, 1)))) return fail("prefill failed");
      GenerateOptions g;
      g.max_tokens = n;
      g.temperature = 0;
      const auto t0 = std::chrono::steady_clock::now();
      auto st = s.generate(g, [](int32_t) { return true; });
      if (!st) return fail(st.error().message);
      const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (r > 0) tg.values.push_back(static_cast<double>(st->generated_tokens) / sec);
    }
  }
  if (json) {
    nlohmann::json out = {{"model", m.path},       {"backend", (*model)->backend_name()},
                          {"threads", m.engine.threads}, {"n_layers", config.n_layers},
                          {"depth", depth},        {"reps", reps}};
    if (p > 0) out["pp"] = {{"tokens", p}, {"tps_mean", pp.mean()}, {"tps_std", pp.stddev()}, {"runs", pp.values}};
    if (n > 0) out["tg"] = {{"tokens", n}, {"tps_mean", tg.mean()}, {"tps_std", tg.stddev()}, {"runs", tg.values}};
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("| model | backend | test | t/s |\n|---|---|---|---|\n");
  const std::string at = depth > 0 ? " @ d" + std::to_string(depth) : "";
  if (p > 0)
    std::printf("| %s | %s | pp%d%s | %.2f ± %.2f |\n", m.path.c_str(), (*model)->backend_name().c_str(), p, at.c_str(),
                pp.mean(), pp.stddev());
  if (n > 0)
    std::printf("| %s | %s | tg%d%s | %.2f ± %.2f |\n", m.path.c_str(), (*model)->backend_name().c_str(), n, at.c_str(),
                tg.mean(), tg.stddev());
  return 0;
}

const Registration reg{{"bench",
                        "bench --model M [-p 512] [-n 128] [--depth D] [--reps R] [--kv-f16] [--backend B] [--threads T] [--json]",
                        &run_bench}};

}  // namespace
}  // namespace tally::cli
