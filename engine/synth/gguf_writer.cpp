#include "synth/gguf_writer.h"

#include <bit>
#include <cstring>

namespace tally::synth {

namespace {

enum ValueType : uint32_t { kU32 = 4, kI32 = 5, kF32 = 6, kBool = 7, kString = 8, kArray = 9 };

template <typename T>
void put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));  // GGUF is little-endian, like every host Tally targets
  out.append(b, sizeof(T));
}

void put_string(std::string& out, const std::string& s) {
  put<uint64_t>(out, s.size());
  out += s;
}

uint64_t align_up(uint64_t n) { return (n + kGgufAlignment - 1) / kGgufAlignment * kGgufAlignment; }

std::string tensor_table(const std::vector<GgufTensor>& tensors) {
  std::string out;
  uint64_t offset = 0;
  for (const GgufTensor& t : tensors) {
    put_string(out, t.name);
    put<uint32_t>(out, static_cast<uint32_t>(t.dims.size()));
    for (int64_t d : t.dims) put<uint64_t>(out, static_cast<uint64_t>(d));
    put<uint32_t>(out, static_cast<uint32_t>(t.type));
    put<uint64_t>(out, offset);
    offset = align_up(offset + t.payload.bytes());
  }
  return out;
}

std::string file_header(const GgufMetadata& meta, const std::vector<GgufTensor>& tensors) {
  std::string h = "GGUF";
  put<uint32_t>(h, 3);
  put<uint64_t>(h, tensors.size());
  put<uint64_t>(h, meta.count());
  h += meta.bytes();
  h += tensor_table(tensors);
  h.resize(align_up(h.size()), '\0');
  return h;
}

}  // namespace

void GgufMetadata::key(const std::string& k, uint32_t type) {
  put_string(bytes_, k);
  put<uint32_t>(bytes_, type);
  ++count_;
}

void GgufMetadata::add_u32(const std::string& k, uint32_t v) {
  key(k, kU32);
  put(bytes_, v);
}
void GgufMetadata::add_i32(const std::string& k, int32_t v) {
  key(k, kI32);
  put(bytes_, v);
}
void GgufMetadata::add_f32(const std::string& k, float v) {
  key(k, kF32);
  put(bytes_, v);
}
void GgufMetadata::add_bool(const std::string& k, bool v) {
  key(k, kBool);
  put<uint8_t>(bytes_, v ? 1 : 0);
}
void GgufMetadata::add_string(const std::string& k, const std::string& v) {
  key(k, kString);
  put_string(bytes_, v);
}
void GgufMetadata::add_strings(const std::string& k, const std::vector<std::string>& v) {
  key(k, kArray);
  put<uint32_t>(bytes_, kString);
  put<uint64_t>(bytes_, v.size());
  for (const std::string& s : v) put_string(bytes_, s);
}
void GgufMetadata::add_i32s(const std::string& k, const std::vector<int32_t>& v) {
  key(k, kArray);
  put<uint32_t>(bytes_, kI32);
  put<uint64_t>(bytes_, v.size());
  for (int32_t x : v) put(bytes_, x);
}

uint64_t gguf_file_size(const GgufMetadata& meta, const std::vector<GgufTensor>& tensors) {
  uint64_t n = file_header(meta, tensors).size();
  for (const GgufTensor& t : tensors) n += align_up(t.payload.bytes());
  return n;
}

Result<void> write_gguf(const std::string& path, const GgufMetadata& meta, std::vector<GgufTensor> tensors,
                        unsigned threads, const SynthProgress& progress) {
  const std::string header = file_header(meta, tensors);
  std::vector<Payload> payloads;
  payloads.reserve(tensors.size());
  for (GgufTensor& t : tensors) {
    Payload p = std::move(t.payload);
    // Every tensor, the last included, is padded to the alignment (as gguf-py writes it).
    p.pad_after = align_up(p.bytes()) - p.bytes();
    payloads.push_back(std::move(p));
  }
  Result<std::FILE*> file = open_partial(path);
  if (!file) return file.error();
  Result<void> r = write_bytes(*file, path, header.data(), header.size());
  if (r) r = write_payloads(*file, path, payloads, threads, progress);
  if (!r) {
    abandon_file(*file, path);
    return r;
  }
  return commit_file(*file, path);
}

}  // namespace tally::synth
