#include "backend/cuda/cuda_op_timer.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace tally::backend::cuda {

OpTimer::OpTimer() {
  const char* env = std::getenv("TALLY_CUDA_PROFILE");
  enabled_ = env && *env && *env != '0';
}

OpTimer::~OpTimer() {
  if (!enabled_) return;
  collect();
  std::vector<std::pair<std::string, Total>> rows(totals_.begin(), totals_.end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.ms > b.second.ms; });
  double all = 0;
  for (const auto& r : rows) all += r.second.ms;
  std::fprintf(stderr, "| op | calls | total ms | us/call | share |\n|---|---|---|---|---|\n");
  for (const auto& [name, t] : rows) {
    std::fprintf(stderr, "| %s | %ld | %.2f | %.1f | %.1f%% |\n", name.c_str(), t.calls, t.ms,
                 1000.0 * t.ms / static_cast<double>(t.calls), 100.0 * t.ms / all);
  }
  for (cudaEvent_t e : free_) cudaEventDestroy(e);
}

cudaEvent_t OpTimer::event() {
  if (!free_.empty()) {
    cudaEvent_t e = free_.back();
    free_.pop_back();
    return e;
  }
  cudaEvent_t e;
  cudaEventCreate(&e);
  return e;
}

void OpTimer::begin(const std::string& name, cudaStream_t stream) {
  Pending p{name, event(), event()};
  cudaEventRecord(p.start, stream);
  pending_.push_back(p);
}

void OpTimer::end(cudaStream_t stream) { cudaEventRecord(pending_.back().stop, stream); }

void OpTimer::collect() {
  for (const Pending& p : pending_) {
    float ms = 0;
    if (cudaEventElapsedTime(&ms, p.start, p.stop) == cudaSuccess) {
      Total& t = totals_[p.name];
      t.ms += ms;
      ++t.calls;
    }
    free_.push_back(p.start);
    free_.push_back(p.stop);
  }
  pending_.clear();
}

}  // namespace tally::backend::cuda
