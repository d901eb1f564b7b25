// Resolves column names given in options against a CSV header, suggesting near matches.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "data/csv_reader.h"

namespace privaudit::data {

// Returns up to `max_suggestions` header names close to `name`: equal ignoring case, one containing
// the other ignoring case, or within a Levenshtein distance of max(2, length / 3). Closest first,
// ties in header order.
std::vector<std::string> similar_column_names(const std::vector<std::string>& header,
                                              std::string_view name,
                                              std::size_t max_suggestions = 5);

// Returns the index of column `name`. Throws InputError naming the file, the option that gave the
// name (for example "--label"), similar column names and the columns of the file when it is
// missing.
std::size_t resolve_column(const CsvTable& table, std::string_view name, std::string_view option);

}  // namespace privaudit::data
