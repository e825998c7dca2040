#include "xlsx_sheet.h"

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "sheet_buffer.h"
#include "sheet_pipeline.h"
#include "xml_stream.h"

namespace tally::data {

namespace {

enum class CellType : std::uint8_t { Number, Shared, Inline, FormulaString, Boolean, Error, IsoDate };

CellType cell_type(const char* t) {
  if (!t) return CellType::Number;
  const std::string_view v(t);
  if (v == "s") return CellType::Shared;
  if (v == "inlineStr") return CellType::Inline;
  if (v == "str") return CellType::FormulaString;
  if (v == "b") return CellType::Boolean;
  if (v == "e") return CellType::Error;
  if (v == "d") return CellType::IsoDate;
  return CellType::Number;
}

// "B12" -> row 11, col 1. Returns false for anything else.
bool parse_ref(const char* ref, std::int64_t& row, std::int64_t& col) {
  std::int64_t c = 0, r = 0;
  const char* p = ref;
  int letters = 0, digits = 0;
  while (*p >= 'A' && *p <= 'Z' && letters < 4) c = c * 26 + (*p++ - 'A' + 1), ++letters;
  while (*p >= '0' && *p <= '9' && digits < 9) r = r * 10 + (*p++ - '0'), ++digits;
  if (*p != '\0' || letters == 0 || digits == 0 || r < 1) return false;
  row = r - 1;
  col = c - 1;
  return true;
}

class SheetHandler : public XmlHandler {
 public:
  SheetHandler(std::string where, const SheetContext& ctx, const RowCallback& on_row, std::vector<CellRange>& merged)
      : where_(std::move(where)), ctx_(ctx), on_row_(on_row), merged_(merged) {}
  void attach(XmlStream* stream) { stream_ = stream; }

  // Dispatch on the name's length first: this runs for every element of a sheet of millions of cells.
  void start(std::string_view name, const XmlAttributes& a) override {
    switch (name.size()) {
      case 1:
        if (name[0] == 'c') {
          start_cell(a);
        } else if (name[0] == 'v') {
          capture_ = in_cell_;
          value_.clear();
        } else if (name[0] == 't') {
          capture_ = in_inline_ && phonetic_ == 0;
        } else if (name[0] == 'f') {
          formula_ = true;
        }
        return;
      case 2:
        if (name == "is") {
          in_inline_ = in_cell_;
          value_.clear();
          has_value_ = in_cell_;
        }
        return;
      case 3:
        if (name == "row") {
          start_row(a);
        } else if (name == "rPh") {
          ++phonetic_;
        }
        return;
      case 9:
        if (name == "mergeCell") {
          if (const char* ref = a.get("ref")) {
            if (auto r = CellRange::parse(ref)) merged_.push_back(*r);
          }
        }
        return;
      default: return;
    }
  }

  void end(std::string_view name) override {
    switch (name.size()) {
      case 1:
        if (name[0] == 'c') {
          end_cell();
        } else if (name[0] == 'v') {
          if (capture_) has_value_ = true;
          capture_ = false;
        } else if (name[0] == 't') {
          capture_ = false;
        }
        return;
      case 2:
        if (name == "is") in_inline_ = false;
        return;
      case 3:
        if (name == "row") {
          end_row();
        } else if (name == "rPh" && phonetic_ > 0) {
          --phonetic_;
        }
        return;
      default: return;
    }
  }

  void text(std::string_view s) override {
    if (capture_) value_.append(s);
  }

 private:
  void fail(std::string message) { stream_->fail(make_error(where_ + ": " + message)); }

  void start_row(const XmlAttributes& a) {
    std::int64_t row = row_ + 1;
    if (const char* r = a.get("r")) {
      std::int64_t v = 0;
      auto [p, ec] = std::from_chars(r, r + std::strlen(r), v);
      if (ec != std::errc() || *p != '\0' || v < 1) return fail(std::string("row number '") + r + "' is not valid");
      row = v - 1;
    }
    if (row >= ctx_.limits.max_rows) return fail("row " + std::to_string(row + 1) + " is beyond the row limit");
    row_ = row;
    col_ = -1;
    cells_.clear();
    texts_.clear();
    arena_.clear();
    in_row_ = true;
  }

  void start_cell(const XmlAttributes& a) {
    if (!in_row_) {  // a cell outside any row: treat as the next row's
      row_ += 1;
      cells_.clear();
      texts_.clear();
      arena_.clear();
      col_ = -1;
      in_row_ = true;
      implicit_row_ = true;
    }
    // One walk over the attributes (a cell's are never namespace-prefixed): r, t and s.
    const char *ref = nullptr, *type = nullptr, *style = nullptr;
    for (const char** p = a.pairs; p && p[0]; p += 2) {
      if (p[0][0] == '\0' || p[0][1] != '\0') continue;
      if (p[0][0] == 'r') ref = p[1];
      else if (p[0][0] == 't') type = p[1];
      else if (p[0][0] == 's') style = p[1];
    }
    std::int64_t col = col_ + 1;
    if (ref) {
      std::int64_t row = 0;
      if (!parse_ref(ref, row, col)) return fail(std::string("cell reference '") + ref + "' is not valid");
    }
    if (col >= ctx_.limits.max_cols) return fail("cell " + cell_reference(row_, col) + " is beyond the column limit");
    if (++cell_count_ > ctx_.limits.max_cells) {
      return fail("more than " + std::to_string(ctx_.limits.max_cells) + " cells: refused");
    }
    col_ = col;
    type_ = cell_type(type);
    style_ = 0;
    if (style) (void)std::from_chars(style, style + std::strlen(style), style_);
    formula_ = false;
    has_value_ = false;
    value_.clear();
    in_cell_ = true;
  }

  void end_cell() {
    in_cell_ = false;
    capture_ = false;
    if (stream_->failed()) return;
    const auto col = static_cast<std::size_t>(col_);
    if (cells_.size() <= col) cells_.resize(col + 1);
    SheetCell cell;
    cell.formula = formula_;
    if (!has_value_ || (value_.empty() && type_ != CellType::Inline && type_ != CellType::FormulaString)) {
      cells_[col] = cell;  // empty, or a formula without a cached value
      return;
    }
    switch (type_) {
      case CellType::Shared: {
        std::size_t index = 0;
        auto [p, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), index);
        if (ec != std::errc() || p != value_.data() + value_.size() || index >= ctx_.strings->size()) {
          return fail("cell " + cell_reference(row_, col_) + " refers to shared string '" + value_ + "' of " +
                      std::to_string(ctx_.strings->size()));
        }
        cell.kind = SheetCellKind::Text;
        cell.text = ctx_.strings->at(index);
        break;
      }
      case CellType::Inline:
      case CellType::FormulaString:
      case CellType::Error:
        cell.kind = type_ == CellType::Error ? SheetCellKind::Error : SheetCellKind::Text;
        keep_text();
        break;
      case CellType::Boolean:
        cell.kind = SheetCellKind::Boolean;
        cell.number = (value_ == "1" || value_ == "true") ? 1 : 0;
        break;
      case CellType::IsoDate:
        if (auto t = parse_datetime(value_)) {
          cell.kind = SheetCellKind::DateTime;
          cell.when = *t;
        } else if (auto d = parse_date(value_)) {
          cell.kind = SheetCellKind::Date;
          cell.when.date = *d;
        } else {
          cell.kind = SheetCellKind::Text;
          keep_text();
        }
        break;
      case CellType::Number: number_cell(cell); break;
    }
    cells_[col] = cell;
  }

  void keep_text() {
    texts_.push_back({static_cast<std::size_t>(col_), arena_.size(), value_.size()});
    arena_.append(value_);
  }

  void number_cell(SheetCell& cell) {
    double v = 0;
    const char* begin = value_.data();
    const char* end = begin + value_.size();
    auto [p, ec] = std::from_chars(begin, end, v);
    if (ec != std::errc() || p != end) {  // not a number: keep what the file says
      cell.kind = SheetCellKind::Text;
      keep_text();
      return;
    }
    cell.kind = SheetCellKind::Number;
    cell.number = v;
    if (style_ < 0 || static_cast<std::size_t>(style_) >= ctx_.formats->size()) return;
    const NumberFormat& f = (*ctx_.formats)[static_cast<std::size_t>(style_)];
    using K = NumberFormatClass;
    if (f.kind == K::Percent || f.kind == K::Currency) {
      cell.unit = f.unit;
      return;
    }
    if (f.kind == K::Plain) return;
    auto when = excel_serial_to_datetime(v, ctx_.date1904);
    if (!when) return;  // a negative "date": leave the number
    cell.when = *when;
    if (f.kind == K::Date) {
      cell.kind = SheetCellKind::Date;
    } else if (f.kind == K::Time && v < 1) {
      cell.kind = SheetCellKind::Time;
      cell.when.date = DateParts{};
    } else {
      cell.kind = SheetCellKind::DateTime;
    }
  }

  void end_row() {
    in_row_ = false;
    if (stream_->failed() || cells_.empty()) return;
    for (const auto& t : texts_) cells_[t.col].text = std::string_view(arena_).substr(t.offset, t.length);
    if (auto s = on_row_(row_, std::span<const SheetCell>(cells_)); !s) stream_->fail(s.error());
  }

 public:
  std::int64_t cells_seen() const { return cell_count_; }
  void finish_implicit_row() {
    if (implicit_row_ && in_row_) end_row();
  }

 private:
  struct TextRef {
    std::size_t col, offset, length;
  };
  std::string where_;
  const SheetContext& ctx_;
  const RowCallback& on_row_;
  std::vector<CellRange>& merged_;
  XmlStream* stream_ = nullptr;
  std::vector<SheetCell> cells_;
  std::vector<TextRef> texts_;
  std::string arena_, value_;
  std::int64_t row_ = -1, col_ = -1, cell_count_ = 0;
  int style_ = 0, phonetic_ = 0;
  CellType type_ = CellType::Number;
  bool in_row_ = false, in_cell_ = false, in_inline_ = false, capture_ = false, formula_ = false, has_value_ = false;
  bool implicit_row_ = false;
};

// Sheet parts this big are parsed by two threads, each taking half of the rows (parsing is most of an import's
// time); smaller ones are not worth a thread, and bigger ones would cost too much memory held whole.
constexpr std::uint64_t kSplitMin = std::uint64_t{8} << 20;
constexpr std::uint64_t kSplitMax = std::uint64_t{96} << 20;

struct SplitPoint {
  std::size_t first_row;  // where the first <row> tag starts: what precedes it is the part's head
  std::size_t split;      // where the second part's first <row> tag starts
};

// Where a second parser can take over: a row's start tag past the first quarter of the part (the first parser's
// thread also hands every row on to the import, so it takes fewer rows to finish with the other), written as the
// sheet's first row tag is ("<row " or "<x:row "), carrying its own r= number and right after the previous row's
// end tag. Parts with comments, CDATA or a DOCTYPE (where a byte search could be fooled, or which the parser must
// refuse) and cells outside rows are left to one parser.
std::optional<SplitPoint> find_split(std::string_view xml) {
  if (xml.find("<!") != std::string_view::npos) return std::nullopt;
  std::size_t first = std::string_view::npos;
  std::string_view name;
  for (std::size_t at = xml.find('<'); at != std::string_view::npos; at = xml.find('<', at + 1)) {
    std::size_t end = at + 1;
    while (end < xml.size() && xml[end] != ' ' && xml[end] != '>' && xml[end] != '/' && xml[end] != '\t' &&
           xml[end] != '\n' && xml[end] != '\r') {
      ++end;
    }
    const std::string_view tag = xml.substr(at + 1, end - at - 1);
    if (local_name(tag) == "c") return std::nullopt;
    if (local_name(tag) == "row" && end < xml.size() && xml[end] == ' ') {
      first = at;
      name = tag;
      break;
    }
  }
  if (first == std::string_view::npos) return std::nullopt;
  const std::string open = "<" + std::string(name) + " ";
  const std::string close = "</" + std::string(name) + ">";
  std::size_t at = xml.find(open, xml.size() / 4);
  for (int tries = 0; at != std::string_view::npos && tries < 64; ++tries, at = xml.find(open, at + 1)) {
    if (at <= first || at < close.size() || xml.substr(at - close.size(), close.size()) != close) continue;
    const std::size_t tag_end = xml.find('>', at);
    if (tag_end == std::string_view::npos) return std::nullopt;
    if (xml.substr(at, tag_end - at).find(" r=\"") == std::string_view::npos) continue;
    return SplitPoint{first, at};
  }
  return std::nullopt;
}

constexpr std::size_t kUnbounded = ~std::size_t{0};

// The part's head and later rows go to a parser on another thread, whose rows wait, packed, while this thread
// parses the first rows and hands them on; then the waiting rows follow, in order. What the caller sees is
// what one parser would give it: the same rows, the same errors (the cell limit is checked on the sum).
Status read_split(const std::string& where, std::string_view xml, SplitPoint at, const SheetContext& ctx,
                  const RowCallback& on_row, std::vector<CellRange>& merged) {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::unique_ptr<SheetBuffer>> ready;
  bool done = false;
  std::atomic<bool> stop{false};
  Status tail_status;
  std::int64_t tail_cells = 0;
  std::vector<CellRange> tail_merged;
  std::thread tail([&] {
    auto batch = std::make_unique<SheetBuffer>(kUnbounded);
    const RowCallback collect = [&](std::int64_t row, std::span<const SheetCell> cells) -> Status {
      if (stop.load(std::memory_order_relaxed)) return make_error("stopped");
      batch->add(row, cells);
      if (batch->cell_count() >= kBatchCells || batch->row_count() >= kBatchRows) {
        {
          std::lock_guard lock(mutex);
          ready.push_back(std::move(batch));
        }
        changed.notify_all();
        batch = std::make_unique<SheetBuffer>(kUnbounded);
      }
      return {};
    };
    Status s;
    std::int64_t cells = 0;
    try {
      SheetHandler handler(where, ctx, collect, tail_merged);
      XmlStream stream(where, handler);
      handler.attach(&stream);
      s = stream.feed(xml.substr(0, at.first_row));
      if (s) s = stream.feed(xml.substr(at.split));
      if (s) s = stream.finish();
      if (s) {
        handler.finish_implicit_row();
        if (stream.failed()) s = stream.finish();
      }
      cells = handler.cells_seen();
    } catch (const std::exception& e) {
      s = make_error(where + ": " + e.what());
    }
    {
      std::lock_guard lock(mutex);
      if (batch && batch->row_count() > 0) ready.push_back(std::move(batch));
      tail_status = std::move(s);
      tail_cells = cells;
      done = true;
    }
    changed.notify_all();
  });
  struct Join {
    std::atomic<bool>& stop;
    std::thread& thread;
    ~Join() {
      stop = true;
      thread.join();
    }
  } join{stop, tail};

  SheetHandler head(where, ctx, on_row, merged);
  XmlStream stream(where, head);
  head.attach(&stream);
  if (auto s = stream.feed(xml.substr(0, at.split)); !s) return s;
  for (;;) {
    std::unique_ptr<SheetBuffer> batch;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return done || !ready.empty(); });
      if (ready.empty()) break;
      batch = std::move(ready.front());
      ready.pop_front();
    }
    if (auto s = batch->replay(on_row); !s) return s;
  }
  std::lock_guard lock(mutex);
  if (!tail_status) return tail_status;
  if (head.cells_seen() + tail_cells > ctx.limits.max_cells) {
    return make_error(where + ": more than " + std::to_string(ctx.limits.max_cells) + " cells: refused");
  }
  merged.insert(merged.end(), tail_merged.begin(), tail_merged.end());
  return {};
}

}  // namespace

Status read_xlsx_sheet(ZipArchive& zip, const std::string& part, const SheetContext& context,
                       const RowCallback& on_row, std::vector<CellRange>& merged) {
  const std::string where = zip.path() + ": " + part;
  std::string whole;
  if (const auto size = zip.declared_size(part); size && *size >= kSplitMin && *size <= kSplitMax) {
    auto xml = zip.read_all(part, kSplitMax);
    if (!xml) return xml.error();
    if (const auto at = find_split(*xml)) return read_split(where, *xml, *at, context, on_row, merged);
    whole = std::move(*xml);
  }
  SheetHandler handler(where, context, on_row, merged);
  XmlStream stream(where, handler);
  handler.attach(&stream);
  if (!whole.empty()) {
    if (auto s = stream.feed(whole); !s) return s;
  } else if (auto s = zip.read(part, [&](std::string_view chunk) { return stream.feed(chunk); }); !s) {
    return s;
  }
  if (auto s = stream.finish(); !s) return s;
  handler.finish_implicit_row();
  if (stream.failed()) return stream.finish();
  return {};
}

namespace {

// Reads up to the first row (or the end of an empty sheetData) and stops.
class SizeHandler : public XmlHandler {
 public:
  explicit SizeHandler(std::string where) : where_(std::move(where)) {}
  void attach(XmlStream* s) { stream_ = s; }
  std::string dimension;
  bool saw_row = false, saw_sheet_data = false, done = false;
  void start(std::string_view name, const XmlAttributes& a) override {
    if (name == "dimension") {
      if (const char* ref = a.get("ref")) dimension = ref;
    } else if (name == "sheetData") {
      saw_sheet_data = true;
    } else if (name == "row" || name == "c") {
      saw_row = true;
      stop();
    }
  }
  void end(std::string_view name) override {
    if (name == "sheetData") stop();
  }

 private:
  void stop() {
    done = true;
    stream_->fail(make_error("stop"));
  }
  std::string where_;
  XmlStream* stream_ = nullptr;
};

}  // namespace

Status read_xlsx_sheet_size(ZipArchive& zip, const std::string& part, std::int64_t& rows, std::int64_t& cols) {
  const std::string where = zip.path() + ": " + part;
  SizeHandler handler(where);
  XmlStream stream(where, handler);
  handler.attach(&stream);
  auto s = zip.read(part, [&](std::string_view chunk) -> Status {
    auto fed = stream.feed(chunk);
    if (!fed && handler.done) return make_error("stop");
    return fed;
  });
  if (!s && !handler.done) return s;
  if (!handler.done) {
    if (auto f = stream.finish(); !f) return f;
  }
  rows = cols = -1;
  if (!handler.saw_row) {
    rows = cols = 0;
    return {};
  }
  if (handler.dimension.empty()) return {};
  auto range = CellRange::parse(handler.dimension);
  if (!range) {
    return make_error(where + ": the sheet declares the size '" + handler.dimension +
                      "', beyond Excel's 1048576 rows x 16384 columns (damaged or hostile)");
  }
  rows = range->last_row + 1;
  cols = range->last_col + 1;
  return {};
}

}  // namespace tally::data
