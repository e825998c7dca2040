#pragma once
// Sniffing a CSV file's dialect from a sample: the delimiter, and whether the first record is a header.
#include <string>
#include <string_view>
#include <vector>

#include "tally/data/column_profile.h"

namespace tally::data {

// Candidates in order of preference on ties: comma, semicolon, tab, pipe. The delimiter whose records have the
// most consistent field count (at least two fields) wins; ',' when none splits the sample (a one-column file).
// `complete`: the sample is the whole file (else its last, possibly cut, record is ignored).
char detect_delimiter(std::string_view utf8_sample, bool complete);

// Header when the first record does not read as the types inferred from the records after it (a typed column
// with a text first cell), or, when every column is text, when the first record's cells are all non-empty and
// distinct. `rest` holds the choices inferred from the records after the first (empty when there are none).
bool looks_like_header(const std::vector<std::string>& first, const std::vector<ColumnChoice>& rest);

std::string delimiter_name(char delimiter);  // ",", ";", "\t" spelled "tab", "|"

}  // namespace tally::data
