// RFC 4180 CSV reader for clinical tables. Every input file is treated as untrusted: the whole file
// is checked (UTF-8, quoting, field counts, size limits) and any defect is reported with the path,
// line and column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace privaudit::data {

// A parsed CSV file: a header row and the data rows, stored column by column.
struct CsvTable {
  // Path the table was read from, as given to read_csv().
  std::filesystem::path path;
  // Column names from the first record, in file order. Non-empty and unique.
  std::vector<std::string> header;
  // Field values, [columns][rows]. An empty field and a quoted empty string ("") are both
  // std::nullopt (missing). Every other value is kept byte for byte, surrounding spaces included.
  std::vector<std::vector<std::optional<std::string>>> columns;
  // 1-based line of the file where each data row starts, [rows]. A quoted field that contains line
  // breaks makes the next row start more than one line later.
  std::vector<std::size_t> row_line;

  // Number of data rows (the header is not counted).
  std::size_t rows() const { return row_line.size(); }
  // Index of the column with this exact name, or std::nullopt. O(columns).
  std::optional<std::size_t> find_column(std::string_view name) const;
};

// Resource limits for read_csv(). They bound memory use on hostile or mistaken inputs. A clinical
// extract that exceeds them should be reduced to the needed columns and rows before the audit.
struct CsvLimits {
  // Maximum file size in bytes. The reader keeps the whole file in memory while parsing.
  std::uint64_t max_bytes = std::uint64_t{2} << 30;  // 2 GiB
  // Maximum number of fields, header included. Each field costs about 40 bytes of memory beyond
  // its text, so the default allows a table of about 8 GB in memory.
  std::uint64_t max_fields = 200'000'000;
};

// Reads a CSV file: comma-separated, fields optionally enclosed in double quotes with "" for a
// quote inside, quoted fields may contain commas and line breaks. Records end with LF, CRLF or a
// lone CR. The text must be UTF-8, and a leading byte order mark is skipped. Empty lines at the end
// of the file are ignored. Pipes are read like files. Runs in time linear in the file size.
//
// Throws IoError when the file does not exist, is a directory or cannot be read. Throws
// InputError, naming the path, line, column and the fix, for a file that exceeds `limits` or has
// no data rows. It also throws InputError for an empty or duplicate header name, a row whose field
// count differs from the header's, an unterminated or misplaced quote, invalid UTF-8 and a NUL
// byte. Error columns are 1-based character positions within the line.
CsvTable read_csv(const std::filesystem::path& path, const CsvLimits& limits = {});

}  // namespace privaudit::data
