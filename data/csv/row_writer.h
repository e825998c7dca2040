#pragma once
// The second import pass's inner loop: converts each record's cells to their column's storage form and binds
// them to one prepared INSERT. No allocation per cell: text is bound in place, dates are formatted into a
// per-column buffer, failures are noted in the report.
#include <array>
#include <string>
#include <vector>

#include "tally/data/csv_import.h"
#include "tally/data/csv_parser.h"
#include "tally/data/database.h"

namespace tally::data {

class RowWriter {
 public:
  // Creates the table and prepares the INSERT (inside the caller's transaction).
  static Result<RowWriter> create(const Database& db, const std::string& table, const std::vector<CsvColumn>& columns,
                                  ImportReport& report);

  Status write(const CsvRecord& record);

 private:
  RowWriter(Statement insert, const std::vector<CsvColumn>& columns, ImportReport& report)
      : insert_(std::move(insert)), columns_(&columns), report_(&report), buffers_(columns.size()) {}
  void bind_cell(int index, const CsvColumn& column, std::string_view cell, std::int64_t line);
  void note_unparsed(const CsvColumn& column, std::string_view cell, std::int64_t line);

  Statement insert_;
  const std::vector<CsvColumn>* columns_;
  ImportReport* report_;
  std::vector<std::array<char, 20>> buffers_;  // formatted dates, alive until the row is stepped
};

// The SQL column type for a dataset column type (see schema_v1.h).
const char* storage_type(ColumnType type);

// Creates a dataset's rows table with one column per dataset column and prepares its INSERT (inside the caller's
// transaction); the CSV and the workbook row writers both start here.
Result<Statement> create_rows_table(const Database& db, const std::string& table, const std::vector<CsvColumn>& columns);

}  // namespace tally::data
