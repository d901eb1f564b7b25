// write_wfdb: checks the signals, then writes the signal file and the header.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/atomic_file.h"
#include "core/error.h"
#include "ecg/wfdb.h"
#include "ecg/wfdb_format.h"

namespace privaudit::ecg {

namespace fs = std::filesystem;

namespace {

bool is_record_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool has_control_or_blank(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) return true;
  }
  return false;
}

bool has_control(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20) || byte == 0x7F) return true;
  }
  return false;
}

// 1. Check everything the header and signal file need, so that nothing is written for bad input.
void check_signals(const fs::path& header, const WfdbSignals& signals) {
  if (header.extension() != ".hea") {
    throw UsageError(fmt::format("WFDB header path '{}' is invalid: expected a name ending in .hea",
                                 header.string()));
  }
  const std::string name = header.stem().string();
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_record_name_char)) {
    throw UsageError(fmt::format(
        "WFDB record name '{}' is invalid: a record name may contain letters, digits and "
        "underscores only; rename the header file",
        name));
  }
  if (!std::isfinite(signals.sampling_rate_hz) || signals.sampling_rate_hz <= 0.0) {
    throw UsageError(fmt::format("sampling_rate_hz {} is invalid: expected a finite value > 0",
                                 signals.sampling_rate_hz));
  }
  if (signals.signals.empty() || signals.samples == 0) {
    throw UsageError(fmt::format(
        "a WFDB record needs at least one signal and one sample, but has {} signals of {} samples",
        signals.signals.size(), signals.samples));
  }
  if (signals.digital.size() != signals.signals.size() * signals.samples) {
    throw UsageError(fmt::format("digital has {} values but {} signals of {} samples need {}",
                                 signals.digital.size(), signals.signals.size(), signals.samples,
                                 signals.signals.size() * signals.samples));
  }

  const WfdbFormat format = signals.signals.front().format;
  for (std::size_t s = 0; s < signals.signals.size(); ++s) {
    const WfdbSignal& signal = signals.signals[s];
    if (signal.format != format) {
      throw UsageError(fmt::format(
          "signal {} has format {} but signal 0 has format {}: write_wfdb puts all signals in one "
          "file, so give them one format",
          s, static_cast<int>(signal.format), static_cast<int>(format)));
    }
    if (!std::isfinite(signal.gain) || signal.gain == 0.0) {
      throw UsageError(fmt::format("signal {} gain {} is invalid: expected a finite nonzero number of "
                                   "ADC units per physical unit",
                                   s, signal.gain));
    }
    if (signal.units.empty() || has_control_or_blank(signal.units)) {
      throw UsageError(fmt::format("signal {} units '{}' are invalid: expected a name without spaces, "
                                   "such as mV",
                                   s, signal.units));
    }
    if (signal.adc_resolution < 0 || signal.adc_resolution > wfdb_sample_bits(format)) {
      throw UsageError(fmt::format("signal {} adc_resolution {} is invalid: expected 0 to {} bits", s,
                                   signal.adc_resolution, wfdb_sample_bits(format)));
    }
    const std::string_view description = signal.description;
    if (has_control(description) || (!description.empty() && (description.front() == ' ' ||
                                                               description.back() == ' '))) {
      throw UsageError(fmt::format(
          "signal {} description '{}' is invalid: expected text without control characters and "
          "without leading or trailing spaces",
          s, description));
    }
    for (std::size_t i = 0; i < signals.samples; ++i) {
      const std::int32_t value = signals.at(s, i);
      if (value < wfdb_min_sample(format) || value > wfdb_max_sample(format)) {
        throw UsageError(fmt::format(
            "signal {} sample {} = {} is outside the range [{}, {}] of format {}: use format 16 "
            "or rescale the signal",
            s, i, value, wfdb_min_sample(format), wfdb_max_sample(format), static_cast<int>(format)));
      }
    }
  }
}

// The WFDB checksum: the sum of a signal's samples modulo 2^16, as a signed 16-bit number.
std::int16_t checksum(const WfdbSignals& signals, std::size_t signal) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < signals.samples; ++i) sum += static_cast<std::uint32_t>(signals.at(signal, i));
  return static_cast<std::int16_t>(static_cast<std::uint16_t>(sum & 0xFFFFu));
}

}  // namespace

void write_wfdb(const fs::path& header, const WfdbSignals& signals) {
  check_signals(header, signals);

  // 2. Signal file: frames of all signals, interleaved.
  const std::size_t count = signals.signals.size();
  const WfdbFormat format = signals.signals.front().format;
  std::vector<std::int32_t> stream(count * signals.samples);
  for (std::size_t i = 0; i < signals.samples; ++i) {
    for (std::size_t s = 0; s < count; ++s) stream[i * count + s] = signals.at(s, i);
  }
  const std::string record_name = header.stem().string();
  const std::string file_name = record_name + ".dat";
  AtomicFile signal_file(header.parent_path() / file_name);
  signal_file.write(encode_wfdb_samples(format, stream));
  signal_file.commit();

  // 3. Header: record line, then one signal line per signal. The block size is 0.
  std::string text = fmt::format("{} {} {} {}\n", record_name, count, signals.sampling_rate_hz,
                                 signals.samples);
  for (std::size_t s = 0; s < count; ++s) {
    const WfdbSignal& signal = signals.signals[s];
    const int resolution = signal.adc_resolution == 0 ? wfdb_sample_bits(format) : signal.adc_resolution;
    text += fmt::format("{} {} {}({})/{} {} {} {} {} 0", file_name, static_cast<int>(format),
                        signal.gain, signal.baseline, signal.units, resolution, signal.adc_zero,
                        signals.at(s, 0), checksum(signals, s));
    if (!signal.description.empty()) text += " " + signal.description;
    text += '\n';
  }
  write_file_atomic(header, text);
}

}  // namespace privaudit::ecg
