// read_wfdb_digital and read_wfdb: header parsing, signal file checks, decoding.
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <system_error>

#include "core/atomic_file.h"
#include "core/error.h"
#include "ecg/wfdb.h"
#include "ecg/wfdb_format.h"
#include "ecg/wfdb_header.h"

namespace privaudit::ecg {

namespace fs = std::filesystem;

namespace {

// Frames decoded per read, so that the raw bytes of a long record are not all held at once. Even,
// so that every chunk of a format 212 file starts on a whole 3-byte pair.
constexpr std::size_t kChunkFrames = std::size_t{1} << 16;

// Consecutive signals stored in one signal file.
struct SignalGroup {
  std::size_t first = 0;  // index of the group's first signal
  std::size_t count = 0;  // signals in the group, interleaved frame by frame
  fs::path file;
  std::uintmax_t file_size = 0;
};

std::string line_location(const fs::path& header, const WfdbSignalLine& line, std::size_t column) {
  return fmt::format("'{}' line {}, column {}", header.string(), line.line, column);
}

std::string read_header_text(const fs::path& header) {
  std::error_code error;
  const std::uintmax_t size = fs::file_size(header, error);
  if (error) {
    throw IoError(fmt::format("cannot read the WFDB header '{}': {}", header.string(), error.message()));
  }
  if (size > kMaxWfdbHeaderBytes) {
    throw InputError(fmt::format(
        "'{}' has {} bytes, more than the {} a WFDB header may have: check that the path names "
        "the record's .hea file",
        header.string(), size, kMaxWfdbHeaderBytes));
  }
  return read_file(header);
}

// 1. Group consecutive signals by file and check that each file exists.
std::vector<SignalGroup> find_signal_groups(const WfdbHeader& header, const fs::path& header_path) {
  std::vector<SignalGroup> groups;
  for (std::size_t i = 0; i < header.signals.size(); ++i) {
    const WfdbSignalLine& line = header.signals[i];
    if (i > 0 && header.signals[i - 1].file_name == line.file_name) {
      ++groups.back().count;
      continue;
    }
    SignalGroup group;
    group.first = i;
    group.count = 1;
    group.file = header_path.parent_path() / line.file_name;
    std::error_code error;
    const fs::file_status status = fs::status(group.file, error);
    if (!fs::exists(status)) {
      throw InputError(fmt::format(
          "{}: signal file '{}' was not found: put the record's signal file beside its header",
          line_location(header_path, line, line.file_column), group.file.string()));
    }
    if (!fs::is_regular_file(status)) {
      throw InputError(fmt::format("{}: signal file '{}' is not a regular file",
                                   line_location(header_path, line, line.file_column),
                                   group.file.string()));
    }
    group.file_size = fs::file_size(group.file, error);
    if (error) {
      throw IoError(fmt::format("cannot read the size of '{}': {}", group.file.string(), error.message()));
    }
    groups.push_back(group);
  }
  return groups;
}

// 2. Samples per signal: the record line's count, or else the frames the signal files contain.
std::size_t count_samples(const WfdbHeader& header, const std::vector<SignalGroup>& groups,
                          const fs::path& header_path) {
  if (header.samples) {
    if (*header.samples > std::numeric_limits<std::size_t>::max()) {
      throw InputError(fmt::format("'{}' line {}: sample count {} is too large", header_path.string(),
                                   header.record_line, *header.samples));
    }
    return static_cast<std::size_t>(*header.samples);
  }
  std::size_t frames = std::numeric_limits<std::size_t>::max();
  for (const SignalGroup& group : groups) {
    const WfdbSignalLine& line = header.signals[group.first];
    const std::uintmax_t data_bytes =
        group.file_size > line.byte_offset ? group.file_size - line.byte_offset : 0;
    frames = std::min(frames, wfdb_samples_in_bytes(line.signal.format, data_bytes) / group.count);
  }
  if (frames == 0) {
    throw InputError(fmt::format(
        "'{}': the signal file '{}' contains no complete frame and the record line gives no sample "
        "count: check that the signal file belongs to this header",
        header_path.string(), groups.front().file.string()));
  }
  return frames;
}

// 3. Check each file's size against the bytes the samples need, before any allocation.
void check_file_sizes(const WfdbHeader& header, const std::vector<SignalGroup>& groups,
                      std::size_t samples, const fs::path& header_path) {
  for (const SignalGroup& group : groups) {
    const WfdbSignalLine& line = header.signals[group.first];
    const bool overflow = samples > std::numeric_limits<std::size_t>::max() / group.count;
    const std::optional<std::size_t> data_bytes =
        overflow ? std::nullopt : wfdb_bytes_for_samples(line.signal.format, samples * group.count);
    const bool fits = data_bytes && line.byte_offset <= group.file_size &&
                      *data_bytes <= group.file_size - line.byte_offset;
    if (!fits) {
      throw InputError(fmt::format(
          "{}: signal file '{}' has {} bytes, fewer than the {} frames of {} signals in format {} "
          "that the record line (line {}) declares: the file is truncated or the header's sample "
          "count is wrong",
          line_location(header_path, line, line.file_column), group.file.string(), group.file_size,
          samples, group.count, static_cast<int>(line.signal.format), header.record_line));
    }
  }
}

// 4. Decode one group's file into its rows of `digital` ([signals, samples]).
void decode_group(const WfdbHeader& header, const SignalGroup& group, std::size_t samples,
                  std::vector<std::int32_t>& digital) {
  const WfdbSignalLine& line = header.signals[group.first];
  const WfdbFormat format = line.signal.format;
  std::ifstream in(group.file, std::ios::binary);
  if (!in) throw IoError(fmt::format("cannot open '{}'", group.file.string()));

  std::vector<std::byte> bytes;
  std::vector<std::int32_t> stream;
  for (std::size_t first_frame = 0; first_frame < samples; first_frame += kChunkFrames) {
    const std::size_t frames = std::min(kChunkFrames, samples - first_frame);
    const std::size_t first_sample = first_frame * group.count;
    const std::size_t start = line.byte_offset + *wfdb_bytes_for_samples(format, first_sample);
    stream.resize(frames * group.count);
    bytes.resize(*wfdb_bytes_for_samples(format, stream.size()));
    in.seekg(static_cast<std::streamoff>(start));
    if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) {
      throw IoError(fmt::format("reading '{}' at byte {} failed", group.file.string(), start));
    }
    decode_wfdb_samples(format, bytes, stream);
    for (std::size_t frame = 0; frame < frames; ++frame) {
      for (std::size_t k = 0; k < group.count; ++k) {
        digital[(group.first + k) * samples + first_frame + frame] = stream[frame * group.count + k];
      }
    }
  }
}

// 5. Compare the header's checksums: the 16-bit sum of each signal's samples.
void verify_checksums(const WfdbHeader& header, const WfdbSignals& signals, const fs::path& header_path) {
  if (!header.samples) return;  // without a sample count the WFDB format disables checksums
  for (std::size_t s = 0; s < header.signals.size(); ++s) {
    const WfdbSignalLine& line = header.signals[s];
    if (!line.checksum) continue;
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < signals.samples; ++i) sum += static_cast<std::uint32_t>(signals.at(s, i));
    const auto computed = static_cast<std::int16_t>(static_cast<std::uint16_t>(sum & 0xFFFFu));
    const auto expected = static_cast<std::int16_t>(static_cast<std::uint16_t>(*line.checksum & 0xFFFF));
    if (computed != expected) {
      throw InputError(fmt::format(
          "'{}' line {}: checksum of signal {} is {} in the header but {} in '{}': the signal file "
          "is damaged or belongs to another record",
          header_path.string(), line.line, s, *line.checksum, computed, line.file_name));
    }
  }
}

WfdbSignals read_signals(const WfdbHeader& header, const fs::path& header_path) {
  const std::vector<SignalGroup> groups = find_signal_groups(header, header_path);
  const std::size_t samples = count_samples(header, groups, header_path);
  check_file_sizes(header, groups, samples, header_path);

  WfdbSignals signals;
  signals.sampling_rate_hz = header.sampling_rate_hz;
  signals.samples = samples;
  for (const WfdbSignalLine& line : header.signals) signals.signals.push_back(line.signal);
  signals.digital.resize(header.signals.size() * samples);
  for (const SignalGroup& group : groups) decode_group(header, group, samples, signals.digital);
  verify_checksums(header, signals, header_path);
  return signals;
}

// Millivolts per physical unit for the voltage units that ECG headers use.
std::optional<double> millivolts_per_unit(std::string_view units) {
  if (units == "mV") return 1.0;
  if (units == "uV" || units == "\xC2\xB5V" || units == "\xCE\xBCV") return 1e-3;  // u, micro, mu
  if (units == "V") return 1e3;
  return std::nullopt;
}

}  // namespace

WfdbSignals read_wfdb_digital(const fs::path& header) {
  const WfdbHeader parsed = parse_wfdb_header(read_header_text(header), header);
  return read_signals(parsed, header);
}

EcgRecord read_wfdb(const fs::path& header) {
  const WfdbHeader parsed = parse_wfdb_header(read_header_text(header), header);
  std::vector<double> millivolts_per_signal_unit;
  for (const WfdbSignalLine& line : parsed.signals) {
    const std::optional<double> millivolts = millivolts_per_unit(line.signal.units);
    if (!millivolts) {
      throw InputError(fmt::format(
          "{}: units '{}' of signal '{}' are not a voltage, but an ECG needs V, mV, uV or µV: "
          "keep only the ECG signals in the record",
          line_location(header, line, line.gain_column), line.signal.units, line.signal.description));
    }
    millivolts_per_signal_unit.push_back(*millivolts);
  }
  const WfdbSignals signals = read_signals(parsed, header);

  EcgRecord record;
  record.leads = signals.signals.size();
  record.samples = signals.samples;
  record.sampling_rate_hz = signals.sampling_rate_hz;
  record.values.resize(record.leads * record.samples);
  for (std::size_t lead = 0; lead < record.leads; ++lead) {
    const WfdbSignal& signal = signals.signals[lead];
    record.lead_names.push_back(signal.description);
    const std::int32_t invalid = wfdb_min_sample(signal.format);
    for (std::size_t i = 0; i < record.samples; ++i) {
      const std::int32_t value = signals.at(lead, i);
      const double physical = (static_cast<double>(value) - signal.baseline) / signal.gain;
      record.values[lead * record.samples + i] =
          value == invalid ? std::numeric_limits<float>::quiet_NaN()
                           : static_cast<float>(physical * millivolts_per_signal_unit[lead]);
    }
  }
  return record;
}

}  // namespace privaudit::ecg
