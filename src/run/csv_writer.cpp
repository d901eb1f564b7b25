#include "run/csv_writer.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>

namespace privaudit::run {

void CsvWriter::separator() {
  if (row_started_) out_ += ',';
  row_started_ = true;
}

CsvWriter& CsvWriter::text(std::string_view value) {
  separator();
  std::string field;
  const bool formula = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '@' ||
                                          value[0] == '\t' || value[0] == '\r' ||
                                          (value[0] == '-' && (value.size() == 1 ||
                                                               !std::isdigit(static_cast<unsigned char>(value[1])))));
  if (formula) field += '\'';
  field += value;
  if (field.find_first_of(",\"\r\n") != std::string::npos) {
    out_ += '"';
    for (char c : field) {
      if (c == '"') out_ += '"';
      out_ += c;
    }
    out_ += '"';
  } else {
    out_ += field;
  }
  return *this;
}

CsvWriter& CsvWriter::number(double value) {
  separator();
  if (std::isfinite(value)) out_ += fmt::format("{:.9g}", value);
  return *this;
}

CsvWriter& CsvWriter::integer(long long value) {
  separator();
  out_ += fmt::format("{}", value);
  return *this;
}

void CsvWriter::end_row() {
  out_ += '\n';
  row_started_ = false;
}

}  // namespace privaudit::run
