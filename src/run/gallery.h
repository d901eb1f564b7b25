// The opt-in gallery of summary.json (--gallery): the preprocessed images or ECG traces of the
// most exposed patients, so that the audit team can see which records a model memorises. It shows
// patient data, so it is off by default and the report warns about it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "media/media_options.h"
#include "risk/record_risk.h"
#include "run/run_context.h"

namespace privaudit::run {

// Maximum patients shown, taken from the top of the exposed-patient list. It bounds the size of
// summary.json.
inline constexpr std::size_t kGalleryMaxPatients = 50;
// Records shown per patient, the most exposed first.
inline constexpr std::size_t kGalleryMaxRecords = 4;
// Largest image side, in pixels, kept in the gallery. A larger image is shrunk by area averaging,
// so the at most 200 images (50 patients, 4 records each) stay below 200 * 256 * 256 * 3 bytes
// (39 MB) before PNG compression.
inline constexpr std::size_t kGalleryMaxImageSide = 256;
// Leads shown per ECG (the first ones) and points per lead after downsampling.
inline constexpr std::size_t kGalleryMaxLeads = 12;
inline constexpr std::size_t kGalleryMaxPoints = 500;

// Views into the run data that the gallery reads. The data must outlive the gallery_json call.
struct GalleryInputs {
  // kEcg or kImage.
  media::MediaOptions::Modality modality = media::MediaOptions::Modality::kImage;
  // Shape of one record, [channels, height, width]: ECG [leads, 1, samples], image
  // [channels, side, side] with 1 or 3 channels.
  std::size_t shape[3] = {0, 0, 0};
  // Preprocessed values of every table record, [records, channels * height * width]: ECG leads
  // z-scored, image values in [0, 1].
  std::span<const float> values;
  // ECG sampling rate after resampling, in Hz, recorded for the time axis. Unused for images.
  double ecg_rate_hz = 0.0;
  // Lead names, [leads], or empty when the run has not recorded them.
  std::span<const std::string> lead_names;
  // Table record of each pool record, [pool records].
  std::span<const std::uint32_t> pool_records;
  // Pool patient of each pool record, [pool records], an index into the pool patients.
  std::span<const std::int32_t> pool_patient_of_record;
  // Risk of each pool record, [pool records].
  std::span<const risk::RecordRisk> record_risk;
  // Table records, for the size checks of `values`.
  std::size_t records = 0;
  // Label of a table record as text (its class name, or its positive labels in a multi-label task).
  std::function<std::string(std::uint32_t record)> label_text;
};

// Throws UsageError when `context` is a feature-table run, which has no images or traces to show.
void check_gallery_modality(const RunContext& context);

// Returns the inputs of a loaded ECG or image run, with `record_risk` of [pool records].
GalleryInputs gallery_inputs(const RunContext& context, std::span<const risk::RecordRisk> record_risk);

// Builds the "gallery" object of summary.json. `exposed_patients` is the "exposed_patients" array
// (ids already pseudonymised where requested) and `exposed_pool_patients` the pool patient index
// of each of its entries, in the same order. The object has:
// - "modality" ("image" or "ecg"), "max_patients", "max_records_per_patient", "listed_patients";
// - images: "image" {"channels", "height", "width" (as shown), "source_height", "source_width"};
// - ECGs: "ecg" {"leads", "leads_shown", "samples", "step", "points", "rate_hz", and "lead_names"
//   when known}, where step = ceil(samples / kGalleryMaxPoints);
// - "patients": the first kGalleryMaxPatients exposed patients, each {"id", "joint_auc",
//   "joint_auc_se" (copied), "pool_records", "records"}. "records" holds up to kGalleryMaxRecords
//   of the patient's pool records by descending binormal AUC (NaN last, ties in pool order), each
//   {"label", "auc", "auc_se"} and either "image", a data:image/png;base64 URI of the 8-bit image
//   (values clamped to [0, 1], NaN as 0), or "leads", one string per lead shown of every step-th
//   sample rounded to 3 decimals and joined by commas (an empty field where a value is not finite).
// Throws UsageError for a table run and InternalError when the inputs disagree in size.
nlohmann::json gallery_json(const GalleryInputs& inputs, const nlohmann::json& exposed_patients,
                            std::span<const std::size_t> exposed_pool_patients);

}  // namespace privaudit::run
