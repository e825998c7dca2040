#pragma once
// One Vulkan device as the backend uses it: device selection, buffers, compute pipelines built from the embedded
// SPIR-V, and one command buffer that records a whole forward chunk and is submitted at flush().
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend/vulkan/vk_api.h"
#include "tally/result.h"

namespace tally::backend::vk {

// One per shader (shaders/<name>.comp; names in vk_device.cpp).
enum class Kernel {
  Embed, RmsNorm, Linear, LinearTiled, Rope, KvStore, Attention, TopK, MoeGroup, MoeGateUp, MoeGateUpTiled, MoeDown,
  MoeDownTiled, MoeCombine, Add, Count
};

struct Buffer {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  uint64_t size = 0;
  uint8_t* mapped = nullptr;  // host-visible memory stays mapped
};

// What device selection saw, for the probe and for errors.
struct DeviceChoice {
  uint32_t index = 0;
  std::string name;
  VkPhysicalDeviceType type = VK_PHYSICAL_DEVICE_TYPE_OTHER;
  uint32_t api_version = 0;
  uint64_t budget = 0;  // bytes of device-local memory the device says we may use
  std::string describe() const;
};

// Creates an instance and picks a device without creating it (the probe). Error: why Vulkan is unusable.
Result<DeviceChoice> choose_device();

inline constexpr int kBindings = 8;      // storage buffers per dispatch (unused ones get a dummy)
inline constexpr int kPushBytes = 128;   // the push-constant block every kernel shares

class Device {
 public:
  static Result<std::unique_ptr<Device>> create();
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  const DeviceChoice& choice() const { return choice_; }

  // Device-local memory (mapped too where the device shares it with the host, e.g. lavapipe).
  Result<Buffer> create_device_buffer(uint64_t bytes, const std::string& what);
  // Host-visible, coherent, mapped: uploads of small per-pass data and read-backs.
  Result<Buffer> create_host_buffer(uint64_t bytes, const std::string& what);
  void destroy(Buffer& b);
  // Copies host bytes into a device buffer now (through a staging buffer when it is not mapped).
  Result<void> upload(const Buffer& dst, uint64_t offset, const void* src, uint64_t bytes);
  uint64_t allocated() const { return allocated_; }

  // --- recording into the pass's command buffer ---
  void dispatch(Kernel k, std::initializer_list<const Buffer*> buffers, const void* push, size_t push_bytes,
                uint32_t gx, uint32_t gy = 1, uint32_t gz = 1);
  void copy(const Buffer& src, uint64_t src_offset, const Buffer& dst, uint64_t dst_offset, uint64_t bytes);
  // Submits what was recorded and waits. Per-pass resources (descriptor sets) are recycled afterwards.
  Result<void> flush();
  bool recording() const { return recording_; }
  const std::string& failure() const { return failure_; }  // first error met while recording ("" if none)

 private:
  Device() = default;
  Result<void> init();
  Result<VkPipeline> build_pipeline(Kernel k);
  void begin_if_needed();
  VkDescriptorSet allocate_set();
  Result<void> submit_and_wait(VkCommandBuffer cmd);
  int memory_type(uint32_t type_bits, bool host) const;
  Result<Buffer> create_buffer(uint64_t bytes, bool host, const std::string& what);

  Api api_;
  DeviceChoice choice_;
  VkInstance instance_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queue_family_ = 0;
  VkPhysicalDeviceMemoryProperties memory_{};
  VkDescriptorSetLayout set_layout_ = VK_NULL_HANDLE;
  VkPipelineLayout pipeline_layout_ = VK_NULL_HANDLE;
  std::vector<VkPipeline> pipelines_;
  std::vector<VkDescriptorPool> pools_;
  size_t pool_in_use_ = 0;
  VkCommandPool command_pool_ = VK_NULL_HANDLE;
  VkCommandBuffer pass_cmd_ = VK_NULL_HANDLE;
  VkCommandBuffer upload_cmd_ = VK_NULL_HANDLE;
  VkFence fence_ = VK_NULL_HANDLE;
  Buffer staging_;
  Buffer dummy_;
  bool recording_ = false;
  bool dirty_ = false;  // a dispatch or copy was recorded since the last barrier
  uint64_t allocated_ = 0;
  std::string failure_;
  // TALLY_VULKAN_PROFILE=1: every dispatch is submitted alone and timed on the host; totals printed at exit.
  bool profile_ = false;
  std::vector<double> profile_ms_;
  std::vector<uint64_t> profile_calls_;
};

}  // namespace tally::backend::vk
