#pragma once
// Shared by the export tests: a store with one dataset of every column type (imported from a small CSV), and the
// openpyxl reader run on an exported workbook.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "fixtures.h"
#include "tally/data/csv_import.h"
#include "tally/data/store.h"

namespace tally::testing {

// Every stored type, a NULL, a code that looks like a number, Korean text.
inline constexpr const char* kTypedCsv =
    "id,amount,rate,price,ok,day,at,month,code,name\n"
    "1,10.5,12.5%,\"₩1,200\",true,2026-07-01,2026-07-01 09:30:00,2026-07,00123,서울 지점\n"
    "2,,7%,₩800,false,2026-01-31,2026-01-31 23:59:59,2026-01,00456,부산\n"
    "3,-2.25,100%,\"₩15,000\",true,1999-12-31,2000-02-29 00:00:00,1999-12,A-7,\"comma, \"\"quoted\"\"\"\n";

struct TypedStore {
  std::string dir;
  std::string db_path;
  tally::data::Store store;
  std::int64_t dataset_id = 0;
};

inline TypedStore make_typed_store(const std::string& name) {
  const std::string dir = scratch_dir(name);
  const std::string csv = dir + "/매출 sales.csv";
  std::ofstream(csv, std::ios::binary) << kTypedCsv;
  auto store = tally::data::Store::open(dir + "/tally.db");
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
  tally::data::CsvImporter importer(*store);
  auto outcome = importer.import_file(csv);
  EXPECT_TRUE(outcome.ok()) << (outcome.ok() ? "" : outcome.error().message);
  const std::int64_t id = outcome.ok() ? outcome->dataset_id : 0;
  return TypedStore{dir, dir + "/tally.db", std::move(*store), id};
}

// Runs read_xlsx.py; nullopt-like empty json with `skip` set when openpyxl is not installed.
inline nlohmann::json read_xlsx(const std::string& path, bool& skip) {
  skip = false;
  const std::string script = source_dir() + "/tests/data_export/read_xlsx.py";
  const std::string out = path + ".json";
  // Debian's python3-openpyxl lives in the system interpreter; a pyenv python3 on PATH may not see it.
  const char* python = std::ifstream("/usr/bin/python3").good() ? "/usr/bin/python3" : "python3";
  const std::string cmd = std::string(python) + " '" + script + "' '" + path + "' > '" + out + "'";
  const int rc = std::system(cmd.c_str());
  if (rc != 0 && WIFEXITED(rc) && WEXITSTATUS(rc) == 3) {
    skip = true;
    return {};
  }
  EXPECT_EQ(rc, 0) << cmd;
  const std::string text = read_file(out);
  return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace tally::testing
