// Locale-independent parsing of CSV field text as a number.
#pragma once

#include <string_view>

namespace privaudit::data {

// Outcome of parse_number().
enum class NumberStatus {
  finite,        // a finite double, stored in `value`
  non_finite,    // nan, inf, infinity in any case and sign
  out_of_range,  // a number whose magnitude overflows or underflows a double, such as 1e400
  not_a_number,  // anything else, including the empty string
};

struct ParsedNumber {
  NumberStatus status = NumberStatus::not_a_number;
  double value = 0.0;
};

// Parses `text` as a decimal floating-point number in the C locale (std::from_chars): the whole
// text must be consumed, apart from ASCII spaces and tabs around it. One leading '+' is accepted,
// but hexadecimal and digit separators are not.
ParsedNumber parse_number(std::string_view text);

}  // namespace privaudit::data
