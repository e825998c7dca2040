// tally-cli import FILE: CSV or an Excel workbook (.xlsx/.xlsm/.xls: one sheet per import) into the profile's store
// (or --db); tally-cli datasets: what the store holds. Ctrl-C during an import cancels it; the transaction rolls
// back and the store is unchanged.
#include <atomic>
#include <csignal>
#include <cctype>
#include <filesystem>
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "tally/data/csv_dialect.h"
#include "tally/data/csv_import.h"
#include "tally/data/store.h"
#include "tally/data/workbook_import.h"

namespace tally::cli {
namespace {

std::atomic<bool> g_cancel{false};
extern "C" void on_interrupt(int) { g_cancel.store(true); }

data::Result<data::Store> open_store(const std::string& db_option) {
  const std::string path = db_option.empty() ? data::default_store_path() : db_option;
  if (path.empty()) return data::make_error("no home folder to keep the store in: pass --db FILE");
  return data::Store::open(path);
}

const char* status_word(data::ImportStatus s) {
  switch (s) {
    case data::ImportStatus::Imported: return "imported";
    case data::ImportStatus::AlreadyImported: return "already imported";
    case data::ImportStatus::Cancelled: return "cancelled";
  }
  return "?";
}

bool is_workbook(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".csv" || ext == ".tsv" || ext == ".txt") return false;
  return ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" || ext == ".xltx" || ext == ".xltm" ||
         data::looks_like_workbook(path);
}

// --sheet NAME|INDEX: a sheet's name wins; otherwise a number counts sheets from 1, as Excel's tabs read.
data::Status choose_sheet(const std::string& path, const std::string& sheet, data::WorkbookImportOptions& opts) {
  if (sheet.empty()) return {};
  auto reader = data::open_workbook(path);
  if (!reader) return reader.error();
  for (const auto& s : (*reader)->sheets()) {
    if (s.name == sheet) {
      opts.sheet_name = sheet;
      return {};
    }
  }
  if (sheet.find_first_not_of("0123456789") == std::string::npos && sheet.size() < 6) {
    const auto n = std::stoul(sheet);
    if (n >= 1) {
      opts.sheet_index = n - 1;
      return {};
    }
  }
  opts.sheet_name = sheet;  // reported by the importer with the sheets there are
  return {};
}

void print_outcome(const data::ImportOutcome& o, bool workbook) {
  std::cout << status_word(o.status) << " dataset " << o.dataset_id << " '" << o.dataset_name << "' -> table "
            << o.table_name << ": " << o.report.rows << " rows";
  if (workbook) {
    std::cout << ", header " << (o.header ? "yes" : "no") << "\n";
  } else {
    std::cout << ", encoding " << o.encoding << ", delimiter '" << data::delimiter_name(o.delimiter) << "', header "
              << (o.header ? "yes" : "no") << "\n";
  }
  for (const auto& c : o.columns) {
    std::cout << "  " << c.sql_name << "  " << data::column_type_name(c.type)
              << (c.unit.empty() ? "" : " [" + c.unit + "]") << (c.name != c.sql_name ? "  (" + c.name + ")" : "")
              << "\n";
  }
  if (o.report.unparsed_total > 0) {
    std::cout << o.report.unparsed_total << " cells did not parse and were stored as NULL";
    if (o.report.error_cells > 0) std::cout << " (" << o.report.error_cells << " error cells or formulas without a value)";
    std::cout << ":\n";
    for (std::size_t i = 0; i < o.report.unparsed_cells.size() && i < 10; ++i) {
      const auto& u = o.report.unparsed_cells[i];
      if (!u.cell.empty()) {
        std::cout << "  " << u.cell << ", " << u.column << ": '" << u.raw << "'\n";
      } else {
        std::cout << "  line " << u.line << ", " << u.column << ": '" << u.raw << "'\n";
      }
    }
  }
  if (o.report.ragged_total > 0) {
    std::cout << o.report.ragged_total << " rows had the wrong number of fields:\n";
    for (std::size_t i = 0; i < o.report.ragged_rows.size() && i < 10; ++i) {
      const auto& g = o.report.ragged_rows[i];
      std::cout << "  line " << g.line << ": " << g.fields << " fields, expected " << g.expected << "\n";
    }
  }
}

int run_import(const Args& args) {
  ArgParser p(args);
  const std::string db = p.option("--db");
  const std::string sheet = p.option("--sheet");
  const std::string range = p.option("--range");
  const std::string header_row = p.option("--header-row");
  data::CsvImportOptions opts;
  opts.encoding = p.option("--encoding");
  opts.dataset_name = p.option("--name");
  const std::string delimiter = p.option("--delimiter");
  const std::string header = p.option("--header", "auto");
  opts.force = p.flag("--force");
  const bool quiet = p.flag("--quiet");
  if (auto unknown = p.unknown(); !unknown.empty()) return fail("unknown option " + unknown.front());
  const auto files = p.positionals();
  if (files.size() != 1) {
    return fail("usage: tally-cli import FILE [--db D] [--name N] [--encoding E] [--delimiter C] [--sheet S] "
                "[--range A3:H200] [--header-row N]");
  }
  const bool workbook = is_workbook(files[0]);
  if (!workbook && (!sheet.empty() || !range.empty() || !header_row.empty())) {
    return fail("--sheet, --range and --header-row are for workbooks (.xlsx, .xlsm, .xls)");
  }
  if (workbook && (!opts.encoding.empty() || !delimiter.empty() || header != "auto")) {
    return fail("--encoding, --delimiter and --header are for CSV files; a workbook takes --header-row N");
  }
  data::WorkbookImportOptions wopts;
  if (workbook) {
    wopts.dataset_name = opts.dataset_name;
    wopts.force = opts.force;
    if (!range.empty()) {
      wopts.range = data::CellRange::parse(range);
      if (!wopts.range) return fail("--range takes cells like A3:H200, not '" + range + "'");
    }
    if (!header_row.empty()) {
      if (header_row.find_first_not_of("0123456789") != std::string::npos || header_row.size() > 7) {
        return fail("--header-row takes a sheet row number (0: no header row)");
      }
      wopts.header_row = std::stoll(header_row);
    }
    if (auto s = choose_sheet(files[0], sheet, wopts); !s) return fail(s.error().message);
  }
  if (delimiter == "tab" || delimiter == "\\t") {
    opts.delimiter = '\t';
  } else if (delimiter.size() == 1) {
    opts.delimiter = delimiter[0];
  } else if (!delimiter.empty()) {
    return fail("--delimiter takes one character (or 'tab'), not '" + delimiter + "'");
  }
  if (header == "yes") {
    opts.header = data::HeaderMode::Present;
  } else if (header == "no") {
    opts.header = data::HeaderMode::Absent;
  } else if (header != "auto") {
    return fail("--header takes yes, no or auto");
  }
  auto store = open_store(db);
  if (!store) return fail(store.error().message);

  std::signal(SIGINT, on_interrupt);
  opts.cancel = &g_cancel;
  int last_percent = -1;
  if (!quiet) {
    opts.on_progress = [&](const data::ImportProgress& pr) {
      const int percent = pr.bytes_total ? static_cast<int>(pr.bytes_done * 100 / pr.bytes_total) : 100;
      if (percent != last_percent) {
        last_percent = percent;
        std::fprintf(stderr, "\r%s %3d%%", pr.pass == 1 ? "reading" : "writing", percent);
      }
    };
  }
  data::Result<data::ImportOutcome> r = data::make_error("");
  if (workbook) {
    wopts.cancel = opts.cancel;
    wopts.on_progress = opts.on_progress;
    data::WorkbookImporter importer(*store);
    r = importer.import_sheet(files[0], wopts);
  } else {
    data::CsvImporter importer(*store);
    r = importer.import_file(files[0], opts);
  }
  std::signal(SIGINT, SIG_DFL);
  if (!quiet) std::fprintf(stderr, "\r              \r");
  if (!r) return fail(r.error().message);
  if (r->status == data::ImportStatus::Cancelled) {
    std::cerr << "tally-cli: import cancelled; nothing was written\n";
    return 130;
  }
  if (r->status == data::ImportStatus::AlreadyImported) {
    std::cout << "already imported as dataset " << r->dataset_id << " '" << r->dataset_name << "' (table "
              << r->table_name << "); use --force to import again\n";
    return 0;
  }
  print_outcome(*r, workbook);
  return 0;
}

int run_datasets(const Args& args) {
  ArgParser p(args);
  const std::string db = p.option("--db");
  if (auto unknown = p.unknown(); !unknown.empty()) return fail("unknown option " + unknown.front());
  auto store = open_store(db);
  if (!store) return fail(store.error().message);
  auto list = store->list_datasets();
  if (!list) return fail(list.error().message);
  if (list->empty()) {
    std::cout << "no datasets\n";
    return 0;
  }
  for (const auto& d : *list) {
    std::cout << d.id << "\t" << d.name << "\t" << d.table_name << "\t" << d.row_count << " rows\t" << d.imported_at
              << "\t" << d.source_path << "\n";
  }
  return 0;
}

const Registration reg_import{
    {"import",
     "import FILE [--db D] [--name N] [--force] [CSV: --encoding E] [--delimiter C] [--header yes|no|auto] "
     "[workbook: --sheet NAME|INDEX] [--range A3:H200] [--header-row N]",
     &run_import}};
const Registration reg_datasets{{"datasets", "datasets [--db D]", &run_datasets}};

}  // namespace
}  // namespace tally::cli
