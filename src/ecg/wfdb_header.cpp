#include "ecg/wfdb_header.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <system_error>

#include "core/error.h"
#include "ecg/wfdb_format.h"

namespace privaudit::ecg {

namespace {

// WFDB_DEFGAIN: ADC units per physical unit assumed for an uncalibrated signal (gain 0 or absent).
constexpr double kDefaultGain = 200.0;
// ADC resolution assumed for amplitude formats when the field is 0 or absent.
constexpr int kDefaultAdcResolution = 12;

// One whitespace-separated field of a line.
struct Field {
  std::string_view text;
  std::size_t column = 1;  // 1-based
};

// One non-empty, non-comment line.
struct Line {
  std::string_view text;
  std::size_t number = 1;  // 1-based
};

std::string location(const std::filesystem::path& path, std::size_t line, std::size_t column) {
  return fmt::format("'{}' line {}, column {}", path.string(), line, column);
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::vector<Field> split_fields(std::string_view line) {
  std::vector<Field> fields;
  std::size_t position = 0;
  while (position < line.size()) {
    while (position < line.size() && is_blank(line[position])) ++position;
    if (position >= line.size()) break;
    const std::size_t start = position;
    while (position < line.size() && !is_blank(line[position])) ++position;
    fields.push_back({line.substr(start, position - start), start + 1});
  }
  return fields;
}

template <typename T>
std::optional<T> parse_integer(std::string_view text) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Parses a decimal floating-point number. An out-of-range value comes back as infinity, so the
// caller reports it as not finite.
std::optional<double> parse_real(std::string_view text) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || end != text.data() + text.size()) return std::nullopt;
  if (error == std::errc::result_out_of_range) return std::numeric_limits<double>::infinity();
  if (error != std::errc()) return std::nullopt;
  return value;
}

// 1. Reject text that is not a header: too large, or holding control bytes (a binary file).
void check_is_text(std::string_view text, const std::filesystem::path& path) {
  if (text.size() > kMaxWfdbHeaderBytes) {
    throw InputError(fmt::format(
        "'{}' has {} bytes, more than the {} a WFDB header may have: check that the path names "
        "the record's .hea file",
        path.string(), text.size(), kMaxWfdbHeaderBytes));
  }
  std::size_t line = 1;
  std::size_t column = 1;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      ++line;
      column = 1;
      continue;
    }
    if ((byte < 0x20 && c != '\t' && c != '\r') || byte == 0x7F) {
      throw InputError(fmt::format(
          "{}: byte 0x{:02X} is not text, so this is not a WFDB header: check that the path names "
          "the record's .hea file and not its .dat signal file",
          location(path, line, column), byte));
    }
    ++column;
  }
}

// 2. Split into lines, dropping line ends, empty lines and comment lines (first printing
// character '#').
std::vector<Line> content_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t number = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || is_blank(line.back()))) line.remove_suffix(1);
    const std::size_t first = line.find_first_not_of(" \t");
    if (first != std::string_view::npos && line[first] != '#') lines.push_back({line, number});
    ++number;
    start = end + 1;
  }
  return lines;
}

// 3. Record line: name[/segments] signals [frequency[/counter[(base)]] [samples [time [date]]]].
struct RecordLine {
  std::string name;
  std::size_t signal_count = 0;
  double sampling_rate_hz = 250.0;
  std::optional<std::uint64_t> samples;
};

RecordLine parse_record_line(const Line& line, const std::filesystem::path& path) {
  const std::vector<Field> fields = split_fields(line.text);
  const Field& name = fields.at(0);
  if (const std::size_t slash = name.text.find('/'); slash != std::string_view::npos) {
    throw InputError(fmt::format(
        "{}: record '{}' is a multi-segment record, which privaudit does not read: convert it to "
        "a single-segment record first (for example with wfdb-python: rdrecord, then wrsamp)",
        location(path, line.number, name.column), name.text));
  }
  RecordLine record;
  record.name = std::string(name.text);

  if (fields.size() < 2) {
    throw InputError(fmt::format(
        "{}: the record line has no signal count: expected 'name signals [frequency [samples]]', "
        "such as '100 2 360 650000'",
        location(path, line.number, line.text.size() + 1)));
  }
  const std::optional<std::size_t> count = parse_integer<std::size_t>(fields[1].text);
  if (!count) {
    throw InputError(fmt::format("{}: signal count '{}' is invalid: expected a whole number >= 1",
                                 location(path, line.number, fields[1].column), fields[1].text));
  }
  if (*count == 0) {
    throw InputError(fmt::format(
        "{}: the record declares 0 signals: an ECG record needs at least one signal",
        location(path, line.number, fields[1].column)));
  }
  record.signal_count = *count;

  if (fields.size() >= 3) {
    const std::string_view text = fields[2].text.substr(0, fields[2].text.find('/'));
    const std::optional<double> rate = parse_real(text);
    if (!rate || !std::isfinite(*rate) || *rate <= 0.0) {
      throw InputError(fmt::format(
          "{}: sampling frequency '{}' is invalid: expected a finite number of samples per second "
          "> 0, such as 360: correct the record line",
          location(path, line.number, fields[2].column), text));
    }
    record.sampling_rate_hz = *rate;
  }

  if (fields.size() >= 4) {
    const std::optional<std::uint64_t> samples = parse_integer<std::uint64_t>(fields[3].text);
    if (!samples) {
      throw InputError(fmt::format(
          "{}: sample count '{}' is invalid: expected a whole number of samples per signal",
          location(path, line.number, fields[3].column), fields[3].text));
    }
    if (*samples > 0) record.samples = *samples;
  }
  return record;
}

// 4. Format field: code[xsamples_per_frame][:skew][+byte_offset].
void parse_format_field(const Field& field, const Line& line, const std::filesystem::path& path,
                        WfdbSignalLine& spec) {
  const std::string_view text = field.text;
  const std::size_t code_end = text.find_first_of("x:+");
  const std::string_view code_text = text.substr(0, code_end);
  const auto invalid = [&] {
    return InputError(fmt::format(
        "{}: format field '{}' is invalid: expected a format code with optional modifiers, such as "
        "'212' or '16+24'",
        location(path, line.number, field.column), text));
  };
  const std::optional<long> code = parse_integer<long>(code_text);
  if (!code) throw invalid();
  const std::optional<WfdbFormat> format = wfdb_format_from_code(*code);
  if (!format) {
    throw InputError(fmt::format(
        "{}: signal format {} is not supported because privaudit reads formats 16 and 212 only: "
        "convert the record to format 16 (for example with wfdb-python: rdrecord, then wrsamp with "
        "fmt '16')",
        location(path, line.number, field.column), *code));
  }
  spec.signal.format = *format;

  std::size_t position = code_text.size();
  while (position < text.size()) {
    const char modifier = text[position];
    const std::size_t end = text.find_first_of("x:+", position + 1);
    const std::string_view value_text = text.substr(position + 1, end - (position + 1));
    const std::optional<std::uint64_t> value = parse_integer<std::uint64_t>(value_text);
    if (!value) throw invalid();
    if (modifier == 'x' && *value > 1) {
      throw InputError(fmt::format(
          "{}: {} samples per frame (a multi-frequency record) is not supported: resample the "
          "record so that every signal has one sample per frame",
          location(path, line.number, field.column), *value));
    }
    if (modifier == ':' && *value != 0) {
      throw InputError(fmt::format(
          "{}: skew {} is not supported: remove the skew from the record first",
          location(path, line.number, field.column), *value));
    }
    if (modifier == '+') spec.byte_offset = *value;
    position = end == std::string_view::npos ? text.size() : end;
  }
}

// 5. Gain field: gain[(baseline)][/units]. Returns the baseline when the field gives one.
std::optional<std::int32_t> parse_gain_field(const Field& field, const Line& line,
                                             const std::filesystem::path& path,
                                             WfdbSignalLine& spec) {
  const std::string_view text = field.text;
  const auto invalid = [&] {
    return InputError(fmt::format(
        "{}: gain field '{}' is invalid: expected gain[(baseline)][/units], such as "
        "'200(1024)/mV'",
        location(path, line.number, field.column), text));
  };
  const std::size_t gain_end = text.find_first_of("(/");
  const std::string_view gain_text = text.substr(0, gain_end);
  const std::optional<double> gain = parse_real(gain_text);
  if (!gain) throw invalid();
  if (!std::isfinite(*gain)) {
    throw InputError(fmt::format(
        "{}: gain '{}' is not finite: expected ADC units per physical unit, such as 200",
        location(path, line.number, field.column), gain_text));
  }
  spec.signal.gain = *gain == 0.0 ? kDefaultGain : *gain;

  std::optional<std::int32_t> baseline;
  std::size_t position = gain_text.size();
  if (position < text.size() && text[position] == '(') {
    const std::size_t close = text.find(')', position);
    if (close == std::string_view::npos) throw invalid();
    baseline = parse_integer<std::int32_t>(text.substr(position + 1, close - position - 1));
    if (!baseline) throw invalid();
    position = close + 1;
  }
  if (position < text.size()) {
    if (text[position] != '/' || position + 1 == text.size()) throw invalid();
    spec.signal.units = std::string(text.substr(position + 1));
  }
  return baseline;
}

// Parses an integer field that must fit T, or throws naming it.
template <typename T>
T integer_field(const Field& field, const Line& line, const std::filesystem::path& path,
                std::string_view what) {
  const std::optional<T> value = parse_integer<T>(field.text);
  if (!value) {
    throw InputError(fmt::format("{}: {} '{}' is invalid: expected a whole number",
                                 location(path, line.number, field.column), what, field.text));
  }
  return *value;
}

// 6. Signal line: file format [gain [resolution [zero [initial [checksum [block [description]]]]]]].
WfdbSignalLine parse_signal_line(const Line& line, const std::filesystem::path& path) {
  const std::vector<Field> fields = split_fields(line.text);
  WfdbSignalLine spec;
  spec.line = line.number;
  spec.file_column = fields.at(0).column;
  spec.file_name = std::string(fields[0].text);
  const std::string_view name = fields[0].text;
  if (name == "-" || name == "~" || name == "." || name == ".." ||
      name.find_first_of("/\\") != std::string_view::npos) {
    throw InputError(fmt::format(
        "{}: signal file '{}' is not supported: expected the plain name of a file in the header's "
        "folder, such as '100.dat'",
        location(path, line.number, fields[0].column), name));
  }
  if (fields.size() < 2) {
    throw InputError(fmt::format(
        "{}: the signal line has no format field: expected 'file format [gain ...]', such as "
        "'100.dat 212 200(1024)/mV'",
        location(path, line.number, line.text.size() + 1)));
  }
  spec.format_column = fields[1].column;
  parse_format_field(fields[1], line, path, spec);

  std::optional<std::int32_t> baseline;
  if (fields.size() >= 3) {
    spec.gain_column = fields[2].column;
    baseline = parse_gain_field(fields[2], line, path, spec);
  }
  if (fields.size() >= 4) {
    const int resolution = integer_field<int>(fields[3], line, path, "ADC resolution");
    if (resolution < 0 || resolution > 32) {
      throw InputError(fmt::format("{}: ADC resolution {} is invalid: expected 0 to 32 bits",
                                   location(path, line.number, fields[3].column), resolution));
    }
    spec.signal.adc_resolution = resolution;
  }
  if (spec.signal.adc_resolution == 0) spec.signal.adc_resolution = kDefaultAdcResolution;
  if (fields.size() >= 5) {
    spec.signal.adc_zero = integer_field<std::int32_t>(fields[4], line, path, "ADC zero");
  }
  spec.signal.baseline = baseline.value_or(spec.signal.adc_zero);
  // The initial value matters only for difference formats, so it is checked but not used.
  if (fields.size() >= 6) integer_field<std::int32_t>(fields[5], line, path, "initial value");
  if (fields.size() >= 7) {
    spec.checksum = integer_field<std::int32_t>(fields[6], line, path, "checksum");
  }
  if (fields.size() >= 8) integer_field<std::int64_t>(fields[7], line, path, "block size");
  if (fields.size() >= 9) spec.signal.description = std::string(line.text.substr(fields[8].column - 1));
  return spec;
}

// 7. Signals that share a file are consecutive and share its format and byte offset.
void check_signal_groups(const std::vector<WfdbSignalLine>& signals, const std::filesystem::path& path) {
  std::set<std::string> finished_files;
  for (std::size_t i = 0; i < signals.size(); ++i) {
    const WfdbSignalLine& spec = signals[i];
    const bool continues_group = i > 0 && signals[i - 1].file_name == spec.file_name;
    if (!continues_group) {
      if (finished_files.count(spec.file_name) > 0) {
        throw InputError(fmt::format(
            "{}: signal file '{}' appears again after other files: the signal lines of one file "
            "must be consecutive",
            location(path, spec.line, spec.file_column), spec.file_name));
      }
      if (i > 0) finished_files.insert(signals[i - 1].file_name);
      continue;
    }
    const WfdbSignalLine& previous = signals[i - 1];
    if (previous.signal.format != spec.signal.format || previous.byte_offset != spec.byte_offset) {
      throw InputError(fmt::format(
          "{}: format field differs from line {} although both signals are in '{}': signals in "
          "one file share its format and byte offset",
          location(path, spec.line, spec.format_column), previous.line, spec.file_name));
    }
  }
}

}  // namespace

WfdbHeader parse_wfdb_header(std::string_view text, const std::filesystem::path& path) {
  check_is_text(text, path);
  const std::vector<Line> lines = content_lines(text);
  if (lines.empty()) {
    throw InputError(fmt::format(
        "'{}' has no record line: a WFDB header starts with 'name signals [frequency [samples]]'",
        path.string()));
  }

  const RecordLine record = parse_record_line(lines[0], path);
  WfdbHeader header;
  header.record_name = record.name;
  header.sampling_rate_hz = record.sampling_rate_hz;
  header.samples = record.samples;
  header.record_line = lines[0].number;

  const std::size_t signal_lines = lines.size() - 1;
  if (signal_lines != record.signal_count) {
    throw InputError(fmt::format(
        "{}: the record line declares {} signals but the header has {} signal lines: correct the "
        "signal count or the signal lines",
        location(path, lines[0].number, split_fields(lines[0].text).at(1).column),
        record.signal_count, signal_lines));
  }
  for (std::size_t i = 1; i < lines.size(); ++i) header.signals.push_back(parse_signal_line(lines[i], path));
  check_signal_groups(header.signals, path);
  return header;
}

}  // namespace privaudit::ecg
