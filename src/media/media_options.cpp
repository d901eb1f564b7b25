#include "media/media_options.h"

#include <fmt/format.h>

#include <cmath>

#include "core/error.h"

namespace privaudit::media {

void MediaOptions::validate() const {
  if (!(ecg_rate_hz > 0.0) || !std::isfinite(ecg_rate_hz) || ecg_rate_hz > 100000.0) {
    throw UsageError(fmt::format(
        "--ecg-rate {} is invalid: expected a sampling rate in Hz in (0, 100000], such as 100",
        ecg_rate_hz));
  }
  if (ecg_samples < 16 || ecg_samples > 10'000'000) {
    throw UsageError(fmt::format(
        "--ecg-samples {} is invalid: expected samples per lead in [16, 10000000], such as 1000 "
        "(10 s at 100 Hz)",
        ecg_samples));
  }
  if (!(npy_rate_hz >= 0.0) || !std::isfinite(npy_rate_hz)) {
    throw UsageError(fmt::format(
        "--ecg-npy-rate {} is invalid: expected the sampling rate of the .npy files in Hz, such "
        "as 500 (0 rejects .npy files)",
        npy_rate_hz));
  }
  if (image_size < 8 || image_size > 1024) {
    throw UsageError(fmt::format(
        "--image-size {} is invalid: expected a side in [8, 1024] pixels, such as 64",
        image_size));
  }
}

nlohmann::json MediaOptions::to_json() const {
  return {{"modality", to_string(modality)},  {"data_root", data_root},
          {"ecg_rate_hz", ecg_rate_hz},       {"ecg_samples", ecg_samples},
          {"npy_layout", to_string(npy_layout)}, {"npy_rate_hz", npy_rate_hz},
          {"image_size", image_size},         {"channels", to_string(channels)}};
}

MediaOptions MediaOptions::from_json(const nlohmann::json& json) {
  MediaOptions options;
  if (!json.is_object()) return options;
  try {
    options.modality = parse_modality(json.value("modality", to_string(options.modality)));
    options.data_root = json.value("data_root", options.data_root);
    options.ecg_rate_hz = json.value("ecg_rate_hz", options.ecg_rate_hz);
    options.ecg_samples = json.value("ecg_samples", options.ecg_samples);
    options.npy_layout = parse_npy_layout(json.value("npy_layout", to_string(options.npy_layout)));
    options.npy_rate_hz = json.value("npy_rate_hz", options.npy_rate_hz);
    options.image_size = json.value("image_size", options.image_size);
    options.channels = parse_channels(json.value("channels", to_string(options.channels)));
  } catch (const nlohmann::json::exception& error) {
    throw InputError(fmt::format("invalid media options {}: {}", json.dump(), error.what()));
  }
  options.validate();
  return options;
}

std::string to_string(MediaOptions::Modality modality) {
  switch (modality) {
    case MediaOptions::Modality::kTable:
      return "table";
    case MediaOptions::Modality::kEcg:
      return "ecg";
    case MediaOptions::Modality::kImage:
      return "image";
  }
  throw InternalError("unknown modality");
}

MediaOptions::Modality parse_modality(const std::string& text) {
  if (text == "table") return MediaOptions::Modality::kTable;
  if (text == "ecg") return MediaOptions::Modality::kEcg;
  if (text == "image") return MediaOptions::Modality::kImage;
  throw UsageError(fmt::format("--modality '{}' is invalid: expected table, ecg or image", text));
}

std::string to_string(MediaOptions::NpyLayout layout) {
  return layout == MediaOptions::NpyLayout::kSamplesLeads ? "samples-leads" : "leads-samples";
}

MediaOptions::NpyLayout parse_npy_layout(const std::string& text) {
  if (text == "samples-leads") return MediaOptions::NpyLayout::kSamplesLeads;
  if (text == "leads-samples") return MediaOptions::NpyLayout::kLeadsSamples;
  throw UsageError(fmt::format(
      "--ecg-npy-layout '{}' is invalid: expected samples-leads ([samples, leads]) or "
      "leads-samples ([leads, samples])",
      text));
}

std::string to_string(MediaOptions::Channels channels) {
  switch (channels) {
    case MediaOptions::Channels::kAuto:
      return "auto";
    case MediaOptions::Channels::kGray:
      return "gray";
    case MediaOptions::Channels::kRgb:
      return "rgb";
  }
  throw InternalError("unknown channel choice");
}

MediaOptions::Channels parse_channels(const std::string& text) {
  if (text == "auto") return MediaOptions::Channels::kAuto;
  if (text == "gray") return MediaOptions::Channels::kGray;
  if (text == "rgb") return MediaOptions::Channels::kRgb;
  throw UsageError(
      fmt::format("--image-channels '{}' is invalid: expected auto, gray or rgb", text));
}

}  // namespace privaudit::media
