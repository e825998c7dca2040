#include "xlsx_package.h"

#include <charconv>
#include <map>

#include "xml_stream.h"

namespace tally::data {

namespace {

constexpr std::size_t kIndexPartLimit = std::size_t{64} << 20;  // content types, rels, workbook, styles

struct Relationship {
  std::string type, target;
  bool external = false;
};

// Collects the Relationship elements of a .rels part by id.
class RelsHandler : public XmlHandler {
 public:
  std::map<std::string, Relationship> by_id;
  std::vector<Relationship> in_order;
  void start(std::string_view name, const XmlAttributes& a) override {
    if (name != "Relationship") return;
    Relationship r;
    if (const char* v = a.get("Type")) r.type = v;
    if (const char* v = a.get("Target")) r.target = v;
    if (const char* v = a.get("TargetMode")) r.external = std::string_view(v) == "External";
    if (const char* v = a.get("Id")) by_id[v] = r;
    in_order.push_back(std::move(r));
  }
  void end(std::string_view) override {}
};

class ContentTypesHandler : public XmlHandler {
 public:
  std::map<std::string, std::string> defaults, overrides;  // extension (lowercase) / part name -> type
  void start(std::string_view name, const XmlAttributes& a) override {
    const char* type = a.get("ContentType");
    if (!type) return;
    if (name == "Default") {
      if (const char* ext = a.get("Extension")) {
        std::string e = ext;
        for (auto& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        defaults[e] = type;
      }
    } else if (name == "Override") {
      if (const char* part = a.get("PartName")) overrides[part] = type;
    }
  }
  void end(std::string_view) override {}
  std::string type_of(const std::string& part) const {
    if (auto it = overrides.find("/" + part); it != overrides.end()) return it->second;
    const auto dot = part.rfind('.');
    std::string ext = dot == std::string::npos ? "" : part.substr(dot + 1);
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto it = defaults.find(ext); it != defaults.end()) return it->second;
    return "";
  }
};

class WorkbookHandler : public XmlHandler {
 public:
  struct Sheet {
    std::string name, rel_id;
    bool hidden = false, very_hidden = false;
  };
  std::vector<Sheet> sheets;
  bool date1904 = false;
  void start(std::string_view name, const XmlAttributes& a) override {
    if (name == "workbookPr") {
      if (const char* v = a.get("date1904")) date1904 = std::string_view(v) == "1" || std::string_view(v) == "true";
    } else if (name == "sheet") {
      Sheet s;
      if (const char* v = a.get("name")) s.name = v;
      if (const char* v = a.get("id")) s.rel_id = v;  // r:id, prefix stripped
      if (const char* v = a.get("state")) {
        s.very_hidden = std::string_view(v) == "veryHidden";
        s.hidden = s.very_hidden || std::string_view(v) == "hidden";
      }
      sheets.push_back(std::move(s));
    }
  }
  void end(std::string_view) override {}
};

std::string rels_part_of(const std::string& part) {
  const auto slash = part.rfind('/');
  if (slash == std::string::npos) return "_rels/" + part + ".rels";
  return part.substr(0, slash) + "/_rels/" + part.substr(slash + 1) + ".rels";
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string what_package_is(const std::string& type) {
  if (type.find("wordprocessingml") != std::string::npos) return "a Word document";
  if (type.find("presentationml") != std::string::npos) return "a PowerPoint presentation";
  if (type.empty()) return "a package without a content type for its main part";
  return "a package of type " + type;
}

}  // namespace

std::string resolve_part(const std::string& from_part, std::string_view target) {
  std::string joined;
  if (!target.empty() && target.front() == '/') {
    joined = std::string(target.substr(1));
  } else {
    const auto slash = from_part.rfind('/');
    joined = (slash == std::string::npos ? std::string() : from_part.substr(0, slash + 1)) + std::string(target);
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= joined.size()) {
    const auto slash = joined.find('/', start);
    std::string piece = joined.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (piece == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!piece.empty() && piece != ".") {
      parts.push_back(std::move(piece));
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

Result<XlsxPackage> read_xlsx_package(ZipArchive& zip) {
  const std::string& path = zip.path();
  if (!zip.has("[Content_Types].xml")) {
    return make_error(path + ": not an Office Open XML workbook ([Content_Types].xml is missing)");
  }
  ContentTypesHandler types;
  {
    auto xml = zip.read_all("[Content_Types].xml", kIndexPartLimit);
    if (!xml) return xml.error();
    if (auto s = parse_xml(path + ": [Content_Types].xml", *xml, types); !s) return s.error();
  }
  XlsxPackage pkg;
  pkg.workbook_part = "xl/workbook.xml";
  if (zip.has("_rels/.rels")) {
    auto xml = zip.read_all("_rels/.rels", kIndexPartLimit);
    if (!xml) return xml.error();
    RelsHandler rels;
    if (auto s = parse_xml(path + ": _rels/.rels", *xml, rels); !s) return s.error();
    for (const auto& r : rels.in_order) {
      if (ends_with(r.type, "/officeDocument") && !r.external) pkg.workbook_part = resolve_part("", r.target);
    }
  }
  const std::string main_type = types.type_of(pkg.workbook_part);
  const bool sheet = main_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml" ||
                     main_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml";
  pkg.macro_enabled = main_type == "application/vnd.ms-excel.sheet.macroEnabled.main+xml" ||
                      main_type == "application/vnd.ms-excel.template.macroEnabled.main+xml";
  if (!sheet && !pkg.macro_enabled) {
    return make_error(path + ": not an Excel workbook: [Content_Types].xml makes " + pkg.workbook_part + " " +
                      what_package_is(main_type));
  }
  if (!zip.has(pkg.workbook_part)) return make_error(path + ": the workbook part " + pkg.workbook_part + " is missing");
  WorkbookHandler book;
  {
    auto xml = zip.read_all(pkg.workbook_part, kIndexPartLimit);
    if (!xml) return xml.error();
    if (auto s = parse_xml(path + ": " + pkg.workbook_part, *xml, book); !s) return s.error();
  }
  pkg.date1904 = book.date1904;
  RelsHandler rels;
  const std::string rels_part = rels_part_of(pkg.workbook_part);
  if (!zip.has(rels_part)) return make_error(path + ": " + rels_part + " is missing (the sheets cannot be found)");
  {
    auto xml = zip.read_all(rels_part, kIndexPartLimit);
    if (!xml) return xml.error();
    if (auto s = parse_xml(path + ": " + rels_part, *xml, rels); !s) return s.error();
  }
  for (const auto& r : rels.in_order) {
    if (r.external) continue;
    if (ends_with(r.type, "/styles")) pkg.styles_part = resolve_part(pkg.workbook_part, r.target);
    if (ends_with(r.type, "/sharedStrings")) pkg.shared_strings_part = resolve_part(pkg.workbook_part, r.target);
  }
  for (const auto& s : book.sheets) {
    XlsxSheetEntry entry;
    entry.info.name = s.name;
    entry.info.hidden = s.hidden;
    entry.info.very_hidden = s.very_hidden;
    auto it = rels.by_id.find(s.rel_id);
    if (it == rels.by_id.end() || it->second.external) {
      return make_error(path + ": sheet '" + s.name + "' has no part in " + rels_part);
    }
    entry.part = resolve_part(pkg.workbook_part, it->second.target);
    entry.info.chart = ends_with(it->second.type, "/chartsheet") ||
                       types.type_of(entry.part).find("chartsheet") != std::string::npos;
    pkg.sheets.push_back(std::move(entry));
  }
  if (pkg.sheets.empty()) return make_error(path + ": the workbook lists no sheets");
  return pkg;
}

namespace {

class StylesHandler : public XmlHandler {
 public:
  std::map<int, std::string> custom;  // numFmtId -> formatCode
  std::vector<int> xf_format_ids;
  void start(std::string_view name, const XmlAttributes& a) override {
    if (name == "numFmt") {
      const char* id = a.get("numFmtId");
      const char* code = a.get("formatCode");
      if (id && code) custom[std::atoi(id)] = code;
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      const char* id = a.get("numFmtId");
      xf_format_ids.push_back(id ? std::atoi(id) : 0);
    }
  }
  void end(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
  }

 private:
  bool in_cell_xfs_ = false;
};

}  // namespace

Result<std::vector<NumberFormat>> read_xlsx_styles(ZipArchive& zip, const std::string& part) {
  std::vector<NumberFormat> formats;
  if (part.empty() || !zip.has(part)) return formats;
  auto xml = zip.read_all(part, kIndexPartLimit);
  if (!xml) return xml.error();
  StylesHandler styles;
  if (auto s = parse_xml(zip.path() + ": " + part, *xml, styles); !s) return s.error();
  formats.reserve(styles.xf_format_ids.size());
  for (int id : styles.xf_format_ids) {
    auto it = styles.custom.find(id);
    formats.push_back(it != styles.custom.end() ? classify_number_format(it->second) : builtin_number_format(id));
  }
  return formats;
}

namespace {

// <sst><si><t>text</t></si><si><r><t>rich</t></r><r><t> runs</t></r><rPh>(phonetic, skipped)</rPh></si></sst>
class SharedStringsHandler : public XmlHandler {
 public:
  SharedStringsHandler(SharedStrings& out, XmlStream*& stream, std::uint64_t max_count, std::string where)
      : out_(out), stream_(stream), max_count_(max_count), where_(std::move(where)) {}
  void start(std::string_view name, const XmlAttributes&) override {
    if (name == "si") {
      in_si_ = true;
    } else if (name == "t" && in_si_ && phonetic_ == 0) {
      in_t_ = true;
    } else if (name == "rPh") {
      ++phonetic_;
    }
  }
  void end(std::string_view name) override {
    if (name == "si") {
      in_si_ = false;
      out_.end_string();
      if (out_.size() > max_count_) stream_->fail(make_error(where_ + ": more shared strings than allowed"));
    } else if (name == "t") {
      in_t_ = false;
    } else if (name == "rPh" && phonetic_ > 0) {
      --phonetic_;
    }
  }
  void text(std::string_view s) override {
    if (in_t_) out_.append_text(s);
  }

 private:
  SharedStrings& out_;
  XmlStream*& stream_;
  std::uint64_t max_count_;
  std::string where_;
  bool in_si_ = false, in_t_ = false;
  int phonetic_ = 0;
};

}  // namespace

Result<SharedStrings> read_shared_strings(ZipArchive& zip, const std::string& part, const WorkbookLimits& limits) {
  SharedStrings strings;
  if (part.empty() || !zip.has(part)) return strings;
  const std::string where = zip.path() + ": " + part;
  XmlStream* stream_ptr = nullptr;
  SharedStringsHandler handler(strings, stream_ptr, limits.max_shared_strings, where);
  XmlStream stream(where, handler);
  stream_ptr = &stream;
  if (auto s = zip.read(part, [&](std::string_view chunk) { return stream.feed(chunk); }); !s) return s.error();
  if (auto s = stream.finish(); !s) return s.error();
  return strings;
}

}  // namespace tally::data
