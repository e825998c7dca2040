#pragma once
// Where the GPU time goes: with TALLY_CUDA_PROFILE=1 in the environment, every op is bracketed by CUDA events and
// the totals per op (and weight) are printed to stderr when the backend is destroyed. Off, it costs one branch.
#include <cuda_runtime.h>

#include <map>
#include <string>
#include <vector>

namespace tally::backend::cuda {

class OpTimer {
 public:
  OpTimer();
  ~OpTimer();
  OpTimer(const OpTimer&) = delete;
  OpTimer& operator=(const OpTimer&) = delete;

  bool enabled() const { return enabled_; }
  void begin(const std::string& name, cudaStream_t stream);
  void end(cudaStream_t stream);
  // Call with the stream idle: folds the pass's events into the totals.
  void collect();

 private:
  struct Pending {
    std::string name;
    cudaEvent_t start, stop;
  };
  struct Total {
    double ms = 0;
    long calls = 0;
  };
  cudaEvent_t event();
  bool enabled_ = false;
  std::vector<Pending> pending_;
  std::vector<cudaEvent_t> free_;
  std::map<std::string, Total> totals_;
};

}  // namespace tally::backend::cuda
