// Linked instead of the Vulkan backend when the build has no Vulkan headers or glslc (TALLY_VULKAN=OFF).
#include "backend/vulkan/vulkan_backend.h"

namespace tally::backend {

const VulkanProbe& vulkan_probe() {
  static const VulkanProbe probe{false, false, "",
                                 "this build has no Vulkan backend (configured with TALLY_VULKAN=OFF)"};
  return probe;
}

Result<std::unique_ptr<Backend>> make_vulkan_backend() { return make_error("Vulkan: " + vulkan_probe().reason); }

}  // namespace tally::backend
