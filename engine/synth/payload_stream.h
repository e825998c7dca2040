#pragma once
// Writes a file's tensor data as a stream: each payload knows how to produce any run of its units (an element, a
// quantized block), so the data is generated chunk by chunk on every core while the previous chunk is written.
// Memory stays at two chunk buffers whatever the file size (the 20b model is 12 GB).
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "tally/result.h"

namespace tally::synth {

struct Payload {
  std::string name;     // for messages
  uint64_t units = 0;   // elements or blocks
  uint64_t unit_bytes = 1;
  uint64_t pad_after = 0;  // zero bytes that follow (GGUF alignment)
  // Writes units [first, first + count) to out (count * unit_bytes bytes).
  std::function<void(uint64_t first, uint64_t count, uint8_t* out)> fill;

  uint64_t bytes() const { return units * unit_bytes; }
};

// Progress in [0, 1]; called from the writing thread.
using SynthProgress = std::function<void(double)>;

// Appends every payload to `file` (already positioned after the header). `threads` 0 = all cores.
Result<void> write_payloads(std::FILE* file, const std::string& path, const std::vector<Payload>& payloads,
                            unsigned threads = 0, const SynthProgress& progress = {});

// Opens `path + ".partial"` for writing; commit_file() closes it and renames it into place, so a failed or
// interrupted run never leaves a file that looks complete.
Result<std::FILE*> open_partial(const std::string& path);
Result<void> commit_file(std::FILE* file, const std::string& path);
void abandon_file(std::FILE* file, const std::string& path);

Result<void> write_bytes(std::FILE* file, const std::string& path, const void* data, size_t n);

}  // namespace tally::synth
