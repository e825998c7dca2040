// The CSV sink: RFC 4180 (fields with a comma, quote, CR or LF are quoted, quotes doubled), CRLF line ends, UTF-8
// with a BOM (without it Excel reads the file in the system's ANSI code page and garbles Korean) or CP949 through
// glibc's iconv for older tools that expect it.
#include <iconv.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "export/table_sink.h"
#include "tally/data/text_encoding.h"

namespace tally::data::exporting {
namespace {

class CsvSink final : public TableSink {
 public:
  CsvSink(const std::string& path, const ExportOptions& options)
      : path_(path), partial_(partial_path(path)), options_(options) {}
  ~CsvSink() override {
    if (file_) abandon();
    if (iconv_ != reinterpret_cast<iconv_t>(-1)) iconv_close(iconv_);
  }

  Status begin(const std::vector<ExportColumn>& columns) override {
    const std::string encoding = normalize_encoding_name(options_.csv_encoding);
    if (encoding == "CP949" || encoding == "EUC-KR") {
      iconv_ = iconv_open("CP949", "UTF-8");
      if (iconv_ == reinterpret_cast<iconv_t>(-1)) return make_error("CP949 is not available in this system's iconv");
    } else if (encoding != "UTF-8") {
      return make_error("CSV export writes UTF-8 or CP949, not '" + options_.csv_encoding + "'");
    }
    file_ = std::fopen(partial_.c_str(), "wb");
    if (!file_) return make_error(path_ + ": cannot create the file");
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
    columns_ = columns;
    if (iconv_ == reinterpret_cast<iconv_t>(-1) && options_.csv_bom) line_ = "\xEF\xBB\xBF";
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (auto st = field(c, columns[c].name); !st) return st;
    return end_line();
  }

  Status row(std::span<const SinkCell> cells) override {
    ++rows_;
    for (std::size_t c = 0; c < cells.size() && c < columns_.size(); ++c) {
      const SinkCell& cell = cells[c];
      const ExportColumn& col = columns_[c];
      Status st;
      switch (cell.kind) {
        case SinkCell::Kind::Null: st = field(c, ""); break;
        case SinkCell::Kind::Boolean: st = field(c, cell.integer ? "TRUE" : "FALSE"); break;
        case SinkCell::Kind::Integer:
          if (!col.by_value && col.type == ColumnType::Boolean && (cell.integer == 0 || cell.integer == 1))
            st = field(c, cell.integer ? "TRUE" : "FALSE");
          else
            st = field(c, with_unit(col, std::to_string(cell.integer)));
          break;
        case SinkCell::Kind::Real: st = field(c, with_unit(col, number_text(cell.real))); break;
        case SinkCell::Kind::Text: st = field(c, cell.text); break;
      }
      if (!st) return st;
    }
    return end_line();
  }

  Status finish(ExportOutcome&) override {
    const bool failed = std::fflush(file_) != 0 || std::ferror(file_);
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (failed || !closed) {
      std::remove(partial_.c_str());
      return make_error(path_ + ": writing the file failed (disk full?)");
    }
    return replace_with_partial(partial_, path_);
  }

  void abandon() override {
    if (file_) {
      std::fclose(file_);
      file_ = nullptr;
    }
    std::remove(partial_.c_str());
  }

 private:
  // Percent keeps its sign so Excel (and Tally's CSV import) read the cell as a percentage again; currencies are
  // plain numbers, since the symbols (₩ in particular) do not survive every code page.
  static std::string with_unit(const ExportColumn& col, std::string text) {
    if (!col.by_value && col.type == ColumnType::Percent) text += '%';
    return text;
  }

  Status field(std::size_t c, std::string_view text) {
    if (c > 0) line_ += ',';
    const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos;
    if (quote) line_ += '"';
    const std::size_t start = line_.size();
    for (char ch : text) {
      line_ += ch;
      if (ch == '"') line_ += '"';
    }
    if (iconv_ != reinterpret_cast<iconv_t>(-1)) {
      if (auto st = encode_tail(start, c); !st) return st;
    }
    if (quote) line_ += '"';
    return {};
  }

  // Converts line_[start..] from UTF-8 to CP949 in place; the error names the first character it cannot encode.
  Status encode_tail(std::size_t start, std::size_t c) {
    std::string in = line_.substr(start);
    line_.resize(start);
    encoded_.resize(in.size() * 2 + 8);
    char* src = in.data();
    std::size_t src_left = in.size();
    char* dst = encoded_.data();
    std::size_t dst_left = encoded_.size();
    iconv(iconv_, nullptr, nullptr, nullptr, nullptr);
    if (iconv(iconv_, &src, &src_left, &dst, &dst_left) == static_cast<std::size_t>(-1)) {
      const std::string where = rows_ == 0 ? "the header" : "row " + std::to_string(rows_);
      return make_error(path_ + ": " + where + ", column '" + columns_[c].name + "': character " +
                        describe_code_point(std::string_view(src, src_left)) +
                        " cannot be written in CP949 (export as UTF-8 instead)");
    }
    line_.append(encoded_.data(), encoded_.size() - dst_left);
    return {};
  }

  Status end_line() {
    line_ += "\r\n";
    if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size())
      return make_error(path_ + ": writing the file failed (disk full?)");
    line_.clear();
    return {};
  }

  const std::string path_;
  const std::string partial_;  // written first, renamed over path_ only once complete
  const ExportOptions& options_;
  std::vector<ExportColumn> columns_;
  std::FILE* file_ = nullptr;
  iconv_t iconv_ = reinterpret_cast<iconv_t>(-1);
  std::string line_;
  std::string encoded_;
  std::int64_t rows_ = 0;
};

}  // namespace

std::string number_text(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, r.ptr);
}

std::unique_ptr<TableSink> make_csv_sink(const std::string& path, const ExportOptions& options) {
  return std::make_unique<CsvSink>(path, options);
}

}  // namespace tally::data::exporting
