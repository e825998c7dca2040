#pragma once
// What libfreexl 1.0 must not be given. It takes lengths from the file and copies or converts that many bytes: a
// directory entry's name longer than its 64-byte field, a record longer than its 8,224-byte buffer or running past
// the stream's end, a string longer than its record, a shared-string table claiming more strings than the stream
// holds, a sheet declaring its size twice. On such a file it reads past its buffers (fuzzing found the first within a second). The .xls path asks
// this before freexl opens the file; freexl only ever sees workbooks whose structure the guard could follow.
#include <cstdint>
#include <string>

#include "tally/data/workbook.h"

namespace tally::data::xls {

// Why the file must not reach freexl, or empty when nothing freexl trusts is wrong. freexl allocates each sheet's
// whole rows x columns grid as soon as it reads the sheet's size, even to list the sheets, so sizes beyond
// `limits` are refused here too.
// On no hazard, `workbook_stream` receives the workbook stream's bytes (read by its own sector chain), so the
// .xls reader does not read and unpack the file a second time.
std::string freexl_hazard(const std::string& path, const WorkbookLimits& limits, std::string& workbook_stream);

// freexl_hazard's answer for a password-protected workbook (a FILEPASS record): the records after it are
// encrypted, so nothing in them can be checked, and nothing in them could be imported.
inline constexpr const char* kPasswordProtected = "the workbook is password-protected";

}  // namespace tally::data::xls
