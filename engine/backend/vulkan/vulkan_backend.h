#pragma once
// The Vulkan backend's entry points. This header needs no Vulkan headers: builds without Vulkan link
// vulkan_absent.cpp, which reports why the backend is unavailable.
#include <cstdint>
#include <memory>
#include <string>

#include "backend/backend.h"

namespace tally::backend {

struct VulkanProbe {
  bool usable = false;      // a device exists that --backend vulkan would use
  bool cpu_device = false;  // ...and it is a software rasteriser (lavapipe): --backend auto passes it over
  std::string device;       // e.g. "NVIDIA H100 80GB HBM3 (discrete, 79.1 GiB budget, Vulkan 1.4)"
  std::string reason;       // why not usable
};

// Probes once (the answer is cached): loader, instance, devices, and which one the backend would take. The choice
// is discrete > integrated > virtual > CPU; TALLY_VULKAN_DEVICE=<index|name substring> overrides it.
const VulkanProbe& vulkan_probe();
// The Vulkan backend on the chosen device, or an error naming why it is unavailable.
Result<std::unique_ptr<Backend>> make_vulkan_backend();

}  // namespace tally::backend
