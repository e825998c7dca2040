#pragma once
// A read-only memory mapping of a whole model file. Weight matrices point straight into it, so ModelWeights keeps
// a shared_ptr to every mapping it uses (the type is declared in model/weights.h for that reason).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "tally/result.h"

namespace tally::model {

class MappedFile {
 public:
  // Maps `path` read-only. An empty file maps to an empty span (mmap refuses length 0).
  static Result<std::shared_ptr<const MappedFile>> open(const std::string& path);

  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  std::span<const uint8_t> bytes() const { return {data_, size_}; }
  const std::string& path() const { return path_; }

 private:
  MappedFile(std::string path, const uint8_t* data, size_t size) : path_(std::move(path)), data_(data), size_(size) {}
  std::string path_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace tally::model
