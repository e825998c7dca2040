#include "backend/vulkan/vk_device.h"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "backend/vulkan/vk_spirv.h"

namespace tally::backend::vk {

namespace {

const char* kKernelNames[] = {"embed", "rmsnorm", "linear", "linear_tiled", "rope", "kv_store", "attention", "topk",
                               "moe_group", "moe_gate_up", "moe_gate_up_tiled", "moe_down", "moe_down_tiled",
                              "moe_combine", "add"};
static_assert(sizeof(kKernelNames) / sizeof(kKernelNames[0]) == static_cast<size_t>(Kernel::Count));

std::string gib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

const char* type_name(VkPhysicalDeviceType t) {
  switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "CPU";
    default: return "other";
  }
}

int type_rank(VkPhysicalDeviceType t) {
  switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
    default: return 0;
  }
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool has_extension(const Api& api, VkPhysicalDevice pd, const char* name) {
  uint32_t n = 0;
  api.vkEnumerateDeviceExtensionProperties(pd, nullptr, &n, nullptr);
  std::vector<VkExtensionProperties> ext(n);
  api.vkEnumerateDeviceExtensionProperties(pd, nullptr, &n, ext.data());
  for (const auto& e : ext) {
    if (std::strcmp(e.extensionName, name) == 0) return true;
  }
  return false;
}

uint64_t device_budget(const Api& api, VkPhysicalDevice pd) {
  VkPhysicalDeviceMemoryBudgetPropertiesEXT budget{};
  budget.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT;
  VkPhysicalDeviceMemoryProperties2 props{};
  props.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2;
  const bool with_budget = has_extension(api, pd, VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);
  if (with_budget) props.pNext = &budget;
  api.vkGetPhysicalDeviceMemoryProperties2(pd, &props);
  uint64_t best = 0;
  for (uint32_t h = 0; h < props.memoryProperties.memoryHeapCount; ++h) {
    if (!(props.memoryProperties.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)) continue;
    const uint64_t size = props.memoryProperties.memoryHeaps[h].size;
    const uint64_t avail =
        with_budget && budget.heapBudget[h] > 0 ? std::min<uint64_t>(budget.heapBudget[h], size) : size;
    best = std::max(best, avail);
  }
  return best;
}

struct Instance {
  const Api* base = nullptr;
  Api api;
  VkInstance handle = VK_NULL_HANDLE;
};

Result<Instance> create_instance() {
  std::string why;
  const Api* base = loader_api(why);
  if (!base) return make_error(why);
  Instance inst;
  inst.base = base;
  inst.api = *base;
  uint32_t version = VK_API_VERSION_1_0;
  if (base->vkEnumerateInstanceVersion) base->vkEnumerateInstanceVersion(&version);
  if (version < VK_API_VERSION_1_1) return make_error("the Vulkan loader supports only Vulkan 1.0 (1.1 needed)");
  VkApplicationInfo app{};
  app.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
  app.pApplicationName = "Tally";
  app.pEngineName = "Tally";
  app.apiVersion = VK_API_VERSION_1_1;
  VkInstanceCreateInfo ci{};
  ci.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
  ci.pApplicationInfo = &app;
  const VkResult r = base->vkCreateInstance(&ci, nullptr, &inst.handle);
  if (r != VK_SUCCESS) return make_error(std::string("vkCreateInstance failed: ") + result_name(r));
  if (!load_instance(inst.api, inst.handle, why)) return make_error(why);
  return inst;
}

// Picks the device per TALLY_VULKAN_DEVICE or by type; fills `choice`.
Result<VkPhysicalDevice> pick(const Api& api, VkInstance instance, DeviceChoice& choice) {
  uint32_t n = 0;
  api.vkEnumeratePhysicalDevices(instance, &n, nullptr);
  if (n == 0) return make_error("no Vulkan device (the loader found no driver)");
  std::vector<VkPhysicalDevice> devices(n);
  api.vkEnumeratePhysicalDevices(instance, &n, devices.data());
  std::vector<VkPhysicalDeviceProperties> props(n);
  std::string listing;
  for (uint32_t i = 0; i < n; ++i) {
    api.vkGetPhysicalDeviceProperties(devices[i], &props[i]);
    listing += (i ? ", " : "") + std::to_string(i) + ": " + props[i].deviceName;
  }
  int chosen = -1;
  const char* env = std::getenv("TALLY_VULKAN_DEVICE");
  if (env && *env) {
    const std::string want = env;
    const bool numeric = std::all_of(want.begin(), want.end(), [](char c) { return c >= '0' && c <= '9'; });
    for (uint32_t i = 0; i < n && chosen < 0; ++i) {
      if (numeric ? std::to_string(i) == want : lower(props[i].deviceName).find(lower(want)) != std::string::npos) {
        chosen = static_cast<int>(i);
      }
    }
    if (chosen < 0) return make_error("TALLY_VULKAN_DEVICE=" + want + " matches no device (" + listing + ")");
  } else {
    for (uint32_t i = 0; i < n; ++i) {
      if (props[i].apiVersion < VK_API_VERSION_1_1) continue;
      if (chosen < 0 || type_rank(props[i].deviceType) > type_rank(props[chosen].deviceType)) {
        chosen = static_cast<int>(i);
      }
    }
    if (chosen < 0) return make_error("no Vulkan 1.1 device (" + listing + ")");
  }
  const VkPhysicalDeviceProperties& p = props[chosen];
  if (p.apiVersion < VK_API_VERSION_1_1) {
    return make_error(std::string(p.deviceName) + " supports only Vulkan 1.0 (1.1 needed)");
  }
  choice.index = static_cast<uint32_t>(chosen);
  choice.name = p.deviceName;
  choice.type = p.deviceType;
  choice.api_version = p.apiVersion;
  choice.budget = device_budget(api, devices[chosen]);
  return devices[chosen];
}

}  // namespace

std::string DeviceChoice::describe() const {
  return name + " (" + type_name(type) + ", " + gib(budget) + " budget, Vulkan " +
         std::to_string(VK_API_VERSION_MAJOR(api_version)) + "." + std::to_string(VK_API_VERSION_MINOR(api_version)) +
         ")";
}

Result<DeviceChoice> choose_device() {
  auto inst = create_instance();
  if (!inst) return inst.error();
  DeviceChoice choice;
  auto pd = pick(inst->api, inst->handle, choice);
  inst->api.vkDestroyInstance(inst->handle, nullptr);
  if (!pd) return pd.error();
  return choice;
}

Result<std::unique_ptr<Device>> Device::create() {
  std::unique_ptr<Device> d(new Device());
  if (auto ok = d->init(); !ok) return ok.error();
  return d;
}

Result<void> Device::init() {
  auto inst = create_instance();
  if (!inst) return inst.error();
  api_ = inst->api;
  instance_ = inst->handle;
  auto pd = pick(api_, instance_, choice_);
  if (!pd) return pd.error();
  physical_ = pd.value();
  api_.vkGetPhysicalDeviceMemoryProperties(physical_, &memory_);

  uint32_t nq = 0;
  api_.vkGetPhysicalDeviceQueueFamilyProperties(physical_, &nq, nullptr);
  std::vector<VkQueueFamilyProperties> families(nq);
  api_.vkGetPhysicalDeviceQueueFamilyProperties(physical_, &nq, families.data());
  int family = -1;
  for (uint32_t i = 0; i < nq && family < 0; ++i) {
    if (families[i].queueFlags & VK_QUEUE_COMPUTE_BIT) family = static_cast<int>(i);
  }
  if (family < 0) return make_error(choice_.name + " has no compute queue");
  queue_family_ = static_cast<uint32_t>(family);

  VkPhysicalDeviceVulkan11Features f11{};
  f11.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES;
  VkPhysicalDeviceFeatures2 features{};
  features.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
  features.pNext = &f11;
  api_.vkGetPhysicalDeviceFeatures2(physical_, &features);

  const float priority = 1.0f;
  VkDeviceQueueCreateInfo qci{};
  qci.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
  qci.queueFamilyIndex = queue_family_;
  qci.queueCount = 1;
  qci.pQueuePriorities = &priority;
  VkDeviceCreateInfo dci{};
  dci.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
  dci.queueCreateInfoCount = 1;
  dci.pQueueCreateInfos = &qci;
  VkResult r = api_.vkCreateDevice(physical_, &dci, nullptr, &device_);
  if (r != VK_SUCCESS) return make_error("vkCreateDevice on " + choice_.name + " failed: " + result_name(r));
  std::string why;
  if (!load_device(api_, device_, why)) return make_error(why);
  api_.vkGetDeviceQueue(device_, queue_family_, 0, &queue_);

  VkDescriptorSetLayoutBinding bindings[kBindings];
  for (int i = 0; i < kBindings; ++i) {
    bindings[i] = VkDescriptorSetLayoutBinding{static_cast<uint32_t>(i), VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1,
                                               VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
  }
  VkDescriptorSetLayoutCreateInfo lci{};
  lci.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO;
  lci.bindingCount = kBindings;
  lci.pBindings = bindings;
  if (api_.vkCreateDescriptorSetLayout(device_, &lci, nullptr, &set_layout_) != VK_SUCCESS) {
    return make_error("vkCreateDescriptorSetLayout failed");
  }
  VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, kPushBytes};
  VkPipelineLayoutCreateInfo pci{};
  pci.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO;
  pci.setLayoutCount = 1;
  pci.pSetLayouts = &set_layout_;
  pci.pushConstantRangeCount = 1;
  pci.pPushConstantRanges = &range;
  if (api_.vkCreatePipelineLayout(device_, &pci, nullptr, &pipeline_layout_) != VK_SUCCESS) {
    return make_error("vkCreatePipelineLayout failed");
  }
  for (int k = 0; k < static_cast<int>(Kernel::Count); ++k) {
    auto p = build_pipeline(static_cast<Kernel>(k));
    if (!p) return p.error();
    pipelines_.push_back(p.value());
  }

  VkCommandPoolCreateInfo cpi{};
  cpi.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO;
  cpi.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  cpi.queueFamilyIndex = queue_family_;
  if (api_.vkCreateCommandPool(device_, &cpi, nullptr, &command_pool_) != VK_SUCCESS) {
    return make_error("vkCreateCommandPool failed");
  }
  VkCommandBuffer cmds[2];
  VkCommandBufferAllocateInfo cai{};
  cai.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
  cai.commandPool = command_pool_;
  cai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  cai.commandBufferCount = 2;
  if (api_.vkAllocateCommandBuffers(device_, &cai, cmds) != VK_SUCCESS) {
    return make_error("vkAllocateCommandBuffers failed");
  }
  pass_cmd_ = cmds[0];
  upload_cmd_ = cmds[1];
  VkFenceCreateInfo fci{};
  fci.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
  if (api_.vkCreateFence(device_, &fci, nullptr, &fence_) != VK_SUCCESS) return make_error("vkCreateFence failed");

  const char* profile = std::getenv("TALLY_VULKAN_PROFILE");
  profile_ = profile && *profile && *profile != '0';
  profile_ms_.assign(static_cast<size_t>(Kernel::Count), 0.0);
  profile_calls_.assign(static_cast<size_t>(Kernel::Count), 0);
  auto dummy = create_device_buffer(256, "placeholder");
  if (!dummy) return dummy.error();
  dummy_ = dummy.value();
  return {};
}

Device::~Device() {
  if (profile_) {
    for (int k = 0; k < static_cast<int>(Kernel::Count); ++k) {
      if (profile_calls_[k]) {
        std::fprintf(stderr, "vulkan profile: %-18s %8llu calls %10.2f ms\n", kKernelNames[k],
                     static_cast<unsigned long long>(profile_calls_[k]), profile_ms_[k]);
      }
    }
  }
  if (device_) {
    api_.vkDeviceWaitIdle(device_);
    destroy(staging_);
    destroy(dummy_);
    if (fence_) api_.vkDestroyFence(device_, fence_, nullptr);
    if (command_pool_) api_.vkDestroyCommandPool(device_, command_pool_, nullptr);
    for (VkDescriptorPool p : pools_) api_.vkDestroyDescriptorPool(device_, p, nullptr);
    for (VkPipeline p : pipelines_) api_.vkDestroyPipeline(device_, p, nullptr);
    if (pipeline_layout_) api_.vkDestroyPipelineLayout(device_, pipeline_layout_, nullptr);
    if (set_layout_) api_.vkDestroyDescriptorSetLayout(device_, set_layout_, nullptr);
    api_.vkDestroyDevice(device_, nullptr);
  }
  if (instance_) api_.vkDestroyInstance(instance_, nullptr);
}

Result<VkPipeline> Device::build_pipeline(Kernel k) {
  const char* name = kKernelNames[static_cast<int>(k)];
  const Spirv* code = find_spirv(name);
  if (!code) return make_error(std::string("shader ") + name + " is missing from this build");
  std::vector<uint32_t> words(code->size / 4);
  std::memcpy(words.data(), code->data, words.size() * 4);
  VkShaderModuleCreateInfo sci{};
  sci.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO;
  sci.codeSize = words.size() * 4;
  sci.pCode = words.data();
  VkShaderModule module = VK_NULL_HANDLE;
  VkResult r = api_.vkCreateShaderModule(device_, &sci, nullptr, &module);
  if (r != VK_SUCCESS) return make_error(std::string("shader ") + name + ": " + result_name(r));
  VkComputePipelineCreateInfo ci{};
  ci.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO;
  ci.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  ci.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  ci.stage.module = module;
  ci.stage.pName = "main";
  ci.layout = pipeline_layout_;
  VkPipeline pipeline = VK_NULL_HANDLE;
  r = api_.vkCreateComputePipelines(device_, VK_NULL_HANDLE, 1, &ci, nullptr, &pipeline);
  api_.vkDestroyShaderModule(device_, module, nullptr);
  if (r != VK_SUCCESS) return make_error(std::string("pipeline ") + name + ": " + result_name(r));
  return pipeline;
}

int Device::memory_type(uint32_t bits, bool host) const {
  int best = -1;
  uint64_t best_heap = 0;
  for (uint32_t i = 0; i < memory_.memoryTypeCount; ++i) {
    if (!(bits & (1u << i))) continue;
    const VkMemoryPropertyFlags f = memory_.memoryTypes[i].propertyFlags;
    if (host) {
      const VkMemoryPropertyFlags need = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
      if ((f & need) == need) return static_cast<int>(i);
      continue;
    }
    if (!(f & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT)) continue;
    // The largest device-local heap: not the small host-visible window some drivers also mark device-local.
    const uint64_t heap = memory_.memoryHeaps[memory_.memoryTypes[i].heapIndex].size;
    if (best < 0 || heap > best_heap) {
      best = static_cast<int>(i);
      best_heap = heap;
    }
  }
  if (best < 0 && !host) return memory_type(bits, true);
  return best;
}

Result<Buffer> Device::create_buffer(uint64_t bytes, bool host, const std::string& what) {
  Buffer b;
  b.size = std::max<uint64_t>(bytes, 4);
  VkBufferCreateInfo bci{};
  bci.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
  bci.size = b.size;
  bci.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  bci.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkResult r = api_.vkCreateBuffer(device_, &bci, nullptr, &b.buffer);
  if (r != VK_SUCCESS) return make_error("Vulkan buffer for " + what + ": " + result_name(r));
  VkMemoryRequirements req;
  api_.vkGetBufferMemoryRequirements(device_, b.buffer, &req);
  const int type = memory_type(req.memoryTypeBits, host);
  if (type < 0) {
    destroy(b);
    return make_error("no suitable Vulkan memory type for " + what);
  }
  VkMemoryAllocateInfo mai{};
  mai.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
  mai.allocationSize = req.size;
  mai.memoryTypeIndex = static_cast<uint32_t>(type);
  r = api_.vkAllocateMemory(device_, &mai, nullptr, &b.memory);
  if (r != VK_SUCCESS) {
    destroy(b);
    return make_error("out of " + std::string(host ? "host-visible" : "GPU") + " memory on " + choice_.name +
                      ": " + what + " needs " + gib(req.size) + " with " + gib(allocated_) + " already held of a " +
                      gib(choice_.budget) + " budget (" + result_name(r) + ")");
  }
  api_.vkBindBufferMemory(device_, b.buffer, b.memory, 0);
  if (memory_.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) {
    void* p = nullptr;
    if (api_.vkMapMemory(device_, b.memory, 0, VK_WHOLE_SIZE, 0, &p) == VK_SUCCESS) b.mapped = static_cast<uint8_t*>(p);
  }
  // Mapped non-coherent memory would need flushes: treat it as unmapped.
  if (b.mapped && !(memory_.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)) {
    api_.vkUnmapMemory(device_, b.memory);
    b.mapped = nullptr;
  }
  allocated_ += req.size;
  return b;
}

Result<Buffer> Device::create_device_buffer(uint64_t bytes, const std::string& what) {
  return create_buffer(bytes, false, what);
}

Result<Buffer> Device::create_host_buffer(uint64_t bytes, const std::string& what) {
  return create_buffer(bytes, true, what);
}

void Device::destroy(Buffer& b) {
  if (b.buffer) api_.vkDestroyBuffer(device_, b.buffer, nullptr);
  if (b.memory) {
    api_.vkFreeMemory(device_, b.memory, nullptr);
    allocated_ -= std::min(allocated_, b.size);
  }
  b = Buffer{};
}

Result<void> Device::submit_and_wait(VkCommandBuffer cmd) {
  VkSubmitInfo si{};
  si.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
  si.commandBufferCount = 1;
  si.pCommandBuffers = &cmd;
  VkResult r = api_.vkQueueSubmit(queue_, 1, &si, fence_);
  if (r != VK_SUCCESS) return make_error(std::string("vkQueueSubmit failed: ") + result_name(r));
  r = api_.vkWaitForFences(device_, 1, &fence_, VK_TRUE, UINT64_MAX);
  api_.vkResetFences(device_, 1, &fence_);
  if (r != VK_SUCCESS) return make_error(std::string("waiting for the GPU failed: ") + result_name(r));
  return {};
}

Result<void> Device::upload(const Buffer& dst, uint64_t offset, const void* src, uint64_t bytes) {
  if (dst.mapped) {
    std::memcpy(dst.mapped + offset, src, bytes);
    return {};
  }
  constexpr uint64_t kChunk = uint64_t{64} << 20;
  if (!staging_.buffer) {
    auto s = create_host_buffer(kChunk, "the upload staging buffer");
    if (!s) return s.error();
    staging_ = s.value();
  }
  const auto* p = static_cast<const uint8_t*>(src);
  for (uint64_t done = 0; done < bytes; done += kChunk) {
    const uint64_t n = std::min(kChunk, bytes - done);
    std::memcpy(staging_.mapped, p + done, n);
    VkCommandBufferBeginInfo bi{};
    bi.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    api_.vkResetCommandBuffer(upload_cmd_, 0);
    api_.vkBeginCommandBuffer(upload_cmd_, &bi);
    VkBufferCopy region{0, offset + done, n};
    api_.vkCmdCopyBuffer(upload_cmd_, staging_.buffer, dst.buffer, 1, &region);
    api_.vkEndCommandBuffer(upload_cmd_);
    if (auto ok = submit_and_wait(upload_cmd_); !ok) return ok;
  }
  return {};
}

void Device::begin_if_needed() {
  if (recording_) return;
  VkCommandBufferBeginInfo bi{};
  bi.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
  bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  api_.vkResetCommandBuffer(pass_cmd_, 0);
  api_.vkBeginCommandBuffer(pass_cmd_, &bi);
  recording_ = true;
  dirty_ = false;
}

VkDescriptorSet Device::allocate_set() {
  constexpr uint32_t kSets = 1024;
  for (;;) {
    if (pool_in_use_ == pools_.size()) {
      VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, kSets * kBindings};
      VkDescriptorPoolCreateInfo ci{};
      ci.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO;
      ci.maxSets = kSets;
      ci.poolSizeCount = 1;
      ci.pPoolSizes = &size;
      VkDescriptorPool pool = VK_NULL_HANDLE;
      if (api_.vkCreateDescriptorPool(device_, &ci, nullptr, &pool) != VK_SUCCESS) return VK_NULL_HANDLE;
      pools_.push_back(pool);
    }
    VkDescriptorSetAllocateInfo ai{};
    ai.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO;
    ai.descriptorPool = pools_[pool_in_use_];
    ai.descriptorSetCount = 1;
    ai.pSetLayouts = &set_layout_;
    VkDescriptorSet set = VK_NULL_HANDLE;
    if (api_.vkAllocateDescriptorSets(device_, &ai, &set) == VK_SUCCESS) return set;
    ++pool_in_use_;  // full: the next pool
  }
}

namespace {

void full_barrier(const Api& api, VkCommandBuffer cmd) {
  VkMemoryBarrier mb{};
  mb.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER;
  mb.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  mb.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                     VK_ACCESS_TRANSFER_WRITE_BIT;
  const VkPipelineStageFlags stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
  api.vkCmdPipelineBarrier(cmd, stages, stages, 0, 1, &mb, 0, nullptr, 0, nullptr);
}

}  // namespace

void Device::dispatch(Kernel k, std::initializer_list<const Buffer*> buffers, const void* push, size_t push_bytes,
                      uint32_t gx, uint32_t gy, uint32_t gz) {
  if (gx == 0 || gy == 0 || gz == 0) return;
  begin_if_needed();
  VkDescriptorSet set = allocate_set();
  if (!set) {
    if (failure_.empty()) failure_ = "could not allocate a Vulkan descriptor set";
    return;
  }
  VkDescriptorBufferInfo infos[kBindings];
  VkWriteDescriptorSet writes[kBindings];
  int i = 0;
  for (const Buffer* b : buffers) {
    if (i == kBindings) break;
    infos[i] = VkDescriptorBufferInfo{(b && b->buffer) ? b->buffer : dummy_.buffer, 0, VK_WHOLE_SIZE};
    ++i;
  }
  for (; i < kBindings; ++i) infos[i] = VkDescriptorBufferInfo{dummy_.buffer, 0, VK_WHOLE_SIZE};
  for (int j = 0; j < kBindings; ++j) {
    writes[j] = VkWriteDescriptorSet{};
    writes[j].sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
    writes[j].dstSet = set;
    writes[j].dstBinding = static_cast<uint32_t>(j);
    writes[j].descriptorCount = 1;
    writes[j].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    writes[j].pBufferInfo = &infos[j];
  }
  api_.vkUpdateDescriptorSets(device_, kBindings, writes, 0, nullptr);
  if (dirty_) full_barrier(api_, pass_cmd_);
  api_.vkCmdBindPipeline(pass_cmd_, VK_PIPELINE_BIND_POINT_COMPUTE, pipelines_[static_cast<int>(k)]);
  api_.vkCmdBindDescriptorSets(pass_cmd_, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline_layout_, 0, 1, &set, 0, nullptr);
  uint8_t block[kPushBytes] = {};
  std::memcpy(block, push, std::min<size_t>(push_bytes, kPushBytes));
  api_.vkCmdPushConstants(pass_cmd_, pipeline_layout_, VK_SHADER_STAGE_COMPUTE_BIT, 0, kPushBytes, block);
  api_.vkCmdDispatch(pass_cmd_, gx, gy, gz);
  dirty_ = true;
  if (profile_) {
    const auto t0 = std::chrono::steady_clock::now();
    if (auto ok = flush(); !ok && failure_.empty()) failure_ = ok.error().message;
    profile_ms_[static_cast<int>(k)] +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    ++profile_calls_[static_cast<int>(k)];
  }
}

void Device::copy(const Buffer& src, uint64_t src_offset, const Buffer& dst, uint64_t dst_offset, uint64_t bytes) {
  if (bytes == 0) return;
  begin_if_needed();
  if (dirty_) full_barrier(api_, pass_cmd_);
  VkBufferCopy region{src_offset, dst_offset, bytes};
  api_.vkCmdCopyBuffer(pass_cmd_, src.buffer, dst.buffer, 1, &region);
  dirty_ = true;
}

Result<void> Device::flush() {
  if (!recording_) return {};
  // Everything written becomes visible to the host once the fence signals (read_rows reads mapped memory).
  VkMemoryBarrier mb{};
  mb.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER;
  mb.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  mb.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
  api_.vkCmdPipelineBarrier(pass_cmd_, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                            VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb, 0, nullptr, 0, nullptr);
  api_.vkEndCommandBuffer(pass_cmd_);
  recording_ = false;
  dirty_ = false;
  auto ok = submit_and_wait(pass_cmd_);
  for (size_t i = 0; i <= pool_in_use_ && i < pools_.size(); ++i) api_.vkResetDescriptorPool(device_, pools_[i], 0);
  pool_in_use_ = 0;
  if (!failure_.empty()) {
    std::string f = failure_;
    failure_.clear();
    return make_error(f);
  }
  return ok;
}

}  // namespace tally::backend::vk
