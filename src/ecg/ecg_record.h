// A multi-lead ECG in physical units, lead-major.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace privaudit::ecg {

struct EcgRecord {
  std::size_t leads = 0;            // >= 1
  std::size_t samples = 0;          // per lead, >= 1
  double sampling_rate_hz = 0.0;    // > 0
  std::vector<std::string> lead_names;  // [leads]; empty strings when the file names none
  // [leads, samples], row-major, in physical units (millivolts for WFDB and DICOM ECGs):
  // (digital value - baseline) / gain.
  std::vector<float> values;

  float at(std::size_t lead, std::size_t sample) const { return values[lead * samples + sample]; }
};

}  // namespace privaudit::ecg
