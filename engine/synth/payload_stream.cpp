#include "synth/payload_stream.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <future>
#include <thread>

namespace tally::synth {

namespace {

// Big enough that thread start-up and write calls are noise, small enough that two fit anywhere.
constexpr uint64_t kChunkBytes = 64ull << 20;
// Work items inside a chunk, so threads balance even when one payload is slow to generate.
constexpr uint64_t kJobBytes = 1ull << 20;

struct Job {
  const Payload* payload = nullptr;  // null: zero padding
  uint64_t first = 0;
  uint64_t count = 0;  // units, or bytes for padding
  uint64_t offset = 0;  // in the chunk buffer
};

struct Chunk {
  std::vector<Job> jobs;
  uint64_t bytes = 0;
};

// Cuts the payloads into chunks of about kChunkBytes made of jobs of about kJobBytes, on unit boundaries.
std::vector<Chunk> plan_chunks(const std::vector<Payload>& payloads) {
  std::vector<Chunk> chunks(1);
  auto add = [&](const Payload* p, uint64_t first, uint64_t count, uint64_t nbytes) {
    if (chunks.back().bytes + nbytes > kChunkBytes && chunks.back().bytes > 0) chunks.emplace_back();
    Chunk& c = chunks.back();
    c.jobs.push_back({p, first, count, c.bytes});
    c.bytes += nbytes;
  };
  for (const Payload& p : payloads) {
    const uint64_t per_job = std::max<uint64_t>(1, kJobBytes / p.unit_bytes);
    for (uint64_t u = 0; u < p.units; u += per_job) {
      const uint64_t n = std::min(per_job, p.units - u);
      add(&p, u, n, n * p.unit_bytes);
    }
    if (p.pad_after > 0) add(nullptr, 0, p.pad_after, p.pad_after);
  }
  if (chunks.back().bytes == 0) chunks.pop_back();
  return chunks;
}

void generate(const Chunk& chunk, uint8_t* buffer, unsigned threads) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t j = next++; j < chunk.jobs.size(); j = next++) {
      const Job& job = chunk.jobs[j];
      if (job.payload == nullptr) {
        std::memset(buffer + job.offset, 0, job.count);
      } else {
        job.payload->fill(job.first, job.count, buffer + job.offset);
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace

Result<void> write_bytes(std::FILE* file, const std::string& path, const void* data, size_t n) {
  if (n > 0 && std::fwrite(data, 1, n, file) != n) {
    return make_error(path + ": write failed: " + std::strerror(errno));
  }
  return {};
}

Result<void> write_payloads(std::FILE* file, const std::string& path, const std::vector<Payload>& payloads,
                            unsigned threads, const SynthProgress& progress) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const std::vector<Chunk> chunks = plan_chunks(payloads);
  uint64_t total = 0;
  for (const Chunk& c : chunks) total += c.bytes;

  std::vector<uint8_t> buffers[2];
  std::future<Result<void>> pending;
  uint64_t written = 0;
  for (size_t i = 0; i < chunks.size(); ++i) {
    std::vector<uint8_t>& buf = buffers[i % 2];
    buf.resize(chunks[i].bytes);
    generate(chunks[i], buf.data(), threads);
    if (pending.valid()) {
      Result<void> r = pending.get();
      if (!r) return r;
      written += chunks[i - 1].bytes;
      if (progress) progress(static_cast<double>(written) / static_cast<double>(total));
    }
    pending = std::async(std::launch::async, [&buf, file, &path] { return write_bytes(file, path, buf.data(), buf.size()); });
  }
  if (pending.valid()) {
    Result<void> r = pending.get();
    if (!r) return r;
  }
  if (progress) progress(1.0);
  return {};
}

Result<std::FILE*> open_partial(const std::string& path) {
  const std::string tmp = path + ".partial";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return make_error(tmp + ": cannot open for writing: " + std::strerror(errno));
  return f;
}

Result<void> commit_file(std::FILE* file, const std::string& path) {
  const std::string tmp = path + ".partial";
  if (std::fflush(file) != 0 || std::ferror(file)) {
    std::fclose(file);
    return make_error(tmp + ": write failed: " + std::strerror(errno));
  }
  if (std::fclose(file) != 0) return make_error(tmp + ": close failed: " + std::strerror(errno));
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return make_error(path + ": cannot rename from " + tmp + ": " + ec.message());
  return {};
}

void abandon_file(std::FILE* file, const std::string& path) {
  std::fclose(file);
  std::error_code ec;
  std::filesystem::remove(path + ".partial", ec);
}

}  // namespace tally::synth
