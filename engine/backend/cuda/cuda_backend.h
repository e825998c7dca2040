#pragma once
// The CUDA backend's entry points. This header needs no CUDA headers: builds without CUDA link cuda_absent.cpp,
// which reports why the backend is unavailable.
#include <memory>
#include <string>

#include "backend/backend.h"

namespace tally::backend {

struct CudaProbe {
  bool usable = false;
  std::string device;  // e.g. "NVIDIA H100 80GB HBM3 (sm_90, 79.1 GiB free of 79.6 GiB, driver 13.0)"
  std::string reason;  // why not usable
};

// Whether a CUDA device this build can run on is present (first call probes; the answer is cached).
const CudaProbe& cuda_probe();
// The CUDA backend on device 0, or an error naming the reason it is unavailable.
Result<std::unique_ptr<Backend>> make_cuda_backend();

}  // namespace tally::backend
