#include "media/media_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include "core/error.h"
#include "core/progress.h"
#include "dicom/dicom_image.h"
#include "dicom/dicom_waveform.h"
#include "ecg/ecg_preprocess.h"
#include "ecg/npy_ecg.h"
#include "ecg/wfdb.h"
#include "image/color.h"
#include "image/image_file.h"
#include "image/resize.h"

namespace privaudit::media {

namespace fs = std::filesystem;

namespace {

// True when the file starts like a DICOM Part 10 file ("DICM" after a 128-byte preamble).
bool looks_like_dicom(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[132] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == 132 && std::string_view(magic + 128, 4) == "DICM";
}

bool has_extension(const fs::path& path, std::string_view extension) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == extension;
}

// One record's ECG: read by file kind, resampled, cut to length, z-scored per lead.
ecg::EcgRecord load_ecg(const fs::path& path, const MediaOptions& options) {
  ecg::EcgRecord record;
  if (has_extension(path, ".hea")) {
    record = ecg::read_wfdb(path);
  } else if (has_extension(path, ".npy")) {
    if (options.npy_rate_hz <= 0.0) {
      throw UsageError(
          "a .npy ECG carries no sampling rate: give it with --ecg-npy-rate (for example 500)");
    }
    record = ecg::read_ecg_npy(path,
                               options.npy_layout == MediaOptions::NpyLayout::kSamplesLeads
                                   ? ecg::NpyLayout::kSamplesLeads
                                   : ecg::NpyLayout::kLeadsSamples,
                               options.npy_rate_hz);
  } else if (has_extension(path, ".dcm") || looks_like_dicom(path)) {
    record = dicom::read_dicom_waveform(path);
  } else {
    throw InputError(fmt::format(
        "'{}' is not a supported ECG file: expected a WFDB header (.hea), a NumPy array (.npy) "
        "or a DICOM waveform (.dcm)",
        path.string()));
  }
  if (record.sampling_rate_hz != options.ecg_rate_hz) {
    record = ecg::resample(record, options.ecg_rate_hz);
  }
  record = ecg::fit_length(record, options.ecg_samples);
  ecg::normalize_per_lead(record);
  return record;
}

// One record's image: decoded, converted to the channel count, resized, scaled to [0, 1].
image::Image load_image(const fs::path& path, const MediaOptions& options, std::size_t channels) {
  image::Image picture;
  const bool dicom = has_extension(path, ".dcm") || looks_like_dicom(path);
  if (dicom) {
    picture = dicom::read_dicom_image(path);
  } else {
    picture = image::read_image_file(path);
  }
  if (channels == 1 && picture.channels != 1) picture = image::to_grayscale(picture);
  if (channels == 3 && picture.channels != 3) picture = image::to_rgb(picture);
  if (picture.height != options.image_size || picture.width != options.image_size) {
    picture = image::resize(picture, options.image_size, options.image_size);
  }
  if (dicom) {
    // Physical values (Hounsfield units, counts) to [0, 1] per image; a flat image becomes 0.
    const auto [lo, hi] = std::minmax_element(picture.values.begin(), picture.values.end());
    const float low = *lo;
    const float span = *hi - *lo;
    for (float& v : picture.values) v = span > 0.0f ? (v - low) / span : 0.0f;
  }
  return picture;
}

// Channels of every image: the option, or the first record's channel count.
std::size_t image_channels(const MediaOptions& options, const fs::path& first) {
  switch (options.channels) {
    case MediaOptions::Channels::kGray:
      return 1;
    case MediaOptions::Channels::kRgb:
      return 3;
    case MediaOptions::Channels::kAuto:
      break;
  }
  const bool dicom = has_extension(first, ".dcm") || looks_like_dicom(first);
  return dicom ? dicom::read_dicom_image(first).channels : image::read_image_file(first).channels;
}

// Rethrows a reader's error with the manifest line and entry in front, keeping its kind.
[[noreturn]] void rethrow_for_record(const std::exception_ptr& error, const std::string& where) {
  try {
    std::rethrow_exception(error);
  } catch (const Interrupted&) {
    throw;
  } catch (const UsageError& e) {
    throw UsageError(where + e.what());
  } catch (const InputError& e) {
    throw InputError(where + e.what());
  } catch (const IoError& e) {
    throw IoError(where + e.what());
  } catch (const std::bad_alloc&) {
    throw InputError(where + "the file needs more memory than is available");
  } catch (const std::exception& e) {
    throw InternalError(where + e.what());
  }
}

}  // namespace

fs::path resolve_in_root(const fs::path& root, const std::string& entry,
                         const std::string& manifest, std::size_t line) {
  const std::string where = fmt::format("manifest '{}', line {}: ", manifest, line);
  const fs::path relative(entry);
  if (relative.is_absolute()) {
    throw InputError(fmt::format(
        "{}file '{}' is an absolute path; give paths relative to --data-root '{}'", where, entry,
        root.string()));
  }
  std::error_code error;
  const fs::path resolved = fs::weakly_canonical(root / relative, error);
  if (error) {
    throw InputError(fmt::format("{}file '{}' cannot be resolved: {}", where, entry,
                                 error.message()));
  }
  // Component-wise prefix test, so "/data2" is not inside "/data".
  auto r = root.begin();
  auto p = resolved.begin();
  for (; r != root.end() && p != resolved.end(); ++r, ++p) {
    if (*r != *p) break;
  }
  if (r != root.end()) {
    throw InputError(fmt::format(
        "{}file '{}' resolves to '{}', outside --data-root '{}'; manifest paths must stay inside "
        "the data root",
        where, entry, resolved.string(), root.string()));
  }
  if (!fs::exists(resolved)) {
    // A WFDB record is often named without its extension, as PTB-XL's manifests do.
    fs::path header = resolved;
    header += ".hea";
    if (fs::exists(header)) return header;
    throw InputError(fmt::format("{}file '{}' was not found (looked for '{}')", where, entry,
                                 resolved.string()));
  }
  return resolved;
}

fs::path data_root(const MediaOptions& options, const fs::path& manifest) {
  const fs::path root = options.data_root.empty() ? fs::absolute(manifest).parent_path()
                                                  : fs::path(options.data_root);
  std::error_code error;
  if (!fs::is_directory(root, error)) {
    throw UsageError(fmt::format(
        "--data-root '{}' is not a folder: give the folder the manifest's paths are relative to",
        root.string()));
  }
  return fs::canonical(root);
}

MediaTable load_media(const data::Dataset& dataset, const MediaOptions& options,
                      const fs::path& root, std::size_t threads, const std::atomic<bool>* stop) {
  options.validate();
  const std::size_t records = dataset.records();
  PRIVAUDIT_CHECK(dataset.media_paths.size() == records,
                  fmt::format("dataset has {} records but {} media paths", records,
                              dataset.media_paths.size()));
  PRIVAUDIT_CHECK(records > 0, "load_media needs at least one record");
  const auto where = [&](std::size_t r) {
    return fmt::format("manifest '{}', line {}, file '{}': ", dataset.input_path,
                       dataset.record_line[r], dataset.media_paths[r]);
  };

  // 1. Every path first: a path escaping the root stops the run before any file is decoded.
  std::vector<fs::path> paths(records);
  for (std::size_t r = 0; r < records; ++r) {
    paths[r] = resolve_in_root(root, dataset.media_paths[r], dataset.input_path,
                               dataset.record_line[r]);
  }

  // 2. The shape, from the options and the first record.
  MediaTable table;
  std::size_t leads = 0;
  try {
    if (options.modality == MediaOptions::Modality::kEcg) {
      leads = load_ecg(paths[0], options).leads;
      table.channels = leads;
      table.height = 1;
      table.width = options.ecg_samples;
    } else {
      table.channels = image_channels(options, paths[0]);
      table.height = options.image_size;
      table.width = options.image_size;
    }
  } catch (...) {
    rethrow_for_record(std::current_exception(), where(0));
  }
  const std::size_t size = table.record_size();
  if (size > std::numeric_limits<std::size_t>::max() / records) {
    throw InputError(fmt::format("manifest '{}': {} records of {} values do not fit in memory",
                                 dataset.input_path, records, size));
  }
  table.values.assign(records * size, 0.0f);

  // 3. Every file, in parallel; the first failing record by line wins.
  const std::size_t workers = std::clamp<std::size_t>(
      threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : threads, 1, records);
  Progress progress("read", records, "files");
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::optional<std::size_t> failed_record;
  std::exception_ptr failure;
  const auto worker = [&] {
    while (true) {
      const std::size_t r = next.fetch_add(1);
      if (r >= records) return;
      if (stop != nullptr && stop->load()) return;
      {
        std::lock_guard lock(error_mutex);
        if (failed_record && *failed_record < r) return;
      }
      try {
        float* out = table.values.data() + r * size;
        if (options.modality == MediaOptions::Modality::kEcg) {
          const ecg::EcgRecord record = load_ecg(paths[r], options);
          if (record.leads != leads) {
            throw InputError(fmt::format(
                "the ECG has {} leads, the first record ({}) has {}; every ECG of an audit needs "
                "the same leads",
                record.leads, dataset.media_paths[0], leads));
          }
          std::copy(record.values.begin(), record.values.end(), out);
        } else {
          const image::Image picture = load_image(paths[r], options, table.channels);
          std::copy(picture.values.begin(), picture.values.end(), out);
        }
        progress.advance();
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!failed_record || r < *failed_record) {
          failed_record = r;
          failure = std::current_exception();
        }
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < workers; ++t) pool.emplace_back(worker);
  for (auto& thread : pool) thread.join();
  progress.finish();
  if (failure) rethrow_for_record(failure, where(*failed_record));
  if (stop != nullptr && stop->load()) {
    throw Interrupted("reading the manifest's files was interrupted; run the same command again");
  }
  return table;
}

}  // namespace privaudit::media
