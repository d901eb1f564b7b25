// ECGs stored as 2-D NumPy arrays (.npy). The array contains values in physical units. The file
// stores no sampling rate and no lead names.
#pragma once

#include <filesystem>

#include "ecg/ecg_record.h"

namespace privaudit::ecg {

// Axis order of the array in the file.
enum class NpyLayout {
  kSamplesLeads,  // shape [samples, leads], as numpy arrays of shape (5000, 12)
  kLeadsSamples,  // shape [leads, samples]
};

// Reads a C-order float32, float64 or int32 array with `layout` and returns it as an ECG sampled
// at `sampling_rate_hz` with empty lead names. Throws UsageError for a rate that is not finite
// and > 0, InputError naming the file for a file that read_npy rejects (including other dtypes),
// an array that is not 2-D, an empty axis, or a value that is not finite, and IoError when the
// file cannot be read.
EcgRecord read_ecg_npy(const std::filesystem::path& path, NpyLayout layout, double sampling_rate_hz);

}  // namespace privaudit::ecg
