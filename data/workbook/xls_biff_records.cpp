#include "workbook/xls_biff_records.h"

#include "tally/data/text_encoding.h"
#include "workbook/number_format.h"

#include <cstring>
#include <fstream>

namespace tally::data::xls {
namespace {

constexpr std::uint32_t kEndOfChain = 0xFFFFFFFE;

std::uint16_t u16(const std::string& b, std::size_t at) {
  return at + 2 <= b.size() ? static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                                         (static_cast<unsigned char>(b[at + 1]) << 8))
                            : 0;
}
std::uint32_t u32(const std::string& b, std::size_t at) {
  return at + 4 <= b.size() ? static_cast<std::uint32_t>(u16(b, at)) | (static_cast<std::uint32_t>(u16(b, at + 2)) << 16)
                            : 0;
}

// BIFF8 text: `chars` characters, compressed (one byte each, Latin-1) or UTF-16LE, starting at `at`.
std::string biff_text(const std::string& b, std::size_t at, std::size_t chars, bool wide) {
  std::string out;
  for (std::size_t i = 0; i < chars; ++i) {
    if (!wide) {
      if (at + i >= b.size()) break;
      append_utf8(out, static_cast<unsigned char>(b[at + i]));
      continue;
    }
    const std::size_t p = at + 2 * i;
    if (p + 2 > b.size()) break;
    std::uint32_t cp = u16(b, p);
    if (cp >= 0xD800 && cp <= 0xDBFF && p + 4 <= b.size()) {
      const std::uint32_t lo = u16(b, p + 2);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        ++i;
      }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
    append_utf8(out, cp);
  }
  return out;
}

const char* error_text(std::uint8_t code) {
  switch (code) {
    case 0x00: return "#NULL!";
    case 0x07: return "#DIV/0!";
    case 0x0F: return "#VALUE!";
    case 0x17: return "#REF!";
    case 0x1D: return "#NAME?";
    case 0x24: return "#NUM!";
    case 0x2A: return "#N/A";
    default: return "#ERROR";
  }
}

// The compound file (OLE2) container: just enough to read one named stream.
class CompoundFile {
 public:
  explicit CompoundFile(std::string bytes) : f_(std::move(bytes)) {}

  bool read_stream(const char* name, std::string& out) {
    static const unsigned char kMagic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (f_.size() < 512 || std::memcmp(f_.data(), kMagic, 8) != 0) return false;
    const unsigned shift = u16(f_, 0x1E), mini_shift = u16(f_, 0x20);
    if ((shift != 9 && shift != 12) || mini_shift != 6) return false;
    sector_ = std::size_t{1} << shift;
    sectors_ = (f_.size() + sector_ - 1) / sector_;
    if (!load_fat()) return false;
    std::string dir;
    if (!chain(fat_, u32(f_, 0x30), sector_, dir, [&](std::uint32_t s) { return sector_at(s); })) return false;
    const std::uint32_t cutoff = u32(f_, 0x38);
    std::uint32_t root_start = 0, root_size = 0;
    for (std::size_t e = 0; e + 128 <= dir.size(); e += 128) {
      const std::uint16_t name_bytes = u16(dir, e + 0x40);
      const auto type = static_cast<unsigned char>(dir[e + 0x42]);
      const std::string entry = biff_text(dir, e, name_bytes >= 2 ? name_bytes / 2 - 1 : 0, true);
      const std::uint32_t start = u32(dir, e + 0x74), size = u32(dir, e + 0x78);
      if (type == 5) {
        root_start = start;
        root_size = size;
      }
      if (type != 2 || entry != name) continue;
      if (size >= cutoff) {
        if (!chain(fat_, start, sector_, out, [&](std::uint32_t s) { return sector_at(s); })) return false;
      } else {
        // Small streams live in the mini stream (the root entry's data) in 64-byte mini sectors.
        std::vector<std::uint32_t> minifat;
        std::string mf;
        if (!chain(fat_, u32(f_, 0x3C), sector_, mf, [&](std::uint32_t s) { return sector_at(s); })) return false;
        for (std::size_t i = 0; i + 4 <= mf.size(); i += 4) minifat.push_back(u32(mf, i));
        std::string ministream;
        if (!chain(fat_, root_start, sector_, ministream, [&](std::uint32_t s) { return sector_at(s); }))
          return false;
        ministream.resize(std::min<std::size_t>(ministream.size(), root_size));
        if (!chain(minifat, start, 64, out, [&](std::uint32_t s) -> const char* {
              const std::size_t at = std::size_t{s} * 64;
              return at + 64 <= ministream.size() ? ministream.data() + at : nullptr;
            }))
          return false;
      }
      if (out.size() < size) return false;
      out.resize(size);
      return true;
    }
    return false;
  }

 private:
  const char* sector_at(std::uint32_t s) const {
    const std::size_t at = (std::size_t{s} + 1) * sector_;
    return at + sector_ <= f_.size() ? f_.data() + at : nullptr;
  }

  bool load_fat() {
    std::vector<std::uint32_t> fat_sectors;
    for (std::size_t i = 0; i < 109; ++i) {
      const std::uint32_t s = u32(f_, 0x4C + 4 * i);
      if (s < 0xFFFFFFFA) fat_sectors.push_back(s);
    }
    std::uint32_t difat = u32(f_, 0x44);
    for (std::size_t hops = 0; difat < 0xFFFFFFFA && hops < sectors_; ++hops) {
      const char* p = sector_at(difat);
      if (!p) return false;
      const std::string block(p, sector_);
      for (std::size_t i = 0; i + 4 < sector_; i += 4) {
        const std::uint32_t s = u32(block, i);
        if (s < 0xFFFFFFFA) fat_sectors.push_back(s);
      }
      difat = u32(block, sector_ - 4);
    }
    for (std::uint32_t s : fat_sectors) {
      const char* p = sector_at(s);
      if (!p) return false;
      const std::string block(p, sector_);
      for (std::size_t i = 0; i + 4 <= sector_; i += 4) fat_.push_back(u32(block, i));
    }
    return !fat_.empty();
  }

  // Follows a sector chain; a loop or a chain longer than the table is damage, not an endless read.
  template <typename At>
  bool chain(const std::vector<std::uint32_t>& table, std::uint32_t start, std::size_t size, std::string& out,
             At at) const {
    std::size_t hops = 0;
    for (std::uint32_t s = start; s != kEndOfChain; s = table[s]) {
      if (s >= table.size() || ++hops > table.size()) return false;
      const char* p = at(s);
      if (!p) return false;
      out.append(p, size);
    }
    return true;
  }

  std::string f_;
  std::size_t sector_ = 512;
  std::size_t sectors_ = 0;
  std::vector<std::uint32_t> fat_;
};

// Each cell's XF index -> what its number format says (from the globals' FORMAT and XF records).
struct Styles {
  std::map<std::uint16_t, std::string> formats;  // custom format codes by id
  std::vector<NumberFormat> xf;
  bool date1904 = false;
  NumberFormat of(std::uint16_t ixfe) const { return ixfe < xf.size() ? xf[ixfe] : NumberFormat{}; }
};

void note_unit(const Styles& st, ExtraSheet& sheet, std::int64_t row, std::int64_t col, std::uint16_t ixfe) {
  const NumberFormat f = st.of(ixfe);
  if (f.kind == NumberFormatClass::Percent || f.kind == NumberFormatClass::Currency)
    sheet.units[{row, col}] = NumberUnit{f.unit};
}

void scan_sheet(const std::string& wb, std::size_t at, const Styles& styles, ExtraSheet& sheet) {
  if (u16(wb, at) != 0x0809) return;  // each sheet's substream starts with its BOF
  ExtraCell* pending_string = nullptr;  // a formula whose text result follows in a STRING record
  for (std::size_t pos = at; pos + 4 <= wb.size();) {
    const std::uint16_t type = u16(wb, pos), len = u16(wb, pos + 2);
    const std::size_t d = pos + 4;
    if (d + len > wb.size()) break;
    pos = d + len;
    if (type == 0x000A) break;  // EOF
    if (type == 0x0205 && len >= 8) {  // BOOLERR
      ExtraCell c;
      const auto value = static_cast<unsigned char>(wb[d + 6]);
      if (wb[d + 7]) {
        c.kind = SheetCellKind::Error;
        c.text = error_text(value);
      } else {
        c.kind = SheetCellKind::Boolean;
        c.number = value ? 1 : 0;
      }
      sheet.cells[{u16(wb, d), u16(wb, d + 2)}] = std::move(c);
    } else if (type == 0x0006 && len >= 20) {  // FORMULA: its cached result
      ExtraCell c;
      c.formula = true;
      const std::string result = wb.substr(d + 6, 8);
      pending_string = nullptr;
      if (u16(result, 6) == 0xFFFF) {
        switch (static_cast<unsigned char>(result[0])) {
          case 0: c.kind = SheetCellKind::Text; break;
          case 1: c.kind = SheetCellKind::Boolean; c.number = result[2] ? 1 : 0; break;
          case 2: c.kind = SheetCellKind::Error; c.text = error_text(static_cast<unsigned char>(result[2])); break;
          default: c.kind = SheetCellKind::Empty; break;  // an empty string result
        }
      } else {
        c.kind = SheetCellKind::Number;
        std::memcpy(&c.number, result.data(), 8);
        // A date formula's result is a serial: the format says so, as for a typed-in date.
        const NumberFormat f = styles.of(u16(wb, d + 4));
        if (f.kind == NumberFormatClass::Date || f.kind == NumberFormatClass::DateTime ||
            f.kind == NumberFormatClass::Time) {
          if (auto when = excel_serial_to_datetime(c.number, styles.date1904)) {
            c.kind = f.kind == NumberFormatClass::Date       ? SheetCellKind::Date
                     : f.kind == NumberFormatClass::DateTime ? SheetCellKind::DateTime
                                                             : SheetCellKind::Time;
            c.when = *when;
          }
        } else {
          note_unit(styles, sheet, u16(wb, d), u16(wb, d + 2), u16(wb, d + 4));
        }
      }
      auto& slot = sheet.cells[{u16(wb, d), u16(wb, d + 2)}];
      slot = std::move(c);
      if (slot.kind == SheetCellKind::Text) pending_string = &slot;
    } else if ((type == 0x0203 || type == 0x027E) && len >= 6) {  // NUMBER, RK
      note_unit(styles, sheet, u16(wb, d), u16(wb, d + 2), u16(wb, d + 4));
    } else if (type == 0x00BD && len >= 6) {  // MULRK: row, first column, (XF, RK) pairs, last column
      const std::int64_t row = u16(wb, d);
      const std::size_t n = (len - 6) / 6;
      for (std::size_t i = 0; i < n; ++i)
        note_unit(styles, sheet, row, u16(wb, d + 2) + static_cast<std::int64_t>(i), u16(wb, d + 4 + 6 * i));
    } else if (type == 0x0207 && pending_string && len >= 3) {  // STRING after a text formula
      const std::size_t chars = u16(wb, d);
      const bool wide = (static_cast<unsigned char>(wb[d + 2]) & 1) != 0;
      pending_string->text = biff_text(wb.substr(d, len), 3, chars, wide);
      pending_string = nullptr;
    }
  }
}

}  // namespace

std::vector<ExtraSheet> read_extra_cells(const std::string& path, std::uint64_t max_bytes, bool date1904) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return {};
  const auto size = static_cast<std::uint64_t>(in.tellg());
  if (size > max_bytes) return {};
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) return {};
  CompoundFile cf(std::move(bytes));
  std::string wb;
  if (!cf.read_stream("Workbook", wb) && !cf.read_stream("Book", wb)) return {};
  // Globals: BOF (BIFF8 is version 0x0600), then BOUNDSHEET records naming each sheet and its substream's offset.
  if (u16(wb, 0) != 0x0809 || u16(wb, 4) != 0x0600) return {};
  std::vector<std::pair<ExtraSheet, std::size_t>> sheets;
  Styles styles;
  styles.date1904 = date1904;
  std::vector<std::uint16_t> xf_formats;
  for (std::size_t pos = 0; pos + 4 <= wb.size();) {
    const std::uint16_t type = u16(wb, pos), len = u16(wb, pos + 2);
    const std::size_t d = pos + 4;
    if (d + len > wb.size()) break;
    pos = d + len;
    if (type == 0x000A) break;
    if (type == 0x041E && len >= 5) {  // FORMAT: id, then the code as a BIFF8 string
      const std::string rec = wb.substr(d, len);
      styles.formats[u16(rec, 0)] = biff_text(rec, 5, u16(rec, 2), (static_cast<unsigned char>(rec[4]) & 1) != 0);
      continue;
    }
    if (type == 0x00E0 && len >= 4) {  // XF: font, format id, ...
      xf_formats.push_back(u16(wb, d + 2));
      continue;
    }
    if (type != 0x0085 || len < 8) continue;
    ExtraSheet s;
    const auto state = static_cast<unsigned char>(wb[d + 4]) & 3;
    s.hidden = state != 0;
    s.very_hidden = state == 2;
    s.worksheet = wb[d + 5] == 0;
    const std::size_t chars = static_cast<unsigned char>(wb[d + 6]);
    s.name = biff_text(wb.substr(d, len), 8, chars, (static_cast<unsigned char>(wb[d + 7]) & 1) != 0);
    sheets.emplace_back(std::move(s), u32(wb, d));
  }
  for (std::uint16_t id : xf_formats) {
    auto it = styles.formats.find(id);
    styles.xf.push_back(it != styles.formats.end() ? classify_number_format(it->second) : builtin_number_format(id));
  }
  std::vector<ExtraSheet> out;
  for (auto& [sheet, offset] : sheets) {
    if (sheet.worksheet) scan_sheet(wb, offset, styles, sheet);
    out.push_back(std::move(sheet));
  }
  return out;
}

}  // namespace tally::data::xls
