#pragma once
// Legacy Excel 97-2003 (.xls, BIFF) workbooks, read through libfreexl into the WorkbookReader shape.
#include <memory>
#include <string>

#include "tally/data/workbook.h"

namespace tally::data {

Result<std::unique_ptr<WorkbookReader>> open_xls(const std::string& path, const WorkbookLimits& limits);

}  // namespace tally::data
