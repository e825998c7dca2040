#include "workbook/compound_file.h"

#include "workbook/biff_bytes.h"

#include <algorithm>
#include <cstring>

namespace tally::data::xls {
namespace {

constexpr std::uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr std::uint32_t kFirstSpecial = 0xFFFFFFFA;  // from here on sector numbers mark free/end/FAT/DIFAT

}  // namespace

bool CompoundFile::has_signature() const {
  static const unsigned char kMagic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  return f_.size() >= 512 && std::memcmp(f_.data(), kMagic, 8) == 0;
}

bool CompoundFile::read_header() {
  if (!has_signature()) return false;
  const unsigned shift = u16(f_, 0x1E), mini_shift = u16(f_, 0x20);
  if ((shift != 9 && shift != 12) || mini_shift != 6) return false;
  sector_ = std::size_t{1} << shift;
  return true;
}

const char* CompoundFile::sector_at(std::uint32_t s) const {
  const std::size_t at = (std::size_t{s} + 1) * sector_;
  return s < kFirstSpecial && at + sector_ <= f_.size() ? f_.data() + at : nullptr;
}

// The FAT is the header's count of sectors listed first in the header (109 slots), then in the DIFAT sectors.
bool CompoundFile::load_fat() {
  const std::uint32_t count = u32(f_, 0x2C);
  if (count == 0 || count > f_.size() / sector_) return false;
  std::vector<std::uint32_t> fat_sectors;
  for (std::size_t i = 0; i < 109 && fat_sectors.size() < count; ++i) fat_sectors.push_back(u32(f_, 0x4C + 4 * i));
  std::uint32_t difat = u32(f_, 0x44);
  for (std::size_t hops = 0; fat_sectors.size() < count; ++hops) {
    const char* p = sector_at(difat);
    if (!p || hops > count) return false;
    const std::string block(p, sector_);
    for (std::size_t i = 0; i + 4 < sector_ && fat_sectors.size() < count; i += 4) fat_sectors.push_back(u32(block, i));
    difat = u32(block, sector_ - 4);
  }
  fat_.clear();
  for (std::uint32_t s : fat_sectors) {
    const char* p = sector_at(s);
    if (!p) return false;
    const std::string block(p, sector_);
    for (std::size_t i = 0; i + 4 <= sector_; i += 4) fat_.push_back(u32(block, i));
  }
  return true;
}

// Follows a chain through `table`; a loop, a chain longer than the table or a sector outside the file (or, with
// `pool`, outside the mini stream) is damage, not an endless or stray read.
bool CompoundFile::follow(const std::vector<std::uint32_t>& table, std::uint32_t start, std::size_t unit,
                          std::string& out, const std::string* pool) const {
  std::size_t hops = 0;
  for (std::uint32_t s = start; s != kEndOfChain; s = table[s]) {
    if (s >= table.size() || ++hops > table.size()) return false;
    const char* p = nullptr;
    if (!pool) {
      p = sector_at(s);
    } else if (std::size_t at = std::size_t{s} * unit; at + unit <= pool->size()) {
      p = pool->data() + at;
    }
    if (!p) return false;
    out.append(p, unit);
  }
  return true;
}

CompoundFile::WorkbookStream CompoundFile::workbook_stream() {
  WorkbookStream ws;
  auto damaged = [&](std::string why) {
    ws.status = Stream::Damaged;
    ws.why = std::move(why);
    return ws;
  };
  if (!has_signature()) return ws;
  if (!read_header()) return damaged("its compound-file header gives sector sizes no Excel writes");
  if (!load_fat()) return damaged("its sector allocation table lies beyond the end of the file");
  const char* first = sector_at(u32(f_, 0x30));
  if (!first) return damaged("its directory starts beyond the end of the file");
  const std::string dir(first, sector_);

  // freexl converts each entry's name with the length the entry claims, from its copy of this one sector.
  std::size_t workbook = dir.size();
  std::uint32_t root_start = kEndOfChain, root_size = 0;
  bool root_seen = false;
  for (std::size_t e = 0; e + 128 <= dir.size(); e += 128) {
    const std::uint16_t name_bytes = u16(dir, e + 0x40);
    if (name_bytes > 64)
      return damaged("directory entry " + std::to_string(e / 128) + " claims a " + std::to_string(name_bytes) +
                     "-byte name; the field holds 64");
    if (workbook != dir.size()) continue;
    // freexl compares the converted name as a C string: it ends at the first NUL, whatever the length says.
    std::string name = biff_text(dir, e, name_bytes / 2, true);
    name.resize(std::min(name.size(), name.find('\0')));
    if (name == "Root Entry" && !root_seen) {
      root_seen = true;
      root_start = u32(dir, e + 0x74);
      root_size = u32(dir, e + 0x78);
    }
    if (name == "Workbook" || name == "Book") workbook = e;
  }
  if (workbook == dir.size()) return ws;  // freexl reports the missing stream itself
  if (dir[workbook + 0x42] != 2) return damaged("its workbook entry is not a stream");
  const std::uint32_t start = u32(dir, workbook + 0x74), size = u32(dir, workbook + 0x78);

  if (size > u32(f_, 0x38)) {  // a regular stream (freexl keeps streams up to the cutoff in the mini stream)
    if (!follow(fat_, start, sector_, ws.bytes, nullptr) || ws.bytes.size() < size)
      return damaged("its workbook stream's sector chain is broken or shorter than the stream");
    ws.bytes.resize(size);
    ws.freexl_view = ws.bytes;
    ws.status = Stream::Found;
    return ws;
  }
  // A small stream: 64-byte mini sectors inside the mini stream, which is the root entry's data.
  if (!root_seen) return damaged("no root entry precedes its workbook entry");
  std::string minifat_bytes, ministream;
  if (!follow(fat_, u32(f_, 0x3C), sector_, minifat_bytes, nullptr))
    return damaged("its mini-sector table's chain is broken");
  std::vector<std::uint32_t> minifat;
  for (std::size_t i = 0; i + 4 <= minifat_bytes.size(); i += 4) minifat.push_back(u32(minifat_bytes, i));
  if (!follow(fat_, root_start, sector_, ministream, nullptr) || ministream.size() < root_size)
    return damaged("its mini stream's chain is broken or shorter than the root entry says");
  if (size > root_size) return damaged("its workbook stream is larger than the mini stream holding it");
  ministream.resize(root_size);
  if (!follow(minifat, start, 64, ws.bytes, &ministream) || ws.bytes.size() < size)
    return damaged("its workbook stream's mini-sector chain is broken or shorter than the stream");
  ws.bytes.resize(size);
  ws.freexl_view = ministream.substr(0, size);
  ws.in_mini_stream = true;
  ws.status = Stream::Found;
  return ws;
}

}  // namespace tally::data::xls
