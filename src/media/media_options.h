// Options that turn the files of a manifest into model inputs: the kind of file, the folder the
// files are in, and the common shape every ECG or image is brought to.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace privaudit::media {

struct MediaOptions {
  enum class Modality {
    kTable,  // a feature table (no files)
    kEcg,    // ECGs: WFDB (.hea), NumPy (.npy) or DICOM waveform (.dcm) files
    kImage,  // images: PNG, JPEG or DICOM (.dcm) files
  };
  enum class NpyLayout {
    kSamplesLeads,  // [samples, leads], as PTB-XL's NumPy exports
    kLeadsSamples,  // [leads, samples]
  };
  enum class Channels {
    kAuto,  // grayscale when the first image is grayscale, else RGB
    kGray,
    kRgb,
  };

  // --modality: table, ecg or image.
  Modality modality = Modality::kTable;
  // --data-root: folder that every manifest path is relative to. Empty: the manifest's folder.
  // A path that resolves outside it (through "..", an absolute path or a symbolic link) is
  // rejected, because manifests are untrusted.
  std::string data_root;

  // ECG: --ecg-rate, the common sampling rate in Hz every ECG is resampled to, > 0.
  double ecg_rate_hz = 100.0;
  // ECG: --ecg-samples, samples per lead after resampling, >= 16. Longer ECGs keep their first
  // samples; a shorter ECG is an error.
  std::size_t ecg_samples = 1000;
  // ECG: --ecg-npy-layout for .npy files.
  NpyLayout npy_layout = NpyLayout::kSamplesLeads;
  // ECG: --ecg-npy-rate, the sampling rate of .npy files in Hz, which the arrays do not carry.
  // 0: .npy files are rejected.
  double npy_rate_hz = 0.0;

  // Image: --image-size, the side of the square every image is resized to, in [8, 1024].
  std::size_t image_size = 64;
  // Image: --image-channels: auto, gray or rgb.
  Channels channels = Channels::kAuto;

  // Throws UsageError naming the option, the value and the valid range.
  void validate() const;

  nlohmann::json to_json() const;
  // Reads an object written by to_json(); missing keys keep their defaults.
  static MediaOptions from_json(const nlohmann::json& json);
};

std::string to_string(MediaOptions::Modality modality);
MediaOptions::Modality parse_modality(const std::string& text);
std::string to_string(MediaOptions::NpyLayout layout);
MediaOptions::NpyLayout parse_npy_layout(const std::string& text);
std::string to_string(MediaOptions::Channels channels);
MediaOptions::Channels parse_channels(const std::string& text);

}  // namespace privaudit::media
