#pragma once
// The compute shaders, compiled by glslc at build time and embedded by embed_spirv.cmake (vk_spirv_data.cpp).
#include <cstddef>

namespace tally::backend::vk {

struct Spirv {
  const char* name;  // the shader's file name without .comp
  const unsigned char* data;
  size_t size;
};

// nullptr when the build has no shader of that name.
const Spirv* find_spirv(const char* name);

}  // namespace tally::backend::vk
