#pragma once
// The Vulkan entry points, loaded at run time: the library has no link-time dependency on libvulkan, so the app
// starts on machines without a loader and says why Vulkan is unavailable instead.
#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

#include <string>

namespace tally::backend::vk {

#define TALLY_VK_INSTANCE_FUNCTIONS(X)          \
  X(vkDestroyInstance)                          \
  X(vkEnumeratePhysicalDevices)                 \
  X(vkGetPhysicalDeviceProperties)              \
  X(vkGetPhysicalDeviceProperties2)             \
  X(vkGetPhysicalDeviceFeatures2)               \
  X(vkGetPhysicalDeviceMemoryProperties)        \
  X(vkGetPhysicalDeviceMemoryProperties2)       \
  X(vkGetPhysicalDeviceQueueFamilyProperties)   \
  X(vkEnumerateDeviceExtensionProperties)       \
  X(vkCreateDevice)                             \
  X(vkGetDeviceProcAddr)

#define TALLY_VK_DEVICE_FUNCTIONS(X)   \
  X(vkDestroyDevice)                   \
  X(vkGetDeviceQueue)                  \
  X(vkDeviceWaitIdle)                  \
  X(vkCreateBuffer)                    \
  X(vkDestroyBuffer)                   \
  X(vkGetBufferMemoryRequirements)     \
  X(vkAllocateMemory)                  \
  X(vkFreeMemory)                      \
  X(vkBindBufferMemory)                \
  X(vkMapMemory)                       \
  X(vkUnmapMemory)                     \
  X(vkCreateShaderModule)              \
  X(vkDestroyShaderModule)             \
  X(vkCreateDescriptorSetLayout)       \
  X(vkDestroyDescriptorSetLayout)      \
  X(vkCreatePipelineLayout)            \
  X(vkDestroyPipelineLayout)           \
  X(vkCreateComputePipelines)          \
  X(vkDestroyPipeline)                 \
  X(vkCreateDescriptorPool)            \
  X(vkDestroyDescriptorPool)           \
  X(vkResetDescriptorPool)             \
  X(vkAllocateDescriptorSets)          \
  X(vkUpdateDescriptorSets)            \
  X(vkCreateCommandPool)               \
  X(vkDestroyCommandPool)              \
  X(vkAllocateCommandBuffers)          \
  X(vkResetCommandBuffer)              \
  X(vkBeginCommandBuffer)              \
  X(vkEndCommandBuffer)                \
  X(vkCmdBindPipeline)                 \
  X(vkCmdBindDescriptorSets)           \
  X(vkCmdPushConstants)                \
  X(vkCmdDispatch)                     \
  X(vkCmdPipelineBarrier)              \
  X(vkCmdCopyBuffer)                   \
  X(vkQueueSubmit)                     \
  X(vkCreateFence)                     \
  X(vkDestroyFence)                    \
  X(vkWaitForFences)                   \
  X(vkResetFences)

struct Api {
  PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
  PFN_vkCreateInstance vkCreateInstance = nullptr;
  PFN_vkEnumerateInstanceVersion vkEnumerateInstanceVersion = nullptr;
#define TALLY_VK_DECLARE(name) PFN_##name name = nullptr;
  TALLY_VK_INSTANCE_FUNCTIONS(TALLY_VK_DECLARE)
  TALLY_VK_DEVICE_FUNCTIONS(TALLY_VK_DECLARE)
#undef TALLY_VK_DECLARE
};

// Opens the loader once per process (libvulkan.so.1, vulkan-1.dll). Returns nullptr and sets `why` when absent.
const Api* loader_api(std::string& why);
// Fills the instance-level entry points; false (and `why`) if one is missing.
bool load_instance(Api& api, VkInstance instance, std::string& why);
bool load_device(Api& api, VkDevice device, std::string& why);

const char* result_name(VkResult r);

}  // namespace tally::backend::vk
