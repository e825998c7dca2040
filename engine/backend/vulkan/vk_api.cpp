#include "backend/vulkan/vk_api.h"

#if defined(_WIN32)
#include <windows.h>
#else
#include <dlfcn.h>
#endif

#include <cstdlib>

namespace tally::backend::vk {

namespace {

void* open_loader(std::string& why) {
#if defined(_WIN32)
  HMODULE lib = LoadLibraryA("vulkan-1.dll");
  if (!lib) why = "no Vulkan loader (vulkan-1.dll not found)";
  return reinterpret_cast<void*>(lib);
#else
  for (const char* name : {"libvulkan.so.1", "libvulkan.so"}) {
    if (void* lib = dlopen(name, RTLD_NOW | RTLD_LOCAL)) return lib;
  }
  const char* err = dlerror();
  why = std::string("no Vulkan loader (libvulkan.so.1: ") + (err ? err : "not found") + ")";
  return nullptr;
#endif
}

void* find_symbol(void* lib, const char* name) {
#if defined(_WIN32)
  return reinterpret_cast<void*>(GetProcAddress(reinterpret_cast<HMODULE>(lib), name));
#else
  return dlsym(lib, name);
#endif
}

}  // namespace

const Api* loader_api(std::string& why) {
  // The loader stays open for the process: drivers keep threads and state that must not be unloaded.
  static std::string failure;
  static Api* api = [] () -> Api* {
    void* lib = open_loader(failure);
    if (!lib) return nullptr;
    auto gipa = reinterpret_cast<PFN_vkGetInstanceProcAddr>(find_symbol(lib, "vkGetInstanceProcAddr"));
    if (!gipa) {
      failure = "the Vulkan loader has no vkGetInstanceProcAddr";
      return nullptr;
    }
    auto* a = new Api;
    a->vkGetInstanceProcAddr = gipa;
    a->vkCreateInstance = reinterpret_cast<PFN_vkCreateInstance>(gipa(nullptr, "vkCreateInstance"));
    a->vkEnumerateInstanceVersion =
        reinterpret_cast<PFN_vkEnumerateInstanceVersion>(gipa(nullptr, "vkEnumerateInstanceVersion"));
    if (!a->vkCreateInstance) {
      failure = "the Vulkan loader has no vkCreateInstance";
      delete a;
      return nullptr;
    }
    return a;
  }();
  if (!api) why = failure;
  return api;
}

bool load_instance(Api& api, VkInstance instance, std::string& why) {
#define TALLY_VK_LOAD(name)                                                                 \
  api.name = reinterpret_cast<PFN_##name>(api.vkGetInstanceProcAddr(instance, #name));      \
  if (!api.name) {                                                                          \
    why = "the Vulkan loader lacks " #name " (Vulkan 1.1 needed)";                          \
    return false;                                                                           \
  }
  TALLY_VK_INSTANCE_FUNCTIONS(TALLY_VK_LOAD)
#undef TALLY_VK_LOAD
  return true;
}

bool load_device(Api& api, VkDevice device, std::string& why) {
#define TALLY_VK_LOAD(name)                                                        \
  api.name = reinterpret_cast<PFN_##name>(api.vkGetDeviceProcAddr(device, #name)); \
  if (!api.name) {                                                                 \
    why = "the Vulkan driver lacks " #name;                                        \
    return false;                                                                  \
  }
  TALLY_VK_DEVICE_FUNCTIONS(TALLY_VK_LOAD)
#undef TALLY_VK_LOAD
  return true;
}

const char* result_name(VkResult r) {
  switch (r) {
    case VK_SUCCESS: return "VK_SUCCESS";
    case VK_ERROR_OUT_OF_HOST_MEMORY: return "VK_ERROR_OUT_OF_HOST_MEMORY";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    case VK_ERROR_INITIALIZATION_FAILED: return "VK_ERROR_INITIALIZATION_FAILED";
    case VK_ERROR_DEVICE_LOST: return "VK_ERROR_DEVICE_LOST";
    case VK_ERROR_INCOMPATIBLE_DRIVER: return "VK_ERROR_INCOMPATIBLE_DRIVER";
    case VK_ERROR_EXTENSION_NOT_PRESENT: return "VK_ERROR_EXTENSION_NOT_PRESENT";
    case VK_ERROR_FEATURE_NOT_PRESENT: return "VK_ERROR_FEATURE_NOT_PRESENT";
    case VK_ERROR_LAYER_NOT_PRESENT: return "VK_ERROR_LAYER_NOT_PRESENT";
    case VK_ERROR_TOO_MANY_OBJECTS: return "VK_ERROR_TOO_MANY_OBJECTS";
    case VK_ERROR_OUT_OF_POOL_MEMORY: return "VK_ERROR_OUT_OF_POOL_MEMORY";
    default: return "VkResult error";
  }
}

}  // namespace tally::backend::vk
