#include "workbook/xls_biff_records.h"

#include "workbook/biff_bytes.h"
#include "workbook/number_format.h"

#include <cstring>

namespace tally::data::xls {
namespace {

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
    } else if (type == 0x00E5 && len >= 2) {  // MERGEDCELLS: a count, then first/last row, first/last column
      const std::size_t n = std::min<std::size_t>(u16(wb, d), (len - 2) / 8);
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t m = d + 2 + 8 * i;
        CellRange r{u16(wb, m), u16(wb, m + 4), u16(wb, m + 2), u16(wb, m + 6)};
        if (r.first_row <= r.last_row && r.first_col <= r.last_col) sheet.merged.push_back(r);
      }
    } else if (type == 0x0207 && pending_string && len >= 3) {  // STRING after a text formula
      const std::size_t chars = u16(wb, d);
      const bool wide = (static_cast<unsigned char>(wb[d + 2]) & 1) != 0;
      pending_string->text = biff_text(wb.substr(d, len), 3, chars, wide);
      pending_string = nullptr;
    }
  }
}

}  // namespace

std::vector<ExtraSheet> read_extra_cells(const std::string& wb, bool date1904) {
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
