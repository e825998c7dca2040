#include "zip_archive.h"

#include <zip.h>

#include <vector>

namespace tally::data {

void ZipArchive::Closer::operator()(zip* z) const {
  if (z) zip_discard(z);
}

Result<ZipArchive> ZipArchive::open(const std::string& path, const WorkbookLimits& limits) {
  int code = 0;
  zip* z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (!z) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (code == ZIP_ER_NOZIP) return make_error(path + ": not a workbook (not a zip archive)");
    if (code == ZIP_ER_NOENT || code == ZIP_ER_OPEN || code == ZIP_ER_READ) return make_error(path + ": cannot read the file: " + why);
    return make_error(path + ": damaged workbook archive (" + why + ")");
  }
  return ZipArchive(path, z, limits);
}

bool ZipArchive::has(const std::string& part) const { return zip_name_locate(zip_.get(), part.c_str(), 0) >= 0; }

std::optional<std::uint64_t> ZipArchive::declared_size(const std::string& part) const {
  const zip_int64_t index = zip_name_locate(zip_.get(), part.c_str(), 0);
  if (index < 0) return std::nullopt;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
    return std::nullopt;
  }
  return st.size;
}

Status ZipArchive::read(const std::string& part, const std::function<Status(std::string_view chunk)>& sink) {
  const zip_int64_t index = zip_name_locate(zip_.get(), part.c_str(), 0);
  if (index < 0) return make_error(path_ + ": the part " + part + " is missing");
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &st) != 0) {
    return make_error(path_ + ": " + part + ": cannot read the archive entry");
  }
  const bool size_known = (st.valid & ZIP_STAT_SIZE) != 0;
  const std::uint64_t declared = size_known ? st.size : 0;
  const std::uint64_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
  auto too_big = [&](std::uint64_t size) -> std::optional<Error> {
    if (size > limits_.max_part_bytes || inflated_ + size > limits_.max_uncompressed_bytes) {
      return make_error(path_ + ": " + part + " inflates to more than the " +
                        std::to_string(std::min(limits_.max_part_bytes, limits_.max_uncompressed_bytes) >> 20) +
                        " MiB allowed: refused (a zip bomb or a damaged archive)");
    }
    // A real worksheet compresses perhaps 20:1; thousands to one is a run of filler built to exhaust memory.
    if (size > (std::uint64_t{1} << 20) && size / std::max<std::uint64_t>(compressed, 1) > limits_.max_compression_ratio) {
      return make_error(path_ + ": " + part + " inflates " + std::to_string(size / std::max<std::uint64_t>(compressed, 1)) +
                        " times its stored size: refused (a zip bomb)");
    }
    return std::nullopt;
  };
  if (auto e = too_big(declared)) return *e;
  zip_file_t* file = zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0);
  if (!file) return make_error(path_ + ": " + part + ": " + zip_strerror(zip_.get()));
  struct FileCloser {
    zip_file_t* f;
    ~FileCloser() { zip_fclose(f); }
  } closer{file};
  std::vector<char> buffer(std::size_t{256} << 10);
  std::uint64_t done = 0;
  for (;;) {
    const zip_int64_t n = zip_fread(file, buffer.data(), buffer.size());
    if (n < 0) return make_error(path_ + ": " + part + ": damaged archive entry (" + zip_file_strerror(file) + ")");
    if (n == 0) break;
    done += static_cast<std::uint64_t>(n);
    inflated_ += static_cast<std::uint64_t>(n);
    // The declared size may lie: the bytes actually inflated are what count.
    if (size_known && done > declared) {
      return make_error(path_ + ": " + part + " inflates past its declared size: refused (damaged or hostile archive)");
    }
    if (auto e = too_big(done)) return *e;
    if (auto s = sink(std::string_view(buffer.data(), static_cast<std::size_t>(n))); !s) return s;
  }
  return {};
}

Result<std::string> ZipArchive::read_all(const std::string& part, std::size_t max_bytes) {
  std::string out;
  // One allocation of the declared size (a hint, bounded by max_bytes): no doubling copies of a big part.
  if (auto size = declared_size(part)) out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*size, max_bytes)));
  auto s = read(part, [&](std::string_view chunk) -> Status {
    if (out.size() + chunk.size() > max_bytes) {
      return make_error(path_ + ": " + part + " is larger than " + std::to_string(max_bytes >> 20) + " MiB");
    }
    out.append(chunk);
    return {};
  });
  if (!s) return s.error();
  return out;
}

}  // namespace tally::data
