// The .xlsx/.xlsm WorkbookReader, and open_workbook()'s sniffing of the file's first bytes.
#include <cstring>
#include <fstream>
#include <map>

#include "tally/data/xls_reader.h"
#include "xlsx_package.h"
#include "xlsx_sheet.h"

namespace tally::data {

namespace {

class XlsxReader : public WorkbookReader {
 public:
  XlsxReader(ZipArchive zip, XlsxPackage pkg, WorkbookLimits limits)
      : zip_(std::move(zip)), pkg_(std::move(pkg)), limits_(limits) {
    for (const auto& s : pkg_.sheets) sheets_.push_back(s.info);
  }

  Status load_sizes() {
    for (std::size_t i = 0; i < pkg_.sheets.size(); ++i) {
      if (sheets_[i].chart) continue;
      const std::string& part = pkg_.sheets[i].part;
      if (!zip_.has(part)) return make_error(zip_.path() + ": the part " + part + " of sheet '" + sheets_[i].name + "' is missing");
      zip_.reset_budget();
      if (auto s = read_xlsx_sheet_size(zip_, part, sheets_[i].rows, sheets_[i].cols); !s) return s;
    }
    return {};
  }

  const std::vector<SheetInfo>& sheets() const override { return sheets_; }
  const std::string& path() const override { return zip_.path(); }

  Status read_sheet(std::size_t index, const RowCallback& on_row) override {
    if (index >= sheets_.size()) return make_error(zip_.path() + ": there is no sheet " + std::to_string(index + 1));
    if (sheets_[index].chart) {
      return make_error(zip_.path() + ": sheet '" + sheets_[index].name + "' is a chart sheet: it has no cells");
    }
    zip_.reset_budget();
    if (!loaded_) {
      auto formats = read_xlsx_styles(zip_, pkg_.styles_part);
      if (!formats) return formats.error();
      formats_ = std::move(*formats);
      auto strings = read_shared_strings(zip_, pkg_.shared_strings_part, limits_);
      if (!strings) return strings.error();
      strings_ = std::move(*strings);
      loaded_ = true;
    }
    SheetContext ctx{&strings_, &formats_, pkg_.date1904, limits_};
    std::vector<CellRange> merged;
    if (auto s = read_xlsx_sheet(zip_, pkg_.sheets[index].part, ctx, on_row, merged); !s) return s;
    merged_[index] = std::move(merged);
    return {};
  }

  Result<std::vector<CellRange>> merged(std::size_t index) override {
    if (auto it = merged_.find(index); it != merged_.end()) return it->second;
    if (auto s = read_sheet(index, [](std::int64_t, std::span<const SheetCell>) -> Status { return {}; }); !s) {
      return s.error();
    }
    return merged_[index];
  }

 private:
  ZipArchive zip_;
  XlsxPackage pkg_;
  WorkbookLimits limits_;
  std::vector<SheetInfo> sheets_;
  std::vector<NumberFormat> formats_;
  SharedStrings strings_;
  bool loaded_ = false;
  std::map<std::size_t, std::vector<CellRange>> merged_;
};

constexpr unsigned char kZipMagic[] = {'P', 'K', 0x03, 0x04};
constexpr unsigned char kEmptyZipMagic[] = {'P', 'K', 0x05, 0x06};
constexpr unsigned char kOleMagic[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

std::string first_bytes(const std::string& path, std::size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(n, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(n));
  bytes.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return bytes;
}

bool starts_with(const std::string& bytes, const unsigned char* magic, std::size_t n) {
  return bytes.size() >= n && std::memcmp(bytes.data(), magic, n) == 0;
}

// An encrypted OOXML file is an OLE compound file holding an "EncryptedPackage" stream; its directory entry
// names it in UTF-16LE.
bool holds_encrypted_package(const std::string& path) {
  static const std::string needle = [] {
    std::string s;
    for (char c : std::string("EncryptedPackage")) {
      s.push_back(c);
      s.push_back('\0');
    }
    return s;
  }();
  std::ifstream in(path, std::ios::binary);
  std::string window;
  std::string chunk(std::size_t{1} << 20, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0));
    if (got == 0) break;
    window.append(chunk.data(), got);
    if (window.find(needle) != std::string::npos) return true;
    window.erase(0, window.size() > needle.size() ? window.size() - needle.size() : 0);
  }
  return false;
}

}  // namespace

bool looks_like_workbook(const std::string& path) {
  const std::string head = first_bytes(path, 8);
  return starts_with(head, kZipMagic, 4) || starts_with(head, kEmptyZipMagic, 4) || starts_with(head, kOleMagic, 8);
}

Result<std::unique_ptr<WorkbookReader>> open_workbook(const std::string& path, const WorkbookLimits& limits) {
  std::ifstream probe(path, std::ios::binary);
  if (!probe) return make_error(path + ": cannot open the file");
  const std::string head = first_bytes(path, 8);
  if (head.empty()) return make_error(path + ": the file is empty");
  if (starts_with(head, kOleMagic, 8)) {
    if (holds_encrypted_package(path)) {
      return make_error(path + ": the workbook is password-protected (encrypted): save it without a password in Excel first");
    }
    return open_xls(path, limits);
  }
  if (!starts_with(head, kZipMagic, 4) && !starts_with(head, kEmptyZipMagic, 4)) {
    return make_error(path + ": not an Excel workbook (neither an .xlsx zip archive nor an .xls file)");
  }
  auto zip = ZipArchive::open(path, limits);
  if (!zip) return zip.error();
  auto pkg = read_xlsx_package(*zip);
  if (!pkg) return pkg.error();
  auto reader = std::make_unique<XlsxReader>(std::move(*zip), std::move(*pkg), limits);
  if (auto s = reader->load_sizes(); !s) return s.error();
  return std::unique_ptr<WorkbookReader>(std::move(reader));
}

}  // namespace tally::data
