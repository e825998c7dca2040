#pragma once
// A deliberately independent little GGUF reader for synth's tests: it re-parses what the writer wrote (header,
// metadata, tensor table) with bounds checks, so a writer bug cannot hide behind shared code.
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace tally::testing {

struct GgufProbe {
  struct Value {
    uint32_t type = 0;
    uint64_t u = 0;           // unsigned scalars and bool
    int64_t i = 0;            // signed scalars
    double f = 0;             // floats
    std::string s;            // strings
    uint32_t array_type = 0;  // arrays
    std::vector<std::string> strings;
    std::vector<int64_t> ints;
  };
  struct Tensor {
    std::string name;
    std::vector<uint64_t> dims;
    uint32_t type = 0;
    uint64_t offset = 0;  // relative to data_start
  };
  uint32_t version = 0;
  std::map<std::string, Value> meta;
  std::vector<std::string> key_order;
  std::vector<Tensor> tensors;
  uint64_t data_start = 0;
  std::string error;

  const Tensor* tensor(const std::string& name) const {
    for (const Tensor& t : tensors) {
      if (t.name == name) return &t;
    }
    return nullptr;
  }

  static GgufProbe parse(const std::string& bytes, uint64_t alignment = 32) {
    GgufProbe g;
    size_t p = 0;
    bool ok = true;
    auto take = [&](void* out, size_t n) {
      if (!ok || bytes.size() - p < n || p > bytes.size()) {
        ok = false;
        return;
      }
      std::memcpy(out, bytes.data() + p, n);
      p += n;
    };
    auto u32 = [&] { uint32_t v = 0; take(&v, 4); return v; };
    auto u64 = [&] { uint64_t v = 0; take(&v, 8); return v; };
    auto str = [&] {
      const uint64_t n = u64();
      if (!ok || n > bytes.size() - p) {
        ok = false;
        return std::string();
      }
      std::string s = bytes.substr(p, n);
      p += n;
      return s;
    };
    auto scalar = [&](uint32_t type, Value& v) {
      static const int size[] = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};
      if (type == 8) {
        v.s = str();
        return;
      }
      if (type > 12 || size[type] == 0) {
        ok = false;
        return;
      }
      uint64_t raw = 0;
      take(&raw, static_cast<size_t>(size[type]));
      v.u = raw;
      const int bits = size[type] * 8;
      v.i = bits == 64 ? static_cast<int64_t>(raw) : static_cast<int64_t>(raw << (64 - bits)) >> (64 - bits);
      if (type == 6) {
        float f;
        std::memcpy(&f, &raw, 4);
        v.f = f;
      } else if (type == 12) {
        std::memcpy(&v.f, &raw, 8);
      }
    };
    char magic[4] = {};
    take(magic, 4);
    if (!ok || std::memcmp(magic, "GGUF", 4) != 0) {
      g.error = "bad magic";
      return g;
    }
    g.version = u32();
    const uint64_t n_tensors = u64(), n_kv = u64();
    for (uint64_t k = 0; ok && k < n_kv; ++k) {
      const std::string key = str();
      Value v;
      v.type = u32();
      if (v.type == 9) {
        v.array_type = u32();
        const uint64_t n = u64();
        for (uint64_t j = 0; ok && j < n; ++j) {
          Value e;
          scalar(v.array_type, e);
          if (v.array_type == 8) v.strings.push_back(std::move(e.s));
          else v.ints.push_back(e.i);
        }
      } else {
        scalar(v.type, v);
      }
      g.key_order.push_back(key);
      g.meta[key] = std::move(v);
    }
    for (uint64_t t = 0; ok && t < n_tensors; ++t) {
      Tensor info;
      info.name = str();
      const uint32_t nd = u32();
      if (nd > 4) ok = false;
      for (uint32_t d = 0; ok && d < nd; ++d) info.dims.push_back(u64());
      info.type = u32();
      info.offset = u64();
      g.tensors.push_back(std::move(info));
    }
    if (!ok) {
      g.error = "truncated at byte " + std::to_string(p);
      return g;
    }
    g.data_start = (p + alignment - 1) / alignment * alignment;
    return g;
  }
};

}  // namespace tally::testing
