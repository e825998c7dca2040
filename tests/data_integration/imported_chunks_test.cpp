// An imported CSV answers the analysis tools from its column chunks, with the same results as scanning its rows —
// over the bundled sample (Korean text, months, currency) and a file with N/A cells in a number column.
#include <gtest/gtest.h>

#include <fstream>

#include "fixtures.h"
#include "tally/data/csv_import.h"
#include "tally/data/store.h"
#include "tally/data/tools.h"

namespace {

using J = nlohmann::json;

struct Imported {
  std::string path;
  std::string dataset;
};

Imported import(const std::string& scratch, const std::string& csv) {
  const std::string db = tally::testing::scratch_dir(scratch) + "/store.db";
  std::remove(db.c_str());
  auto store = tally::data::Store::open(db);
  EXPECT_TRUE(store) << store.error().message;
  tally::data::CsvImporter importer(*store);
  auto out = importer.import_file(csv);
  EXPECT_TRUE(out) << out.error().message;
  return {db, out ? out->dataset_name : ""};
}

void expect_same_answers(const Imported& imp, const std::vector<std::pair<std::string, J>>& calls) {
  auto store = tally::data::Store::open(imp.path);
  ASSERT_TRUE(store);
  tally::data::tools::QueryLimits rows_only;
  rows_only.use_column_chunks = false;
  tally::data::tools::ToolSession chunks(store->db().handle());
  tally::data::tools::ToolSession rows(store->db().handle(), rows_only);
  for (const auto& [tool, args] : calls) {
    const auto a = chunks.call(tool, args);
    const auto b = rows.call(tool, args);
    ASSERT_TRUE(a["ok"].get<bool>()) << a.dump(1);
    ASSERT_TRUE(b["ok"].get<bool>()) << b.dump(1);
    EXPECT_EQ(a["result"], b["result"]) << tool << " " << args.dump();
    EXPECT_NE(a["provenance"].dump().find("read_from"), std::string::npos) << tool << ": chunks were not used";
  }
}

}  // namespace

TEST(ImportedColumnChunks, SampleSalesAnswersTheSameFromChunksAndRows) {
  const auto imp = import("chunks_sample", std::string(TALLY_RESOURCES_DIR) + "/samples/sales_monthly.csv");
  const std::string ds = imp.dataset;
  expect_same_answers(imp, {
      {"describe_dataset", {{"dataset", ds}}},
      {"timeseries", {{"dataset", ds}, {"date_column", "month"}, {"value_column", "revenue_krw"}, {"group_by", "region"}}},
      {"timeseries", {{"dataset", ds}, {"date_column", "month"}, {"value_column", "units"}, {"grain", "quarter"},
                      {"aggregate", "mean"}, {"from", "2025-03"}, {"to", "2025-10"}}},
      {"timeseries", {{"dataset", ds}, {"date_column", "month"}, {"aggregate", "count"}, {"group_by", "channel"}}},
  });
}

TEST(ImportedColumnChunks, TextInANumberColumnIsCountedTheSameWay) {
  const std::string csv = tally::testing::scratch_dir("chunks_na_csv") + "/na.csv";
  {
    std::ofstream f(csv);
    f << "day,store,amount,paid\n";
    for (int i = 0; i < 400; ++i) {
      f << "2025-" << (i % 12 < 9 ? "0" : "") << (i % 12 + 1) << "-" << (i % 28 < 9 ? "0" : "") << (i % 28 + 1) << ","
        << (i % 3 == 0 ? "" : (i % 3 == 1 ? "  강남점 " : "None")) << ","
        << (i % 17 == 0 ? "N/A" : (i % 13 == 0 ? "" : std::to_string(i * 3) + ".5")) << ","
        << (i % 5 == 0 ? "false" : "true") << "\n";
    }
  }
  const auto imp = import("chunks_na", csv);
  expect_same_answers(imp, {
      {"describe_dataset", {{"dataset", imp.dataset}}},
      {"timeseries", {{"dataset", imp.dataset}, {"date_column", "day"}, {"value_column", "amount"}, {"group_by", "store"}}},
      {"timeseries", {{"dataset", imp.dataset}, {"date_column", "day"}, {"grain", "week"}, {"group_by", "store"},
                      {"aggregate", "count"}, {"to", "2025-06-15"}}},
  });
}
