#include "tally/data/csv_parser.h"

namespace tally::data {

CsvParser::CsvParser(char delimiter, std::size_t max_record_bytes)
    : delim_(delimiter), max_record_bytes_(max_record_bytes) {}

void CsvParser::end_field() { record_.ends_.push_back(record_.text_.size()); }

bool CsvParser::end_record(const RecordSink& sink) {
  end_field();
  bool keep_going = true;
  // A blank line is one empty unquoted field: not a record.
  const bool blank = record_.ends_.size() == 1 && record_.text_.empty() && !field_quoted_;
  if (!blank) {
    ++records_;
    keep_going = sink(record_);
  }
  record_.text_.clear();
  record_.ends_.clear();
  field_quoted_ = false;
  return keep_going;
}

Result<bool> CsvParser::feed(std::string_view chunk, const RecordSink& sink) {
  const char* p = chunk.data();
  const char* const end = p + chunk.size();
  std::string& text = record_.text_;
  while (p < end) {
    const char c = *p;
    switch (state_) {
      case State::AfterCR:
        state_ = State::FieldStart;
        if (c == '\n') {  // the LF of a CRLF record end
          ++p;
          continue;
        }
        [[fallthrough]];
      case State::FieldStart:
        if (record_.ends_.empty() && text.empty()) record_.line_ = line_;
        if (c == '"') {
          field_quoted_ = true;
          state_ = State::Quoted;
          ++p;
          continue;
        }
        state_ = State::Unquoted;
        continue;  // the same byte, now as part of an unquoted field
      case State::Unquoted: {
        // Copy the run of ordinary bytes in one go: most of a file is this loop.
        const char* q = p;
        while (q < end && *q != delim_ && *q != '\n' && *q != '\r') ++q;
        text.append(p, q);
        p = q;
        if (p == end) break;
        const char d = *p++;
        if (d == delim_) {
          end_field();
          state_ = State::FieldStart;
        } else {
          ++line_;
          state_ = d == '\r' ? State::AfterCR : State::FieldStart;
          if (!end_record(sink)) return false;
        }
        continue;
      }
      case State::Quoted: {
        const char* q = p;
        while (q < end && *q != '"' && *q != '\n' && *q != '\r') ++q;
        if (q != p) last_was_cr_ = false;
        text.append(p, q);
        p = q;
        if (p == end) break;
        const char d = *p++;
        if (d == '"') {
          state_ = State::QuoteInQuoted;
        } else {
          // Line breaks inside quotes are data, kept exactly; count lines so later records name the right line.
          if (d == '\r' || !last_was_cr_) ++line_;
          last_was_cr_ = d == '\r';
          text.push_back(d);
        }
        continue;
      }
      case State::QuoteInQuoted:
        last_was_cr_ = false;
        ++p;
        if (c == '"') {
          text.push_back('"');
          state_ = State::Quoted;
        } else if (c == delim_) {
          end_field();
          state_ = State::FieldStart;
        } else if (c == '\n' || c == '\r') {
          ++line_;
          state_ = c == '\r' ? State::AfterCR : State::FieldStart;
          if (!end_record(sink)) return false;
        } else {
          text.push_back(c);  // text after a closing quote: keep it rather than lose data
          state_ = State::Unquoted;
        }
        continue;
    }
    if (text.size() > max_record_bytes_) {
      return make_error("record starting at line " + std::to_string(record_.line_) + " is longer than " +
                        std::to_string(max_record_bytes_ >> 20) + " MiB (a missing closing quote?)");
    }
  }
  if (text.size() > max_record_bytes_) {
    return make_error("record starting at line " + std::to_string(record_.line_) + " is longer than " +
                      std::to_string(max_record_bytes_ >> 20) + " MiB (a missing closing quote?)");
  }
  return true;
}

Status CsvParser::finish(const RecordSink& sink) {
  if (state_ == State::Quoted) {
    return make_error("unterminated quoted field starting at line " + std::to_string(record_.line_));
  }
  if (state_ == State::Unquoted || state_ == State::QuoteInQuoted ||
      (state_ == State::FieldStart && !record_.ends_.empty())) {
    end_record(sink);
  }
  state_ = State::FieldStart;
  return {};
}

Result<std::vector<std::vector<std::string>>> parse_csv_text(std::string_view text, char delimiter) {
  std::vector<std::vector<std::string>> rows;
  CsvParser parser(delimiter);
  auto sink = [&](const CsvRecord& r) {
    std::vector<std::string> row;
    row.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) row.emplace_back(r[i]);
    rows.push_back(std::move(row));
    return true;
  };
  auto fed = parser.feed(text, sink);
  if (!fed) return fed.error();
  if (auto s = parser.finish(sink); !s) return s.error();
  return rows;
}

}  // namespace tally::data
