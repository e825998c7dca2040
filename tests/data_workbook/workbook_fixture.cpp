#include "workbook_fixture.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "fixtures.h"

namespace tally::testing {

namespace fs = std::filesystem;

std::string python_with_openpyxl() {
  static const std::string found = [] {
    for (const char* py : {"python3", "/usr/bin/python3"}) {
      const std::string cmd = std::string(py) + " -c 'import openpyxl' >/dev/null 2>&1";
      if (std::system(cmd.c_str()) == 0) return std::string(py);
    }
    return std::string();
  }();
  return found;
}

std::string generated_workbooks() {
  static const std::string dir = []() -> std::string {
    const std::string py = python_with_openpyxl();
    if (py.empty()) return "";
    const fs::path out = fs::path(build_dir()) / "fixtures" / "workbooks";
    const fs::path script = fs::path(source_dir()) / "tests" / "data" / "workbook" / "make_workbooks.py";
    // Regenerated when the script is newer than the output (the script is the spec of the inputs).
    const fs::path stamp = out / "types.xlsx";
    std::error_code ec;
    if (fs::exists(stamp) && fs::last_write_time(stamp, ec) >= fs::last_write_time(script, ec)) return out.string();
    const std::string cmd = py + " '" + script.string() + "' '" + out.string() + "'";
    if (std::system(cmd.c_str()) != 0) return "";
    return out.string();
  }();
  return dir;
}

namespace {

void put16(std::string& s, std::uint32_t v) {
  s.push_back(static_cast<char>(v & 0xFF));
  s.push_back(static_cast<char>((v >> 8) & 0xFF));
}
void put32(std::string& s, std::uint32_t v) {
  put16(s, v & 0xFFFF);
  put16(s, v >> 16);
}

std::string deflate_raw(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

ZipEntry zero_run_entry(const std::string& name, std::uint64_t bytes, std::int64_t claimed_size) {
  // After a full flush deflate forgets its history, so every flushed MiB of zeros deflates to the same bytes:
  // deflate two, check they match, and repeat them (deflating a whole gigabyte takes many seconds).
  const std::uint64_t mib = std::uint64_t{1} << 20;
  const std::uint64_t chunks = std::max<std::uint64_t>(bytes / mib, 3);
  const std::string zeros(mib, '\0');
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
  auto step = [&](int flush) {
    std::string out;
    std::string buffer(std::size_t{1} << 16, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = static_cast<uInt>(zeros.size());
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer.data());
      z.avail_out = static_cast<uInt>(buffer.size());
      deflate(&z, flush);
      out.append(buffer.data(), buffer.size() - z.avail_out);
    } while (z.avail_out == 0 || z.avail_in > 0);
    return out;
  };
  const std::string first = step(Z_FULL_FLUSH);
  const std::string second = step(Z_FULL_FLUSH);
  EXPECT_EQ(first, second) << "deflate's flushed blocks differ: the zip bomb payload would be wrong";
  const std::string last = step(Z_FINISH);
  deflateEnd(&z);
  std::string payload;
  payload.reserve(first.size() * chunks + last.size());
  for (std::uint64_t i = 0; i + 1 < chunks; ++i) payload += first;
  payload += last;
  const std::uint32_t crc_mib =
      static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(zeros.data()), static_cast<uInt>(mib)));
  std::uint32_t crc = static_cast<std::uint32_t>(crc32(0, nullptr, 0));
  for (std::uint64_t i = 0; i < chunks; ++i) {
    crc = static_cast<std::uint32_t>(crc32_combine(crc, crc_mib, static_cast<z_off_t>(mib)));
  }
  const auto total = static_cast<std::int64_t>(chunks * mib);
  // The payload travels pre-deflated: marked by a name prefix the writer understands.
  ZipEntry e{"\x01" + std::to_string(crc) + "\x01" + name, std::move(payload), true,
             claimed_size < 0 ? total : claimed_size};
  return e;
}

void write_zip(const std::string& path, const std::vector<ZipEntry>& entries) {
  std::string file, central;
  std::uint16_t count = 0;
  for (const auto& e : entries) {
    std::string name = e.name;
    std::string payload;
    std::uint32_t crc = 0, size = 0;
    if (!name.empty() && name[0] == '\x01') {  // pre-deflated by zero_run_entry
      const auto second = name.find('\x01', 1);
      crc = static_cast<std::uint32_t>(std::stoul(name.substr(1, second - 1)));
      name = name.substr(second + 1);
      payload = e.data;
      size = static_cast<std::uint32_t>(std::min<std::int64_t>(e.claimed_size, 0xFFFFFFFFll));
    } else {
      crc = static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size())));
      payload = e.deflate ? deflate_raw(e.data) : e.data;
      size = static_cast<std::uint32_t>(e.claimed_size >= 0 ? e.claimed_size : static_cast<std::int64_t>(e.data.size()));
    }
    const std::uint32_t offset = static_cast<std::uint32_t>(file.size());
    const std::uint16_t method = e.deflate ? 8 : 0;
    std::string local;
    put32(local, 0x04034b50);
    put16(local, 20);
    put16(local, 0x0800);  // UTF-8 names
    put16(local, method);
    put16(local, 0);
    put16(local, 0x21);
    put32(local, crc);
    put32(local, static_cast<std::uint32_t>(payload.size()));
    put32(local, size);
    put16(local, static_cast<std::uint32_t>(name.size()));
    put16(local, 0);
    file += local + name + payload;
    put32(central, 0x02014b50);
    put16(central, 20);
    put16(central, 20);
    put16(central, 0x0800);
    put16(central, method);
    put16(central, 0);
    put16(central, 0x21);
    put32(central, crc);
    put32(central, static_cast<std::uint32_t>(payload.size()));
    put32(central, size);
    put16(central, static_cast<std::uint32_t>(name.size()));
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put32(central, 0);
    put32(central, offset);
    central += name;
    ++count;
  }
  const std::uint32_t central_offset = static_cast<std::uint32_t>(file.size());
  file += central;
  put32(file, 0x06054b50);
  put16(file, 0);
  put16(file, 0);
  put16(file, count);
  put16(file, count);
  put32(file, static_cast<std::uint32_t>(central.size()));
  put32(file, central_offset);
  put16(file, 0);
  std::ofstream(path, std::ios::binary).write(file.data(), static_cast<std::streamsize>(file.size()));
}

std::vector<ZipEntry> minimal_xlsx(const std::string& sheet_xml, const std::string& shared_strings,
                                   const std::string& styles, const std::string& workbook_pr) {
  std::string types =
      R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
      R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
      R"(<Default Extension="xml" ContentType="application/xml"/>)"
      R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
      R"(<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>)"
      R"(</Types>)";
  std::string root_rels =
      R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>)"
      R"(</Relationships>)";
  std::string book =
      R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
      R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)" + workbook_pr +
      R"(<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>)";
  std::string book_rels =
      R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)";
  if (!shared_strings.empty()) {
    book_rels += R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)";
  }
  if (!styles.empty()) {
    book_rels += R"(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)";
  }
  book_rels += "</Relationships>";
  std::vector<ZipEntry> entries{{"[Content_Types].xml", types},
                                {"_rels/.rels", root_rels},
                                {"xl/workbook.xml", book},
                                {"xl/_rels/workbook.xml.rels", book_rels},
                                {"xl/worksheets/sheet1.xml", sheet_xml}};
  if (!shared_strings.empty()) entries.push_back({"xl/sharedStrings.xml", shared_strings});
  if (!styles.empty()) entries.push_back({"xl/styles.xml", styles});
  return entries;
}

std::pair<std::int64_t, std::int64_t> store_counts(tally::data::Store& store) {
  auto tables = store.db().query_int64("SELECT count(*) FROM sqlite_master WHERE type = 'table'");
  auto datasets = store.db().query_int64("SELECT count(*) FROM datasets");
  auto chunks = store.db().query_int64("SELECT count(*) FROM dataset_columns");
  return {tables ? *tables : -1, (datasets ? *datasets : -1) * 1000000 + (chunks ? *chunks : -1)};
}

}  // namespace tally::testing
