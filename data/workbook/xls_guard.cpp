#include "workbook/xls_guard.h"

#include "workbook/biff_bytes.h"
#include "workbook/compound_file.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace tally::data::xls {
namespace {

// freexl 1.0 reads a BIFF8 string's "phonetic data size" (flag 0x04) as two bytes of the file and two bytes of
// whatever its stack held, then skips that many bytes: where it reads next cannot be known, so such strings are
// refused. They come from Japanese furigana; a workbook with them can be saved as .xlsx.
constexpr const char* kPhonetic = "a string carries Asian phonetic data, which libfreexl cannot skip safely (save "
                                  "the workbook as .xlsx)";

// Where a string that starts at `at` ends: BIFF8's flags byte (with the rich-text run count that follows when
// flagged) and 8- or 16-bit characters, or BIFF5's code-page bytes. Empty with `unsafe` set for phonetic data.
std::size_t string_end(const std::string& rec, std::size_t at, std::size_t chars, bool biff8, bool& unsafe) {
  if (!biff8) return at + chars;
  const auto flags = static_cast<unsigned char>(rec[at]);
  unsafe = unsafe || (flags & 0x04) != 0;
  return at + 1 + ((flags & 0x08) ? 2 : 0) + chars * ((flags & 0x01) ? 2 : 1);
}

// freexl's first pass over the shared-string table: SST and the CONTINUE records after it. It trusts each string's
// header and, for a string split across records, the rest's length; this walks the same way and says where that
// trust would read past a record.
class SharedStringCheck {
 public:
  explicit SharedStringCheck(std::size_t stream_bytes) : stream_bytes_(stream_bytes) {}

  std::string feed(const std::string& rec) {
    const std::size_t n = rec.size();
    std::size_t p = 0;
    if (!started_) {
      if (n < 8) return "the shared-string table's header is cut short";
      started_ = true;
      count_ = u32(rec, 4);
      p = 8;
      if (count_ > stream_bytes_ / 3)  // every string takes at least 3 bytes
        return "the shared-string table claims " + std::to_string(count_) + " strings in a " +
               std::to_string(stream_bytes_) + "-byte stream";
    } else if (pending_chars_ > 0) {
      if (n < 1) return "a shared string's continuation is empty";
      const bool wide = (static_cast<unsigned char>(rec[0]) & 1) != 0;
      const std::size_t bytes = pending_chars_ * (wide ? 2 : 1);
      if (1 + bytes > n) return "a shared string continues past its CONTINUE record";
      p = 1 + bytes + pending_skip_;
      pending_chars_ = 0;
      ++index_;
    }
    for (; index_ < count_; ++index_) {
      if (p >= n) return {};
      if (p + 3 > n) return "a shared string's header is cut by its record's end";
      const std::size_t chars = u16(rec, p);
      const auto flags = static_cast<unsigned char>(rec[p + 2]);
      if (flags & 0x04) return kPhonetic;
      const std::size_t header = 3 + ((flags & 0x08) ? 2 : 0);
      if (p + header > n) return "a shared string's header is cut by its record's end";
      const std::size_t skip = (flags & 0x08) ? 4 * std::size_t{u16(rec, p + 3)} : 0;
      const bool wide = (flags & 0x01) != 0;
      const std::size_t available = n - (p + header), required = chars * (wide ? 2 : 1);
      if (required > available) {  // the rest follows in the next CONTINUE record
        pending_chars_ = chars - (wide ? available / 2 : available);
        pending_skip_ = skip;
        return {};
      }
      p += header + required + skip;
    }
    return {};
  }

 // A string split into a CONTINUE record that never came: freexl keeps its half-built copy and never frees it.
  bool unfinished() const { return pending_chars_ > 0; }

 private:
  std::size_t stream_bytes_;
  bool started_ = false;
  std::uint32_t count_ = 0, index_ = 0;
  std::size_t pending_chars_ = 0, pending_skip_ = 0;
};

// One sheet's substream, BOF to EOF: freexl allocates its grid at each DIMENSION record (leaking the previous one),
// or, without one, from the largest row and column its cells name.
struct SheetExtent {
  std::string name;
  std::size_t offset = 0;
  bool open = false;  // BOF seen, EOF not yet
  int dimensions = 0;
  std::uint64_t rows = 0, cols = 0;          // from DIMENSION
  std::uint64_t last_row = 0, last_col = 0;  // from cell records
  bool any_cell = false;

  std::string check(const WorkbookLimits& limits) const {
    if (dimensions > 1) return "sheet " + name + " declares its size " + std::to_string(dimensions) + " times";
    // freexl drops (and leaks the text of) a cell outside the declared size; Excel never writes one.
    if (dimensions && any_cell && (last_row >= rows || last_col >= cols))
      return "sheet " + name + " has a cell at row " + std::to_string(last_row + 1) + ", column " +
             std::to_string(last_col + 1) + ", outside the " + std::to_string(rows) + " x " + std::to_string(cols) +
             " it declares";
    const std::uint64_t r = dimensions ? rows : (any_cell ? last_row + 1 : 0);
    const std::uint64_t c = dimensions ? cols : (any_cell ? last_col + 1 : 0);
    if (r > static_cast<std::uint64_t>(limits.max_rows) || c > static_cast<std::uint64_t>(limits.max_cols) ||
        r * c > static_cast<std::uint64_t>(limits.max_cells))
      return "sheet " + name + ": " + std::to_string(r) + " rows x " + std::to_string(c) +
             " columns is beyond the import limits";
    return {};
  }
};

// `zero_record_ends`: freexl ends a regular stream at a record of type 0 and length 0 (Excel pads with zeros) but
// reads on through one in the mini stream.
std::string record_damage(const std::string& wb, bool zero_record_ends, const WorkbookLimits& limits) {
  constexpr std::size_t kMaxRecord = 8224;  // BIFF8's record limit, and the size of freexl's record buffer
  const bool biff8 = u16(wb, 0) == 0x0809 && u16(wb, 4) >= 0x0600;  // freexl takes the version from the first BOF
  SharedStringCheck sst(wb.size());
  std::uint16_t last_type = 0;  // the last record that was not a CONTINUE
  int bofs = 0;
  SheetExtent sheet;
  std::map<std::size_t, std::string> sheet_names;  // by the offset of the sheet's BOF, from BOUNDSHEET
  std::map<std::size_t, std::string> worksheets;   // the same, for worksheets (not charts or macros)
  std::map<std::size_t, int> sized;                // DIMENSION records seen in the substream at each offset
  for (std::size_t pos = 0; pos + 4 <= wb.size();) {
    const std::uint16_t type = u16(wb, pos), len = u16(wb, pos + 2);
    if (type == 0 && len == 0 && zero_record_ends) break;
    const std::string where = "the record at byte " + std::to_string(pos) + " of the workbook stream";
    if (len > kMaxRecord) return where + " claims " + std::to_string(len) + " bytes; BIFF allows 8,224";
    if (pos + 4 + len > wb.size()) return where + " runs past the stream's end";
    const std::string rec = wb.substr(pos + 4, len);
    const std::size_t at = pos;
    pos += 4 + std::size_t{len};
    std::size_t need = 0;
    bool unsafe = false;
    std::string why;
    switch (type) {
      case 0x002F:  // FILEPASS
        return kPasswordProtected;
      case 0x00FC:  // SST
        if (biff8) why = sst.feed(rec);
        break;
      case 0x003C:  // CONTINUE: of the SST when that came last
        if (biff8 && last_type == 0x00FC) why = sst.feed(rec);
        break;
      case 0x0085:  // BOUNDSHEET: offset, state, type, name length, name (freexl ignores its other flags)
        if (len >= 8 && biff8) need = 8 + std::size_t{static_cast<unsigned char>(rec[6])} * ((rec[7] & 1) ? 2 : 1);
        if (len >= 7 && !biff8) need = 7 + std::size_t{static_cast<unsigned char>(rec[6])};
        if (need <= len && len >= 8) {
          const std::string name =
              "'" + (biff8 ? biff_text(rec, 8, static_cast<unsigned char>(rec[6]), rec[7] & 1)
                           : rec.substr(7, static_cast<unsigned char>(rec[6]))) + "'";
          sheet_names[u32(rec, 0)] = name;
          if (rec[5] == 0) worksheets[u32(rec, 0)] = name;
        }
        break;
      case 0x041E:  // FORMAT: id, then the code
        if (biff8 && len >= 5) need = string_end(rec, 4, u16(rec, 2), true, unsafe);
        if (!biff8 && len >= 3) need = string_end(rec, 3, static_cast<unsigned char>(rec[2]), false, unsafe);
        break;
      case 0x0204:  // LABEL: row, column, XF, then the text
        if (len >= 8) need = string_end(rec, 8, u16(rec, 6), biff8 && len >= 9, unsafe);
        break;
      case 0x0809:  // BOF: the globals first, then one per sheet
        if (++bofs > 1) {
          sheet = SheetExtent{};
          sheet.offset = at;
          sheet.open = true;
          const auto named = sheet_names.find(at);
          sheet.name = named != sheet_names.end() ? named->second : "at byte " + std::to_string(at);
        }
        break;
      case 0x000A:  // EOF
        if (sheet.open) {
          why = sheet.check(limits);
          sized[sheet.offset] += sheet.dimensions;
          sheet.open = false;
        }
        break;
      case 0x0200:  // DIMENSION: BIFF8 has a 32-bit row count at 4 and the column count at 10, BIFF5 16-bit ones
        need = biff8 ? 14 : 10;
        if (bofs > 1 && len >= need) {
          ++sheet.dimensions;
          sheet.rows = biff8 ? u32(rec, 4) : u16(rec, 2);
          sheet.cols = u16(rec, biff8 ? 10 : 6);
        }
        break;
      default: break;
    }
    // Cell records freexl sizes an undeclared sheet by: NUMBER, BOOLERR, RK, MULRK (its columns run on), LABEL,
    // LABELSST.
    if (bofs > 1 && len >= 4 &&
        (type == 0x0203 || type == 0x0205 || type == 0x027E || type == 0x00BD || type == 0x0204 || type == 0x00FD)) {
      sheet.any_cell = true;
      const std::uint64_t run = type == 0x00BD && len >= 12 ? (len - 6) / 6 : 1;
      const std::uint64_t last_col = u16(rec, 2) + run - 1;
      sheet.last_row = std::max<std::uint64_t>(sheet.last_row, u16(rec, 0));
      sheet.last_col = std::max(sheet.last_col, last_col);
    }
    if (type != 0x003C) last_type = type;
    if (unsafe) return where + ": " + kPhonetic;
    if (!why.empty()) return where + ": " + why;
    if (need > len)
      return where + " is " + std::to_string(len) + " bytes long; its contents need " + std::to_string(need);
  }
  if (sst.unfinished()) return "the shared-string table ends in the middle of a string";
  if (sheet.open) {  // a last sheet without its EOF
    if (std::string why = sheet.check(limits); !why.empty()) return why;
    sized[sheet.offset] += sheet.dimensions;
  }
  // Without a DIMENSION freexl sizes a sheet after reading everything, but allocates the grid of whichever sheet
  // it read last, once per such sheet (leaking all but one); Excel and LibreOffice always write one.
  for (const auto& [offset, name] : worksheets)
    if (sized[offset] != 1) return "worksheet " + name + " does not declare its size";
  return {};
}

}  // namespace

std::string freexl_hazard(const std::string& path, const WorkbookLimits& limits, std::string& workbook_stream) {
  const std::uint64_t max_bytes = limits.max_uncompressed_bytes;
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > max_bytes)
    return "it is " + std::to_string(size) + " bytes, beyond the import limit of " + std::to_string(max_bytes);
  CompoundFile cf(read_whole_file(path, max_bytes));
  // Excel 2.x-4.0 worksheets (a bare BIFF2-4 stream) are read by a separate freexl path that trusts every record
  // length; Excel has written compound files since 1993.
  if (!cf.has_signature()) return "it is not an Excel 97-2003 workbook (no compound-file signature)";
  auto ws = cf.workbook_stream();
  if (ws.status == CompoundFile::Stream::Damaged) return ws.why;
  if (ws.status == CompoundFile::Stream::Missing)
    return "it holds no Excel workbook stream (another Office document saved as .xls?)";
  std::string why = record_damage(ws.freexl_view, !ws.in_mini_stream, limits);
  if (why.empty()) workbook_stream = std::move(ws.bytes);
  return why;
}

}  // namespace tally::data::xls
