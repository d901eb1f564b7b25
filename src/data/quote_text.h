// Safe quoting of file-derived text (values, column names, patient ids) in error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace privaudit::data {

// Returns `text` in single quotes for an error message. Control characters are escaped (\n, \r,
// \t, \xHH), so a hostile file cannot inject terminal escape sequences or fake lines, and text
// longer than `max_chars` code points is cut at a character boundary and ends with "...".
// `text` must be valid UTF-8, as read_csv() guarantees.
std::string quote_text(std::string_view text, std::size_t max_chars = 80);

}  // namespace privaudit::data
