// Linked instead of the CUDA backend when the build has no CUDA compiler (TALLY_CUDA=OFF).
#include "backend/cuda/cuda_backend.h"

namespace tally::backend {

const CudaProbe& cuda_probe() {
  static const CudaProbe probe{false, "", "this build has no CUDA backend (configured with TALLY_CUDA=OFF)"};
  return probe;
}

Result<std::unique_ptr<Backend>> make_cuda_backend() { return make_error("CUDA: " + cuda_probe().reason); }

}  // namespace tally::backend
