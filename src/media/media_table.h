// The files of a manifest read, checked and brought to one shape: the model inputs of a media
// audit. Every file is read before any model trains, so a bad file stops the run at plan time.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "media/media_options.h"

namespace privaudit::media {

struct MediaTable {
  // Shape of one record: ECG [leads, 1, samples], image [channels, height, width].
  std::size_t channels = 0;
  std::size_t height = 0;
  std::size_t width = 0;
  // [records, channels * height * width], row-major. ECG leads are z-scored per lead; images
  // are in [0, 1] (DICOM images min-max scaled per image).
  std::vector<float> values;

  std::size_t record_size() const { return channels * height * width; }
};

// Returns the file of a manifest entry: `entry` joined to `root` (already canonical). Throws
// InputError naming the manifest line and the entry when the entry is absolute, resolves outside
// root (through "..", a symbolic link or an absolute path), or does not exist.
std::filesystem::path resolve_in_root(const std::filesystem::path& root, const std::string& entry,
                                      const std::string& manifest, std::size_t line);

// The data root of a manifest: options.data_root, or the manifest's folder when empty, made
// canonical. Throws UsageError when it is not a folder.
std::filesystem::path data_root(const MediaOptions& options, const std::filesystem::path& manifest);

// Reads every record's file with `threads` threads (0: all hardware threads) and returns the
// table. Throws InputError naming the manifest line and file of the first bad record by line.
// A record is bad when its file is unreadable, corrupt or of an unsupported kind, its path leaves
// the root, or its ECG is shorter than options.ecg_samples after resampling or has another lead
// count than the first record's. `stop` (may be null) interrupts between files with privaudit::Interrupted.
MediaTable load_media(const data::Dataset& dataset, const MediaOptions& options,
                      const std::filesystem::path& root, std::size_t threads,
                      const std::atomic<bool>* stop);

}  // namespace privaudit::media
