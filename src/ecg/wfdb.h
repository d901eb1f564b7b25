// PhysioNet WFDB records: a text header (.hea) plus binary signal files (.dat) in the same
// folder. Reads single-segment records in formats 16 and 212 and writes records in either format.
// Format description: https://physionet.org/physiotools/wag/header-5.htm and signal-5.htm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ecg/ecg_record.h"

namespace privaudit::ecg {

// WFDB storage formats that privaudit reads and writes. Each value is the header's format code.
enum class WfdbFormat {
  k16 = 16,    // little-endian two's complement int16, one per sample
  k212 = 212,  // two 12-bit two's complement samples packed into 3 bytes
};

// One signal's storage and calibration, as on its header line.
struct WfdbSignal {
  // Storage format of the signal file. The writer puts every signal into one file and needs the
  // same format for all of them.
  WfdbFormat format = WfdbFormat::k16;
  // ADC units per physical unit, finite and nonzero. The reader sets 200 (the WFDB default) when
  // the header gives 0 or no gain.
  double gain = 200.0;
  // Digital value that corresponds to 0 physical units. The reader sets adc_zero when the header
  // gives no baseline.
  std::int32_t baseline = 0;
  // Physical units without spaces. The reader sets "mV" when the header gives none.
  std::string units = "mV";
  // ADC resolution in bits, 1 to 16 (at most 12 for format 212). With 0 the writer puts the
  // format's width (16 or 12) and the reader sets 12, the WFDB default.
  int adc_resolution = 0;
  // Digital value at the middle of the ADC's input range.
  std::int32_t adc_zero = 0;
  // Free-text description without control characters: the lead name for ECGs ("MLII", "V1").
  std::string description;
};

// A record's digital samples with the calibration of each signal.
struct WfdbSignals {
  double sampling_rate_hz = 250.0;  // samples per second per signal, finite and > 0
  std::size_t samples = 0;          // per signal, >= 1
  std::vector<WfdbSignal> signals;  // [signals], >= 1
  // [signals, samples], row-major, in ADC units. Format 16 stores [-32768, 32767] and format 212
  // stores [-2048, 2047]. The lowest value of each range marks an invalid sample.
  std::vector<std::int32_t> digital;

  std::int32_t at(std::size_t signal, std::size_t sample) const {
    return digital[signal * samples + sample];
  }
};

// Reads the record whose header is `header` and returns its digital samples. Signal files are
// found in the header's folder; several signals may share a file (interleaved frames) or use
// separate files. Throws InputError naming the file and line for content it cannot use
// (unsupported format, multi-segment record, signal file too short or missing, bad field) and
// IoError when a file exists but cannot be read.
WfdbSignals read_wfdb_digital(const std::filesystem::path& header);

// Reads a record as an ECG in millivolts: (digital - baseline) / gain, scaled from the header's
// units (V, mV, uV or µV). Invalid samples become NaN. Lead names are the signal descriptions.
// Throws as read_wfdb_digital, and InputError for a signal whose units are not a voltage.
EcgRecord read_wfdb(const std::filesystem::path& header);

// Writes `signals` as the record named by `header` (a path ending in .hea): the header and one
// signal file beside it with the same stem and the extension .dat, holding all signals as
// interleaved frames. Both files are written atomically, the signal file first. Throws
// UsageError for signals that the format cannot store (a value outside its range, mixed formats,
// a bad gain, rate or description) and IoError when a file cannot be written.
void write_wfdb(const std::filesystem::path& header, const WfdbSignals& signals);

}  // namespace privaudit::ecg
