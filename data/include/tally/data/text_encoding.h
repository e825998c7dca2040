#pragma once
// Text encodings of imported files. Everything inside Tally is UTF-8; files may be UTF-8 (with or without BOM),
// UTF-16 LE/BE (BOM, or recognised by the NUL bytes of mostly-ASCII text) or CP949/EUC-KR (Korean Excel's default
// "CSV" export). Decoding uses glibc's iconv: Qt's converters do not promise CP949.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "tally/data/result.h"

namespace tally::data {

struct DetectedEncoding {
  std::string name;             // "UTF-8", "UTF-16LE", "UTF-16BE", "CP949" (an iconv name)
  std::size_t bom_length = 0;   // bytes to skip at the start of the file
};

// Guesses from the first bytes of a file. `complete` says the sample is the whole file (so a multi-byte sequence
// cut at its end is an error, not a chunk boundary). Errors for binary data that is no known text encoding.
Result<DetectedEncoding> detect_encoding(std::string_view sample, bool complete);

// Length of the longest prefix of `bytes` that is valid UTF-8, not counting an incomplete sequence at its end.
std::size_t valid_utf8_prefix(std::string_view bytes);

// Appends code point `cp` (<= U+10FFFF) as UTF-8.
void append_utf8(std::string& out, char32_t cp);

// Canonical name for user spellings ("utf8", "euc-kr", "cp949", "utf-16le"...); "" if unknown to iconv.
std::string normalize_encoding_name(std::string_view name);

// Streaming conversion to UTF-8; sequences cut between chunks are carried over to the next call.
class TextDecoder {
 public:
  static Result<TextDecoder> create(const std::string& encoding);
  TextDecoder(TextDecoder&&) noexcept;
  TextDecoder& operator=(TextDecoder&&) noexcept;
  ~TextDecoder();

  // Appends the UTF-8 of `in` to `out`. `last`: no more input follows (a dangling partial sequence is an error).
  // Errors name the byte offset (from the start of the decoded input) of the first invalid sequence.
  Status decode(std::string_view in, std::string& out, bool last);
  const std::string& encoding() const { return encoding_; }

 private:
  TextDecoder() = default;
  struct Iconv;
  std::string encoding_;
  std::unique_ptr<Iconv> iconv_;  // null for UTF-8, which is only validated
  std::string carry_;
  std::size_t consumed_ = 0;
};

}  // namespace tally::data
