// Text and number formatting shared by the SVG charts and the HTML report.
#pragma once

#include <string>
#include <string_view>

namespace privaudit::report {

// Escapes text for XML and HTML, in element content and in quoted attribute values alike:
// & < > " ' become entities. The output is always valid UTF-8 and legal XML 1.0 text, because the
// input may come from untrusted CSV files. Each byte of an invalid UTF-8 sequence becomes U+FFFD,
// and control characters other than tab, line feed and carriage return become U+FFFD too.
std::string escape_xml(std::string_view text);

// Formats an SVG coordinate or length with at most two decimals and no trailing zeros ("12.5",
// "-3", "0"). Non-finite values become "0" so that the markup stays valid, but callers are expected
// to skip them before.
std::string format_coordinate(double value);

// Formats a value with `digits` significant digits in the shortest of fixed or scientific form
// ("0.0231", "1.2e-05", "3745"). Returns "n/a" for NaN and "inf" or "-inf" for infinities.
std::string format_significant(double value, int digits = 4);

// Formats a data value for a chart tooltip: a whole number below 1e15 in full ("24577", where
// format_significant gives "2.458e+04"), any other value as format_significant with 4 digits.
std::string format_data_value(double value);

}  // namespace privaudit::report
