#pragma once
// The workbook import's second-pass inner loop: binds each sheet row's typed cells to the dataset table's INSERT
// by column type (the storage rules of schema_v1.h, as for CSV: percents as percentage points, dates as ISO
// text). Cells that do not fit their column become NULL and are listed in the report with their A1 reference.
#include <array>
#include <string>
#include <vector>

#include "tally/data/csv_import.h"
#include "tally/data/database.h"
#include "tally/data/statement.h"
#include "tally/data/workbook.h"

namespace tally::data {

class SheetRowWriter {
 public:
  // Creates the table and prepares the INSERT (inside the caller's transaction). Column i of the table is sheet
  // column first_col + i.
  static Result<SheetRowWriter> create(const Database& db, const std::string& table,
                                       const std::vector<CsvColumn>& columns, std::int64_t first_col,
                                       ImportReport& report);

  Status write(std::int64_t row, std::span<const SheetCell> cells);

 private:
  SheetRowWriter(Statement insert, const std::vector<CsvColumn>& columns, std::int64_t first_col, ImportReport& report)
      : insert_(std::move(insert)), columns_(&columns), first_col_(first_col), report_(&report),
        buffers_(columns.size()) {}
  void bind_cell(int index, const CsvColumn& column, const SheetCell& cell, std::int64_t row, std::int64_t col);
  bool bind_text_as(int index, const CsvColumn& column, std::string_view text);
  void note(const CsvColumn& column, std::string raw, std::int64_t row, std::int64_t col, bool error_cell);

  Statement insert_;
  const std::vector<CsvColumn>* columns_;
  std::int64_t first_col_;
  ImportReport* report_;
  std::vector<std::array<char, 24>> buffers_;  // formatted dates and numbers, alive until the row is stepped
};

}  // namespace tally::data
