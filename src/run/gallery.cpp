#include "run/gallery.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/base64.h"
#include "core/error.h"
#include "data/dataset.h"
#include "image/image.h"
#include "image/png_writer.h"
#include "image/resize.h"

namespace privaudit::run {

namespace {

using Modality = media::MediaOptions::Modality;

nlohmann::json finite_or_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

// A value rounded to 3 decimals in its shortest form ("-0.645", "1.5", "0", never "-0"), or ""
// when it is not finite.
std::string rounded_text(float value) {
  if (!std::isfinite(value)) return "";
  const double out = std::round(static_cast<double>(value) * 1000.0) / 1000.0;
  return fmt::format("{}", out == 0.0 ? 0.0 : out);
}

// Side lengths of the gallery image: the record's shape, shrunk to kGalleryMaxImageSide on its
// longer side when larger.
std::pair<std::size_t, std::size_t> shown_extent(std::size_t height, std::size_t width) {
  const std::size_t longer = std::max(height, width);
  if (longer <= kGalleryMaxImageSide) return {height, width};
  const auto scale = [&](std::size_t side) {
    const auto scaled = static_cast<std::size_t>(std::lround(static_cast<double>(side * kGalleryMaxImageSide) /
                                                             static_cast<double>(longer)));
    return std::max<std::size_t>(1, scaled);
  };
  return {scale(height), scale(width)};
}

std::string image_data_uri(const GalleryInputs& inputs, std::span<const float> record) {
  image::Image picture;
  picture.channels = inputs.shape[0];
  picture.height = inputs.shape[1];
  picture.width = inputs.shape[2];
  // encode_png rejects NaN, so a damaged value shows as black rather than stopping the analysis.
  picture.values.resize(record.size());
  std::transform(record.begin(), record.end(), picture.values.begin(),
                 [](float v) { return std::isnan(v) ? 0.0f : v; });
  const auto [height, width] = shown_extent(picture.height, picture.width);
  if (height != picture.height || width != picture.width) picture = image::resize(picture, height, width);
  const std::vector<unsigned char> png = image::encode_png(picture);
  return "data:image/png;base64," + base64_encode(std::span<const std::uint8_t>(png.data(), png.size()));
}

// Every step-th sample of each of the first kGalleryMaxLeads leads, [leads shown]. Each lead is one
// comma-separated string, about a third of the size of a JSON array of numbers, because
// summary.json is indented and would write one number per line.
nlohmann::json ecg_leads(const GalleryInputs& inputs, std::span<const float> record, std::size_t step) {
  const std::size_t samples = inputs.shape[2];
  const std::size_t leads = std::min(inputs.shape[0], kGalleryMaxLeads);
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t lead = 0; lead < leads; ++lead) {
    std::string points;
    for (std::size_t s = 0; s < samples; s += step) {
      if (s > 0) points += ',';
      points += rounded_text(record[lead * samples + s]);
    }
    out.push_back(std::move(points));
  }
  return out;
}

void check_sizes(const GalleryInputs& inputs, const nlohmann::json& exposed_patients,
                 std::span<const std::size_t> exposed_pool_patients) {
  const std::size_t pool = inputs.pool_records.size();
  PRIVAUDIT_CHECK(inputs.pool_patient_of_record.size() == pool && inputs.record_risk.size() == pool,
                  fmt::format("gallery: {} pool records, {} pool patient entries, {} record risks", pool,
                              inputs.pool_patient_of_record.size(), inputs.record_risk.size()));
  const std::size_t record_size = inputs.shape[0] * inputs.shape[1] * inputs.shape[2];
  PRIVAUDIT_CHECK(record_size > 0 && inputs.values.size() == inputs.records * record_size,
                  fmt::format("gallery: {} values for {} records of shape [{}, {}, {}]", inputs.values.size(),
                              inputs.records, inputs.shape[0], inputs.shape[1], inputs.shape[2]));
  PRIVAUDIT_CHECK(static_cast<bool>(inputs.label_text), "gallery: no label_text function");
  PRIVAUDIT_CHECK(exposed_patients.is_array() && exposed_patients.size() == exposed_pool_patients.size(),
                  fmt::format("gallery: {} exposed patients but {} pool patient indices", exposed_patients.size(),
                              exposed_pool_patients.size()));
  for (const std::uint32_t record : inputs.pool_records) {
    PRIVAUDIT_CHECK(record < inputs.records,
                    fmt::format("gallery: pool record {} beyond {} records", record, inputs.records));
  }
  if (inputs.modality == Modality::kImage) {
    PRIVAUDIT_CHECK(inputs.shape[0] == 1 || inputs.shape[0] == 3,
                    fmt::format("gallery: image with {} channels; expected 1 or 3", inputs.shape[0]));
  } else {
    PRIVAUDIT_CHECK(inputs.shape[1] == 1, fmt::format("gallery: ECG of height {}; expected 1", inputs.shape[1]));
  }
}

// The pool records of each listed patient, most exposed first.
std::vector<std::vector<std::size_t>> records_by_patient(const GalleryInputs& inputs,
                                                         std::span<const std::size_t> shown_pool_patients) {
  std::vector<std::int64_t> position;
  for (std::size_t n = 0; n < shown_pool_patients.size(); ++n) {
    const std::size_t patient = shown_pool_patients[n];
    if (patient >= position.size()) position.resize(patient + 1, -1);
    position[patient] = static_cast<std::int64_t>(n);
  }
  std::vector<std::vector<std::size_t>> out(shown_pool_patients.size());
  for (std::size_t j = 0; j < inputs.pool_records.size(); ++j) {
    const auto patient = static_cast<std::size_t>(inputs.pool_patient_of_record[j]);
    if (patient < position.size() && position[patient] >= 0) out[static_cast<std::size_t>(position[patient])].push_back(j);
  }
  const auto key = [&](std::size_t j) {
    const double auc = inputs.record_risk[j].auc_binormal;
    return std::isfinite(auc) ? auc : -1.0;
  };
  for (auto& records : out) {
    std::stable_sort(records.begin(), records.end(), [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
  }
  return out;
}

}  // namespace

void check_gallery_modality(const RunContext& context) {
  if (context.media.modality != Modality::kTable) return;
  throw UsageError(fmt::format(
      "--gallery is for ECG and image audits, but run '{}' audits a feature table (modality table), which has no "
      "images or traces to show; leave out --gallery (or set gallery = false in the config file)",
      context.layout.dir.string()));
}

GalleryInputs gallery_inputs(const RunContext& context, std::span<const risk::RecordRisk> record_risk) {
  GalleryInputs inputs;
  inputs.modality = context.media.modality;
  std::copy(std::begin(context.media_shape), std::end(context.media_shape), std::begin(inputs.shape));
  inputs.values = context.media_values;
  inputs.ecg_rate_hz = context.media.ecg_rate_hz;
  // NOTE: the plan stage does not record lead names, so the report labels leads by number.
  inputs.pool_records = context.plan.pool_records;
  inputs.pool_patient_of_record = context.pool_patient_of_record;
  inputs.record_risk = record_risk;
  inputs.records = context.dataset.records();
  inputs.label_text = [&dataset = context.dataset](std::uint32_t record) { return data::label_text(dataset, record); };
  return inputs;
}

nlohmann::json gallery_json(const GalleryInputs& inputs, const nlohmann::json& exposed_patients,
                            std::span<const std::size_t> exposed_pool_patients) {
  if (inputs.modality == Modality::kTable) {
    throw UsageError(
        "--gallery works only for ECG and image audits because a feature table has no images or traces to show; "
        "leave out --gallery");
  }
  check_sizes(inputs, exposed_patients, exposed_pool_patients);
  const bool ecg = inputs.modality == Modality::kEcg;
  const std::size_t record_size = inputs.shape[0] * inputs.shape[1] * inputs.shape[2];

  // 1. What every entry shares: the shape shown and, for ECGs, the downsampling step.
  nlohmann::json out = {{"modality", ecg ? "ecg" : "image"},
                        {"max_patients", kGalleryMaxPatients},
                        {"max_records_per_patient", kGalleryMaxRecords},
                        {"listed_patients", exposed_patients.size()}};
  const std::size_t samples = inputs.shape[2];
  const std::size_t step = ecg ? (samples + kGalleryMaxPoints - 1) / kGalleryMaxPoints : 1;
  if (ecg) {
    nlohmann::json meta = {{"leads", inputs.shape[0]},
                           {"leads_shown", std::min(inputs.shape[0], kGalleryMaxLeads)},
                           {"samples", samples},
                           {"step", step},
                           {"points", (samples + step - 1) / step},
                           {"rate_hz", inputs.ecg_rate_hz}};
    if (inputs.lead_names.size() == inputs.shape[0]) {
      meta["lead_names"] = std::vector<std::string>(inputs.lead_names.begin(), inputs.lead_names.end());
    }
    out["ecg"] = meta;
  } else {
    const auto [height, width] = shown_extent(inputs.shape[1], inputs.shape[2]);
    out["image"] = {{"channels", inputs.shape[0]},
                    {"height", height},
                    {"width", width},
                    {"source_height", inputs.shape[1]},
                    {"source_width", inputs.shape[2]}};
  }

  // 2. The first patients of the exposed list, each with their most exposed records.
  const std::size_t patients_shown = std::min(exposed_pool_patients.size(), kGalleryMaxPatients);
  const auto records = records_by_patient(inputs, exposed_pool_patients.subspan(0, patients_shown));
  nlohmann::json patients = nlohmann::json::array();
  for (std::size_t n = 0; n < patients_shown; ++n) {
    const nlohmann::json& listed = exposed_patients[n];
    nlohmann::json entries = nlohmann::json::array();
    const std::size_t records_shown = std::min(records[n].size(), kGalleryMaxRecords);
    for (std::size_t r = 0; r < records_shown; ++r) {
      const std::size_t j = records[n][r];
      const std::uint32_t record = inputs.pool_records[j];
      const std::span<const float> values = inputs.values.subspan(record * record_size, record_size);
      nlohmann::json entry = {
          {"label", inputs.label_text(record)},
          {"auc", finite_or_null(inputs.record_risk[j].auc_binormal)},
          {"auc_se", finite_or_null(inputs.record_risk[j].auc_se)}};
      if (ecg) {
        entry["leads"] = ecg_leads(inputs, values, step);
      } else {
        entry["image"] = image_data_uri(inputs, values);
      }
      entries.push_back(std::move(entry));
    }
    patients.push_back({{"id", listed.value("id", nlohmann::json(nullptr))},
                        {"joint_auc", listed.value("joint_auc", nlohmann::json(nullptr))},
                        {"joint_auc_se", listed.value("joint_auc_se", nlohmann::json(nullptr))},
                        {"pool_records", records[n].size()},
                        {"records", std::move(entries)}});
  }
  out["patients"] = std::move(patients);
  return out;
}

}  // namespace privaudit::run
