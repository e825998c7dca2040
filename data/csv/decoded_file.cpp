#include "decoded_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace tally::data {

Result<DecodedFile> DecodedFile::open(const std::string& path, const DetectedEncoding& encoding,
                                      std::size_t chunk_bytes, Sha256* hash) {
  auto decoder = TextDecoder::create(encoding.name);
  if (!decoder) return make_error(path + ": " + decoder.error().message);
  std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "rb"));
  if (!file) return make_error("cannot open '" + path + "': " + std::strerror(errno));
  DecodedFile f(std::move(file), std::move(*decoder));
  f.path_ = path;
  f.raw_.resize(std::max<std::size_t>(chunk_bytes, 4096));
  f.skip_ = encoding.bom_length;
  f.hash_ = hash;
  return f;
}

Result<bool> DecodedFile::next(std::string& utf8) {
  utf8.clear();
  while (!done_ && utf8.empty()) {
    const std::size_t n = std::fread(raw_.data(), 1, raw_.size(), file_.get());
    if (n < raw_.size()) {
      if (std::ferror(file_.get())) return make_error("cannot read '" + path_ + "': " + std::strerror(errno));
      done_ = true;
    }
    std::string_view chunk(raw_.data(), n);
    if (hash_) hash_->update(chunk);
    bytes_read_ += n;
    const std::size_t skip = std::min(skip_, chunk.size());
    chunk.remove_prefix(skip);
    skip_ -= skip;
    if (auto s = decoder_.decode(chunk, utf8, done_); !s) return make_error(path_ + ": " + s.error().message);
  }
  return !utf8.empty();
}

Result<FileSample> read_file_sample(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return make_error("'" + path + "' is a folder, not a file");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return make_error("cannot open '" + path + "': " + std::strerror(errno));
  FileSample s;
  s.bytes.resize(max_bytes + 1);
  const std::size_t n = std::fread(s.bytes.data(), 1, s.bytes.size(), file.get());
  if (std::ferror(file.get())) return make_error("cannot read '" + path + "': " + std::strerror(errno));
  s.complete = n <= max_bytes;
  s.bytes.resize(std::min(n, max_bytes));
  const auto size = std::filesystem::file_size(path, ec);
  s.file_size = ec ? n : size;
  return s;
}

}  // namespace tally::data
