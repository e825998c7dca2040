#pragma once
// Reads a file in chunks and hands out its text as UTF-8, decoding as it goes (the whole file is never held in
// memory). Optionally feeds the raw bytes to a hash on the way.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "sha256.h"
#include "tally/data/result.h"
#include "tally/data/text_encoding.h"

namespace tally::data {

class DecodedFile {
 public:
  static Result<DecodedFile> open(const std::string& path, const DetectedEncoding& encoding,
                                  std::size_t chunk_bytes, Sha256* hash = nullptr);

  // Replaces `utf8` with the next decoded chunk; false at the end of the file. Errors name the file.
  Result<bool> next(std::string& utf8);
  std::uint64_t bytes_read() const { return bytes_read_; }

 private:
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  DecodedFile(std::unique_ptr<std::FILE, Closer> file, TextDecoder decoder)
      : file_(std::move(file)), decoder_(std::move(decoder)) {}

  std::unique_ptr<std::FILE, Closer> file_;
  TextDecoder decoder_;
  std::string path_;
  std::string raw_;
  std::size_t skip_ = 0;  // BOM bytes still to skip
  std::uint64_t bytes_read_ = 0;
  Sha256* hash_ = nullptr;
  bool done_ = false;
};

// Reads up to `max_bytes` from the start of a file; `complete` says whether that was all of it.
struct FileSample {
  std::string bytes;
  bool complete = false;
  std::uint64_t file_size = 0;
};
Result<FileSample> read_file_sample(const std::string& path, std::size_t max_bytes);

}  // namespace tally::data
