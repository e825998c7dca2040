// tally-cli import FILE: CSV into the profile's store (or --db); tally-cli datasets: what the store holds.
// Ctrl-C during an import cancels it; the transaction rolls back and the store is unchanged.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "tally/data/csv_dialect.h"
#include "tally/data/csv_import.h"
#include "tally/data/store.h"

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

int run_import(const Args& args) {
  ArgParser p(args);
  const std::string db = p.option("--db");
  data::CsvImportOptions opts;
  opts.encoding = p.option("--encoding");
  opts.dataset_name = p.option("--name");
  const std::string delimiter = p.option("--delimiter");
  const std::string header = p.option("--header", "auto");
  opts.force = p.flag("--force");
  const bool quiet = p.flag("--quiet");
  if (auto unknown = p.unknown(); !unknown.empty()) return fail("unknown option " + unknown.front());
  const auto files = p.positionals();
  if (files.size() != 1) return fail("usage: tally-cli import FILE [--db D] [--encoding E] [--delimiter C] [--name N]");
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
  data::CsvImporter importer(*store);
  auto r = importer.import_file(files[0], opts);
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
  std::cout << status_word(r->status) << " dataset " << r->dataset_id << " '" << r->dataset_name << "' -> table "
            << r->table_name << ": " << r->report.rows << " rows, encoding " << r->encoding << ", delimiter '"
            << data::delimiter_name(r->delimiter) << "', header " << (r->header ? "yes" : "no") << "\n";
  for (const auto& c : r->columns) {
    std::cout << "  " << c.sql_name << "  " << data::column_type_name(c.type)
              << (c.unit.empty() ? "" : " [" + c.unit + "]") << (c.name != c.sql_name ? "  (" + c.name + ")" : "")
              << "\n";
  }
  if (r->report.unparsed_total > 0) {
    std::cout << r->report.unparsed_total << " cells did not parse and were stored as NULL:\n";
    for (std::size_t i = 0; i < r->report.unparsed_cells.size() && i < 10; ++i) {
      const auto& u = r->report.unparsed_cells[i];
      std::cout << "  line " << u.line << ", " << u.column << ": '" << u.raw << "'\n";
    }
  }
  if (r->report.ragged_total > 0) {
    std::cout << r->report.ragged_total << " rows had the wrong number of fields:\n";
    for (std::size_t i = 0; i < r->report.ragged_rows.size() && i < 10; ++i) {
      const auto& g = r->report.ragged_rows[i];
      std::cout << "  line " << g.line << ": " << g.fields << " fields, expected " << g.expected << "\n";
    }
  }
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
    {"import", "import FILE [--db D] [--encoding E] [--delimiter C] [--name N] [--header yes|no|auto] [--force]",
     &run_import}};
const Registration reg_datasets{{"datasets", "datasets [--db D]", &run_datasets}};

}  // namespace
}  // namespace tally::cli
