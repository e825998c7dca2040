// tally-cli export: a dataset or a read-only query of the store to .xlsx or CSV. The store is opened read-only, so an
// export can never change it. Ctrl-C cancels and removes the partial file.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "tally/data/database.h"
#include "tally/data/export.h"
#include "tally/data/store.h"

namespace tally::cli {
namespace {

std::atomic<bool> g_cancel{false};
extern "C" void on_export_interrupt(int) { g_cancel.store(true); }

constexpr const char* kUsage =
    "export --db DB (--dataset NAME|ID | --sql \"SELECT ...\") --out FILE.xlsx|FILE.csv [--encoding utf-8|cp949] "
    "[--no-bom] [--sheet NAME]";

// A dataset by its exact name first, then by id (a dataset may well be named "2024").
data::Result<std::int64_t> find_dataset(const data::Database& db, const std::string& key) {
  auto st = db.prepare("SELECT id FROM datasets WHERE name = ?1");
  if (!st) return st.error();
  st->bind(1, key);
  if (auto row = st->step(); row && *row) return st->column_int64(0);
  char* end = nullptr;
  const long long id = std::strtoll(key.c_str(), &end, 10);
  if (!key.empty() && end && *end == '\0') {
    auto by_id = db.prepare("SELECT id FROM datasets WHERE id = ?1");
    if (!by_id) return by_id.error();
    by_id->bind(1, static_cast<std::int64_t>(id));
    if (auto row = by_id->step(); row && *row) return by_id->column_int64(0);
  }
  return data::make_error("no dataset named '" + key + "' (tally-cli datasets lists them)");
}

int run_export(const Args& args) {
  ArgParser p(args);
  std::string db_path = p.option("--db");
  const std::string dataset = p.option("--dataset");
  const std::string sql = p.option("--sql");
  const std::string out = p.option("--out");
  data::ExportOptions opts;
  opts.csv_encoding = p.option("--encoding", "UTF-8");
  opts.sheet_name = p.option("--sheet");
  opts.csv_bom = !p.flag("--no-bom");
  const bool quiet = p.flag("--quiet");
  if (auto unknown = p.unknown(); !unknown.empty()) return fail("unknown option " + unknown.front());
  if (!p.positionals().empty()) return fail("unexpected argument '" + p.positionals().front() + "'");
  if (out.empty() || dataset.empty() == sql.empty()) return fail(std::string("usage: tally-cli ") + kUsage);
  if (!data::export_format_for_path(out)) return fail(out + ": the output must end in .xlsx or .csv");
  if (db_path.empty()) db_path = data::default_store_path();
  if (db_path.empty()) return fail("no home folder to find the store in: pass --db FILE");

  data::OpenOptions ro;
  ro.read_only = true;
  auto db = data::Database::open(db_path, ro);
  if (!db) return fail(db.error().message);

  std::signal(SIGINT, on_export_interrupt);
  opts.cancel = &g_cancel;
  if (!quiet) {
    opts.on_progress = [](const data::ExportProgress& pr) {
      if (pr.rows_total > 0)
        std::fprintf(stderr, "\rwriting %3d%%", static_cast<int>(pr.rows_done * 100 / pr.rows_total));
      else
        std::fprintf(stderr, "\rwriting %lld rows", static_cast<long long>(pr.rows_done));
    };
  }
  data::Result<data::ExportOutcome> r = data::make_error("");
  if (!dataset.empty()) {
    auto id = find_dataset(*db, dataset);
    if (!id) return fail(id.error().message);
    r = data::export_dataset(*db, *id, out, opts);
  } else {
    r = data::export_query(*db, sql, out, opts);
  }
  std::signal(SIGINT, SIG_DFL);
  if (!quiet) std::fprintf(stderr, "\r                         \r");
  if (!r) return fail(r.error().message);
  if (r->cancelled) {
    std::cout << "cancelled; " << out << " was not written\n";
    return 130;
  }
  std::cout << "exported " << r->rows << " rows to " << out;
  if (r->sheet_names.size() > 1) {
    std::cout << " (split over " << r->sheet_names.size() << " sheets: Excel holds " << data::kExcelMaxRows
              << " rows a sheet)";
  }
  if (r->cells_cut > 0) std::cout << "; " << r->cells_cut << " texts cut to Excel's 32,767 characters";
  std::cout << "\n";
  return 0;
}

const Registration reg{{"export", kUsage, &run_export}};

}  // namespace
}  // namespace tally::cli
