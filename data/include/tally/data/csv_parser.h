#pragma once
// A streaming RFC 4180 parser: a small state machine fed UTF-8 text in chunks of any size (a record may span
// chunks), calling back once per record. Quoted fields may hold delimiters, doubled quotes and CR/LF; records end
// at CRLF, LF or a lone CR. Blank lines are skipped. Lenient where files in the wild are sloppy: a quote inside an
// unquoted field is kept as text, and text after a closing quote is appended to the field. An unterminated quote
// at the end of input is an error naming the line where the field started.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/data/result.h"

namespace tally::data {

// One record. The views point into the parser's buffer and are valid only during the callback.
class CsvRecord {
 public:
  std::size_t size() const { return ends_.size(); }
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  std::int64_t line() const { return line_; }  // 1-based physical line where the record starts

 private:
  friend class CsvParser;
  std::string text_;                // the record's fields back to back
  std::vector<std::size_t> ends_;   // end offset of each field in text_
  std::int64_t line_ = 1;
};

class CsvParser {
 public:
  // Return false from the callback to stop (feed() then returns early; finish() is not needed).
  using RecordSink = std::function<bool(const CsvRecord&)>;

  explicit CsvParser(char delimiter = ',', std::size_t max_record_bytes = std::size_t{64} << 20);

  // Parses a chunk. Returns false when the sink asked to stop; an error when a record grows past the limit.
  Result<bool> feed(std::string_view chunk, const RecordSink& sink);
  // Ends the input: emits the last record if it has no line break, reports an unterminated quote.
  Status finish(const RecordSink& sink);

  std::int64_t line() const { return line_; }  // the current physical line (1-based)
  std::int64_t records() const { return records_; }

 private:
  enum class State : std::uint8_t { FieldStart, Unquoted, Quoted, QuoteInQuoted, AfterCR };

  void end_field();
  bool end_record(const RecordSink& sink);  // returns the sink's answer

  char delim_;
  std::size_t max_record_bytes_;
  State state_ = State::FieldStart;
  CsvRecord record_;
  std::int64_t line_ = 1;
  std::int64_t records_ = 0;
  bool field_quoted_ = false;
  bool last_was_cr_ = false;  // so CRLF inside quotes counts as one line
};

// Parses a whole in-memory text (tests, previews). Returns an error for an unterminated quote.
Result<std::vector<std::vector<std::string>>> parse_csv_text(std::string_view text, char delimiter = ',');

}  // namespace tally::data
