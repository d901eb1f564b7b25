#include "ecg/npy_ecg.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <span>

#include "core/error.h"
#include "core/npy.h"

namespace privaudit::ecg {

namespace {

// Copies a [rows, columns] array into record.values ([leads, samples]), transposing when the
// file is [samples, leads]. Rejects values that are not finite.
template <typename T>
void copy_values(std::span<const T> data, NpyLayout layout, EcgRecord& record,
                 const std::filesystem::path& path) {
  record.values.resize(record.leads * record.samples);
  for (std::size_t lead = 0; lead < record.leads; ++lead) {
    for (std::size_t sample = 0; sample < record.samples; ++sample) {
      const std::size_t index = layout == NpyLayout::kLeadsSamples ? lead * record.samples + sample
                                                                   : sample * record.leads + lead;
      const auto value = static_cast<float>(data[index]);
      if (!std::isfinite(value)) {
        throw InputError(fmt::format(
            "'{}': value {} at lead {}, sample {} is not finite (or does not fit float32): an ECG "
            "array needs finite values, so fill or drop missing samples first",
            path.string(), static_cast<double>(data[index]), lead, sample));
      }
      record.values[lead * record.samples + sample] = value;
    }
  }
}

}  // namespace

EcgRecord read_ecg_npy(const std::filesystem::path& path, NpyLayout layout, double sampling_rate_hz) {
  if (!std::isfinite(sampling_rate_hz) || sampling_rate_hz <= 0.0) {
    throw UsageError(fmt::format(
        "sampling rate {} Hz for '{}' is invalid: expected a finite rate > 0, such as 500",
        sampling_rate_hz, path.string()));
  }

  // 1. Read the array, adding the supported dtypes to read_npy's message.
  NpyArray array;
  try {
    array = read_npy(path);
  } catch (const InputError& error) {
    throw InputError(fmt::format(
        "{}. An ECG array must be a C-order float32, float64, int32 or int16 array saved with "
        "numpy.save",
        error.what()));
  }
  if (array.type != NpyType::kFloat32 && array.type != NpyType::kFloat64 &&
      array.type != NpyType::kInt32 && array.type != NpyType::kInt16) {
    throw InputError(fmt::format(
        "'{}' has dtype {}, but an ECG array must be float32, float64, int32 or int16: convert it "
        "with numpy's astype('float32')",
        path.string(), npy_descr(array.type)));
  }

  // 2. Check the shape.
  if (array.shape.size() != 2) {
    throw InputError(fmt::format(
        "'{}' has {} dimensions, but an ECG array must be 2-D, [samples, leads] or [leads, "
        "samples]: reshape a single lead to (samples, 1)",
        path.string(), array.shape.size()));
  }
  EcgRecord record;
  record.sampling_rate_hz = sampling_rate_hz;
  record.samples = layout == NpyLayout::kSamplesLeads ? array.shape[0] : array.shape[1];
  record.leads = layout == NpyLayout::kSamplesLeads ? array.shape[1] : array.shape[0];
  if (record.samples == 0 || record.leads == 0) {
    throw InputError(fmt::format(
        "'{}' has shape ({}, {}), which leaves {} leads of {} samples: an ECG needs at least one "
        "of each",
        path.string(), array.shape[0], array.shape[1], record.leads, record.samples));
  }
  record.lead_names.assign(record.leads, std::string());

  // 3. Copy the values lead by lead.
  switch (array.type) {
    case NpyType::kFloat32: copy_values(array.as<float>(), layout, record, path); break;
    case NpyType::kFloat64: copy_values(array.as<double>(), layout, record, path); break;
    case NpyType::kInt32: copy_values(array.as<std::int32_t>(), layout, record, path); break;
    case NpyType::kInt16: copy_values(array.as<std::int16_t>(), layout, record, path); break;
    case NpyType::kUint8: break;  // rejected above
  }
  return record;
}

}  // namespace privaudit::ecg
