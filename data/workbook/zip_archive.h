#pragma once
// The .xlsx container: a zip archive read through libzip, part by part, with every part's inflated size bounded
// while it is read (the declared size is not trusted), so a zip bomb is refused after at most the limit's bytes.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tally/data/result.h"
#include "tally/data/workbook.h"

struct zip;

namespace tally::data {

class ZipArchive {
 public:
  static Result<ZipArchive> open(const std::string& path, const WorkbookLimits& limits);

  bool has(const std::string& part) const;
  // The inflated size the archive declares for `part` (a hint only: read() checks the real one).
  std::optional<std::uint64_t> declared_size(const std::string& part) const;
  // Streams `part` in chunks to `sink` (which may stop the read by returning an error). Counts the bytes
  // against the archive-wide budget as well as the part's limits.
  Status read(const std::string& part, const std::function<Status(std::string_view chunk)>& sink);
  // A small part whole (for the workbook's index parts); bounded by `max_bytes`.
  Result<std::string> read_all(const std::string& part, std::size_t max_bytes);
  const std::string& path() const { return path_; }
  // Starts a fresh budget (each sheet read is its own read of the file).
  void reset_budget() { inflated_ = 0; }

 private:
  struct Closer {
    void operator()(zip* z) const;
  };
  ZipArchive(std::string path, zip* z, const WorkbookLimits& limits) : path_(std::move(path)), zip_(z), limits_(limits) {}
  std::string path_;
  std::unique_ptr<zip, Closer> zip_;
  WorkbookLimits limits_;
  std::uint64_t inflated_ = 0;
};

}  // namespace tally::data
