// Parser for the text of a WFDB header (.hea) of a single-segment record. It checks each field
// it reads but does not open the signal files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecg/wfdb.h"

namespace privaudit::ecg {

// Largest header file accepted. Headers are a few kilobytes because the WFDB format limits lines
// to 255 characters. A larger file is rejected before it is read, so a wrong path cannot load a
// large binary file into memory.
inline constexpr std::size_t kMaxWfdbHeaderBytes = 1 << 20;

// One signal specification line.
struct WfdbSignalLine {
  WfdbSignal signal;             // format, calibration and description, with WFDB defaults applied
  std::string file_name;         // signal file, a plain name in the header's folder
  std::uint64_t byte_offset = 0;  // bytes before sample 0 in the signal file ("+N" after the format)
  // 16-bit checksum of the signal's samples, compared when the record line gives the length.
  std::optional<std::int32_t> checksum;
  std::size_t line = 0;      // 1-based line number in the header, for messages
  std::size_t file_column = 1;    // 1-based column of the file name
  std::size_t format_column = 1;  // 1-based column of the format field
  std::size_t gain_column = 1;    // 1-based column of the gain field (1 when absent)
};

struct WfdbHeader {
  std::string record_name;
  double sampling_rate_hz = 250.0;  // the WFDB default when the record line gives none
  // Samples per signal, or nullopt when the record line gives 0 or nothing. Then the signal file
  // size decides.
  std::optional<std::uint64_t> samples;
  std::vector<WfdbSignalLine> signals;  // [signals], in header order
  std::size_t record_line = 1;          // 1-based line number of the record line
};

// Parses `text`, the content of the header file `path` (used in messages only). Throws
// InputError naming the path, line and column, the offending value and the fix, for: text that is
// not a header (control bytes, too large), a multi-segment record, a missing or bad field, a
// sampling frequency <= 0, a gain that is not finite, an unsupported format or format modifier,
// a signal count that differs from the number of signal lines, and signal files that are not
// plain names in the header's folder.
WfdbHeader parse_wfdb_header(std::string_view text, const std::filesystem::path& path);

}  // namespace privaudit::ecg
