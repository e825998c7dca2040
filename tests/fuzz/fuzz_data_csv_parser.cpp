// Fuzzes the CSV front end: encoding detection and decoding, the parser fed in uneven chunks (its records must
// match a one-shot parse), delimiter sniffing, and type inference over every cell.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "tally/data/column_profile.h"
#include "tally/data/csv_dialect.h"
#include "tally/data/csv_parser.h"
#include "tally/data/text_encoding.h"

using namespace tally::data;

namespace {

std::vector<std::vector<std::string>> parse_chunked(std::string_view text, char delim, std::size_t chunk, bool& ok) {
  std::vector<std::vector<std::string>> rows;
  CsvParser parser(delim, std::size_t{1} << 20);
  auto sink = [&](const CsvRecord& r) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < r.size(); ++i) row.emplace_back(r[i]);
    rows.push_back(std::move(row));
    return true;
  };
  ok = true;
  for (std::size_t i = 0; i < text.size() && ok; i += chunk) {
    auto fed = parser.feed(text.substr(i, chunk), sink);
    ok = fed.ok();
  }
  if (ok) ok = parser.finish(sink).ok();
  return rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string text;
  auto enc = detect_encoding(bytes, true);
  if (enc) {
    auto dec = TextDecoder::create(enc->name);
    if (dec && !dec->decode(bytes.substr(std::min(enc->bom_length, bytes.size())), text, true).ok()) text.clear();
  }
  if (text.empty()) text.assign(bytes);  // the parser must cope with any bytes, not only valid text

  const char delim = detect_delimiter(text, true);
  bool whole_ok = false, chunked_ok = false;
  auto whole = parse_chunked(text, delim, text.size() + 1, whole_ok);
  auto chunked = parse_chunked(text, delim, 1 + size % 7, chunked_ok);
  if (whole_ok != chunked_ok || (whole_ok && whole != chunked)) std::abort();  // chunking must not change records

  std::vector<ColumnProfile> profiles;
  for (const auto& row : whole) {
    if (profiles.size() < row.size() && row.size() < 4096) profiles.resize(row.size());
    for (std::size_t i = 0; i < row.size() && i < profiles.size(); ++i) profiles[i].add(row[i]);
  }
  std::vector<ColumnChoice> choices;
  for (const auto& p : profiles) choices.push_back(p.choose());
  if (!whole.empty()) (void)looks_like_header(whole.front(), choices);
  for (const auto& row : whole) {
    for (std::size_t i = 0; i < row.size() && i < choices.size(); ++i) (void)ColumnProfile::fits(row[i], choices[i]);
  }
  return 0;
}
