// Writes RFC 4180 CSV output. Text fields are quoted when needed, and a text field that a
// spreadsheet would run as a formula (leading =, +, -, @, tab or carriage return) gets a leading
// apostrophe, because patient ids come from untrusted input files.
#pragma once

#include <string>
#include <string_view>

namespace privaudit::run {

class CsvWriter {
 public:
  // Appends a text field.
  CsvWriter& text(std::string_view value);
  // Appends a number with 9 significant digits; NaN and infinities become an empty (missing) field.
  CsvWriter& number(double value);
  CsvWriter& integer(long long value);
  // Ends the current row.
  void end_row();

  const std::string& str() const { return out_; }

 private:
  void separator();

  std::string out_;
  bool row_started_ = false;
};

}  // namespace privaudit::run
