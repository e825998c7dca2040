// The probe and backend selection: Vulkan explains why it is unusable, the app runs without a loader or device, and
// --backend auto never takes a software device.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "backend/vulkan/vulkan_backend.h"
#include "engine_internal.h"
#include "fixtures.h"

namespace tally {
namespace {

TEST(VulkanProbe, ExplainsItself) {
  const auto& p = backend::vulkan_probe();
  if (p.usable) {
    EXPECT_FALSE(p.device.empty());
    std::printf("[ vulkan ] device: %s%s\n", p.device.c_str(), p.cpu_device ? " (software)" : "");
  } else {
    EXPECT_FALSE(p.reason.empty());
    auto b = backend::make_vulkan_backend();
    ASSERT_FALSE(b.ok());
    EXPECT_NE(b.error().message.find("Vulkan"), std::string::npos) << b.error().message;
  }
}

// A fresh process (the probe is cached per process) whose loader finds no driver: the probe says so, the backend
// refuses with the reason, and nothing crashes.
TEST(VulkanProbe, NoDriverGivesAReason) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("VK_ICD_FILENAMES", "/nonexistent/icd.json", 1);
        setenv("VK_DRIVER_FILES", "/nonexistent/icd.json", 1);
        const auto& p = backend::vulkan_probe();
        auto b = backend::make_vulkan_backend();
        std::fprintf(stderr, "probe: usable=%d reason=[%s] backend error=[%s]\n", p.usable ? 1 : 0, p.reason.c_str(),
                     b.ok() ? "" : b.error().message.c_str());
        std::exit(!p.usable && !p.reason.empty() && !b.ok() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "probe: usable=0 reason=\\[.+\\]");
}

TEST(VulkanProbe, DeviceOverrideThatMatchesNothingIsAnError) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("TALLY_VULKAN_DEVICE", "no-such-gpu-anywhere", 1);
        const auto& p = backend::vulkan_probe();
        std::fprintf(stderr, "reason=[%s]\n", p.reason.c_str());
        std::exit(p.usable ? 1 : 0);
      },
      ::testing::ExitedWithCode(0), "reason=\\[.*(TALLY_VULKAN_DEVICE|loader|device).*\\]");
}

TEST(VulkanProbe, AutoNeverPicksASoftwareDevice) {
  const auto& p = backend::vulkan_probe();
  if (!p.usable || !p.cpu_device) GTEST_SKIP() << "needs a software Vulkan device only (lavapipe)";
  const std::string path = testing::tiny_synth_gguf();
  if (path.empty()) GTEST_SKIP() << "synth unavailable";
  EngineOptions o;
  o.backend = "auto";
  auto m = Model::load(path, o);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_NE((*m)->backend_name(), "vulkan");
  o.backend = "vulkan";
  auto v = Model::load(path, o);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ((*v)->backend_name(), "vulkan");
}

}  // namespace
}  // namespace tally
