#pragma once
// The compound file (OLE2) container of an .xls: just enough to find and read its workbook stream, strictly. It
// locates the stream the way libfreexl 1.0 does (the first directory sector only, the first entry named
// "Workbook" or "Book") so that the .xls guard checks the very bytes freexl will read, and it refuses anything
// it cannot follow through the file's own tables instead of guessing.
#include <cstdint>
#include <string>
#include <vector>

namespace tally::data::xls {

class CompoundFile {
 public:
  explicit CompoundFile(std::string bytes) : f_(std::move(bytes)) {}

  bool has_signature() const;

  enum class Stream { Found, Missing, Damaged };  // Missing: not a compound file, or no workbook entry
  struct WorkbookStream {
    Stream status = Stream::Missing;
    std::string why;          // for Damaged
    std::string bytes;        // the stream, by its own sector chain
    std::string freexl_view;  // what freexl reads as the stream (a small one: from the mini stream's first byte)
    bool in_mini_stream = false;
  };
  WorkbookStream workbook_stream();

 private:
  bool read_header();
  bool load_fat();
  const char* sector_at(std::uint32_t s) const;
  bool follow(const std::vector<std::uint32_t>& table, std::uint32_t start, std::size_t unit, std::string& out,
              const std::string* pool) const;

  std::string f_;
  std::size_t sector_ = 512;
  std::vector<std::uint32_t> fat_;
};

}  // namespace tally::data::xls
