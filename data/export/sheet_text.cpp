#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string>

#include "tally/data/export.h"
#include "tally/data/text_encoding.h"
#include "export/table_sink.h"

namespace tally::data {
namespace {

// Decodes one UTF-8 sequence at `i`; returns the code point (U+FFFD for invalid bytes) and advances `i`.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

std::optional<ExportFormat> export_format_for_path(std::string_view path) {
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string ext(path.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == "xlsx") return ExportFormat::Xlsx;
  if (ext == "csv") return ExportFormat::Csv;
  return std::nullopt;
}

std::string sanitize_sheet_name(std::string_view name) {
  std::string out;
  std::size_t units = 0;  // Excel counts the 31 in UTF-16 code units
  for (std::size_t i = 0; i < name.size();) {
    char32_t cp = next_code_point(name, i);
    if (cp < 0x20 || cp == '[' || cp == ']' || cp == ':' || cp == '*' || cp == '?' || cp == '/' || cp == '\\')
      cp = '_';
    const std::size_t n = cp >= 0x10000 ? 2 : 1;
    if (units + n > 31) break;
    units += n;
    append_utf8(out, cp);
  }
  // Excel refuses a name that starts or ends with an apostrophe.
  while (!out.empty() && out.front() == '\'') out.erase(out.begin());
  while (!out.empty() && out.back() == '\'') out.pop_back();
  std::string lower = out;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (out.empty() || lower == "history") out = out.empty() ? "Sheet1" : out + "_";
  return out;
}

std::size_t display_width(std::string_view utf8) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < utf8.size();) width += is_wide(next_code_point(utf8, i)) ? 2 : 1;
  return width;
}

namespace exporting {
bool clean_cell_text(std::string_view in, std::string& out, std::size_t max_units) {
  out.clear();
  std::size_t units = 0;
  for (std::size_t i = 0; i < in.size();) {
    char32_t cp = next_code_point(in, i);
    if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') cp = 0xFFFD;
    if (cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    const std::size_t n = cp >= 0x10000 ? 2 : 1;
    if (units + n > max_units) return true;
    units += n;
    append_utf8(out, cp);
  }
  return false;
}

std::string describe_code_point(std::string_view s) {
  if (s.empty()) return "end of text";
  std::size_t i = 0;
  const char32_t cp = next_code_point(s, i);
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(cp));
  return std::string(hex) + " '" + std::string(s.substr(0, i)) + "'";
}
}  // namespace exporting

}  // namespace tally::data
