#include "dicom/dicom_image.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "dcmtk/dcmdata/dccodec.h"
#include "dcmtk/dcmdata/dcdatset.h"
#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcxfer.h"
#include "dcmtk/dcmimage/diregist.h"  // registers colour support in DicomImage
#include "dcmtk/dcmimgle/dcmimage.h"
#include "dicom/dicom_attributes.h"
#include "dicom/dicom_dataset.h"

namespace privaudit::dicom {

namespace {

// Image Pixel module attributes that size the pixel data, read before anything is decoded.
struct PixelGeometry {
  std::uint64_t rows = 0;
  std::uint64_t columns = 0;
  std::uint64_t frames = 1;
  std::uint16_t samples_per_pixel = 1;
  std::uint16_t bits_allocated = 0;
  std::uint16_t bits_stored = 0;
  bool is_signed = false;  // Pixel Representation 1: two's complement samples
};

// Modality LUT as Rescale Slope and Rescale Intercept: physical = slope x stored + intercept.
struct Rescale {
  double slope = 1.0;
  double intercept = 0.0;
};

void require_pixel_data(const AttributeReader& dataset) {
  DcmItem& item = dataset.item();
  if (item.tagExists(DCM_PixelData)) {
    return;
  }
  if (item.tagExists(DCM_FloatPixelData) || item.tagExists(DCM_DoubleFloatPixelData)) {
    dataset.fail(
        "holds FloatPixelData (7FE0,0008) or DoubleFloatPixelData (7FE0,0009), "
        "which this reader does not decode; only integer PixelData (7FE0,0010) is "
        "supported.");
  }
  if (item.tagExists(DCM_WaveformSequence)) {
    dataset.fail(
        "has no PixelData (7FE0,0010) but a WaveformSequence (5400,0100): it is a "
        "waveform, not an image; read it with read_dicom_waveform().");
  }
  dataset.fail(
      "has no PixelData (7FE0,0010), so it holds no image (it may be a structured "
      "report, presentation state or other non-image object).");
}

PixelGeometry read_geometry(const AttributeReader& dataset) {
  // 1. Frame size.
  PixelGeometry geometry;
  geometry.rows = dataset.require_uint16(DCM_Rows);
  geometry.columns = dataset.require_uint16(DCM_Columns);
  if (geometry.rows == 0 || geometry.columns == 0) {
    dataset.fail(
        fmt::format("Rows (0028,0010) is {} and Columns (0028,0011) is {}: expected at "
                    "least 1 each.",
                    geometry.rows, geometry.columns));
  }

  // 2. Samples and their bits.
  geometry.samples_per_pixel = dataset.require_uint16(DCM_SamplesPerPixel);
  if (geometry.samples_per_pixel != 1 && geometry.samples_per_pixel != 3) {
    dataset.fail(
        fmt::format("SamplesPerPixel (0028,0002) is {}: expected 1 (grayscale) or 3 "
                    "(colour).",
                    geometry.samples_per_pixel));
  }
  geometry.bits_allocated = dataset.require_uint16(DCM_BitsAllocated);
  geometry.bits_stored = dataset.require_uint16(DCM_BitsStored);
  if (geometry.bits_stored < 1 || geometry.bits_stored > geometry.bits_allocated ||
      geometry.bits_stored > 32) {
    dataset.fail(
        fmt::format("BitsStored (0028,0101) is {} with BitsAllocated (0028,0100) {}: "
                    "expected 1 to 32 and at most BitsAllocated.",
                    geometry.bits_stored, geometry.bits_allocated));
  }
  geometry.is_signed = dataset.find_uint16(DCM_PixelRepresentation).value_or(0) == 1;

  // 3. Number of Frames, 1 when absent.
  const std::optional<std::int64_t> frames = dataset.find_integer_string(DCM_NumberOfFrames);
  if (frames) {
    if (*frames < 1) {
      dataset.fail(fmt::format("NumberOfFrames (0028,0008) is {}: expected at least 1.", *frames));
    }
    geometry.frames = static_cast<std::uint64_t>(*frames);
  }
  return geometry;
}

// Rejects objects larger than the limits before DCMTK allocates their pixel buffers.
void check_pixel_limits(const AttributeReader& dataset, const PixelGeometry& geometry,
                        const DicomReadOptions& options) {
  const std::uint64_t frame_pixels = geometry.rows * geometry.columns;  // < 2^32: both are US
  if (frame_pixels > options.max_frame_pixels) {
    dataset.fail(
        fmt::format("one frame has Rows {} x Columns {} = {} pixels, more than the limit of {} "
                    "(DicomReadOptions.max_frame_pixels). Raise the limit if the image is genuine.",
                    geometry.rows, geometry.columns, frame_pixels, options.max_frame_pixels));
  }
  // Number of Frames is an IS (at most 2^31 - 1), so the product stays below 2^63.
  const std::uint64_t total_pixels = frame_pixels * geometry.frames;
  if (total_pixels > options.max_total_pixels) {
    dataset.fail(fmt::format(
        "Rows {} x Columns {} x NumberOfFrames {} = {} pixels, more than the limit of {} "
        "(DicomReadOptions.max_total_pixels). Raise the limit if the object is genuine.",
        geometry.rows, geometry.columns, geometry.frames, total_pixels, options.max_total_pixels));
  }
}

void check_frame(const AttributeReader& dataset, const PixelGeometry& geometry, std::size_t frame) {
  if (frame < geometry.frames) {
    return;
  }
  throw UsageError(fmt::format(
      "DicomReadOptions.frame is {}, but {} has {} frame(s) (NumberOfFrames (0028,0008)): "
      "expected a frame from 0 to {}.",
      frame, dataset.path().string(), geometry.frames, geometry.frames - 1));
}

// Reads Rescale Slope and Rescale Intercept from `item` if present there; both or neither.
std::optional<Rescale> find_rescale_in(const AttributeReader& item) {
  const std::optional<double> slope = item.find_decimal(DCM_RescaleSlope);
  const std::optional<double> intercept = item.find_decimal(DCM_RescaleIntercept);
  if (!slope && !intercept) {
    return std::nullopt;
  }
  if (!slope || !intercept) {
    item.fail(
        "has only one of RescaleSlope (0028,1053) and RescaleIntercept (0028,1052): "
        "expected both or neither.");
  }
  if (*slope == 0.0) {
    item.fail("RescaleSlope (0028,1053) is 0: every pixel would map to the same value.");
  }
  return Rescale{*slope, *intercept};
}

// Rescale from the Pixel Value Transformation Sequence of item `index` of a functional groups
// sequence, if both exist.
std::optional<Rescale> find_functional_group_rescale(const AttributeReader& dataset,
                                                     const DcmTagKey& groups_tag,
                                                     std::size_t index) {
  const std::optional<AttributeReader> group = dataset.find_item(groups_tag, index);
  if (!group) {
    return std::nullopt;
  }
  const std::optional<AttributeReader> transformation =
      group->find_item(DCM_PixelValueTransformationSequence, 0);
  if (!transformation) {
    return std::nullopt;
  }
  return find_rescale_in(*transformation);
}

// Rescale of `frame`: the top-level attributes, else the frame's Per-frame Functional Groups, else
// the Shared Functional Groups (enhanced multi-frame objects), else the identity.
Rescale find_rescale(const AttributeReader& dataset, std::size_t frame) {
  if (std::optional<Rescale> rescale = find_rescale_in(dataset)) {
    return *rescale;
  }
  if (std::optional<Rescale> rescale =
          find_functional_group_rescale(dataset, DCM_PerFrameFunctionalGroupsSequence, frame)) {
    return *rescale;
  }
  if (std::optional<Rescale> rescale =
          find_functional_group_rescale(dataset, DCM_SharedFunctionalGroupsSequence, 0)) {
    return *rescale;
  }
  return Rescale{};
}

// Fails with a clear message for compressed pixel data that no registered DCMTK codec decodes.
void check_decoder(const AttributeReader& dataset, E_TransferSyntax transfer_syntax) {
  const DcmXfer xfer(transfer_syntax);
  if (!xfer.isEncapsulated() ||
      DcmCodecList::canChangeCoding(transfer_syntax, EXS_LittleEndianExplicit)) {
    return;
  }
  // Transfer syntax names and UIDs are fixed by the DICOM standard, not patient data.
  dataset.fail(fmt::format(
      "its pixel data are compressed as {} (transfer syntax {}), which this build cannot decode. "
      "Convert the file to an uncompressed transfer syntax first (e.g. with gdcmconv --raw).",
      xfer.getXferName(), xfer.getXferID()));
}

// Calls `function` with a value of the C++ type of DCMTK's intermediate samples.
template <typename Function>
void dispatch_representation(EP_Representation representation, Function&& function) {
  switch (representation) {
    case EPR_Uint8:
      function(Uint8{});
      return;
    case EPR_Sint8:
      function(Sint8{});
      return;
    case EPR_Uint16:
      function(Uint16{});
      return;
    case EPR_Sint16:
      function(Sint16{});
      return;
    case EPR_Uint32:
      function(Uint32{});
      return;
    case EPR_Sint32:
      function(Sint32{});
      return;
  }
  PRIVAUDIT_CHECK(false, fmt::format("unknown DCMTK pixel representation {}",
                                     static_cast<int>(representation)));
}

// Range [lo, hi] of rescaled values that the stored bits allow.
std::pair<double, double> rescaled_range(const PixelGeometry& geometry, const Rescale& rescale) {
  const double levels = std::ldexp(1.0, geometry.bits_stored);  // 2^bits_stored
  const double stored_min = geometry.is_signed ? -levels / 2 : 0.0;
  const double stored_max = geometry.is_signed ? levels / 2 - 1 : levels - 1;
  const double a = rescale.slope * stored_min + rescale.intercept;
  const double b = rescale.slope * stored_max + rescale.intercept;
  return {std::min(a, b), std::max(a, b)};
}

// Grayscale frame [1, rows, columns] in physical units.
image::Image convert_monochrome(const DicomImage& decoded, const PixelGeometry& geometry,
                                const Rescale& rescale) {
  const DiPixel* pixels = decoded.getInterData();
  const std::size_t count = geometry.rows * geometry.columns;
  PRIVAUDIT_CHECK(pixels != nullptr && pixels->getCount() >= count,
                  "DCMTK returned fewer grayscale samples than Rows x Columns");

  image::Image result;
  result.channels = 1;
  result.height = geometry.rows;
  result.width = geometry.columns;
  result.values.resize(count);
  const bool invert = decoded.getPhotometricInterpretation() == EPI_Monochrome1;
  const auto [lo, hi] = rescaled_range(geometry, rescale);
  dispatch_representation(pixels->getRepresentation(), [&](auto type) {
    using Sample = decltype(type);
    const Sample* samples = static_cast<const Sample*>(pixels->getData());
    for (std::size_t i = 0; i < count; ++i) {
      double value = rescale.slope * static_cast<double>(samples[i]) + rescale.intercept;
      if (invert) {
        value = lo + hi - value;
      }
      result.values[i] = static_cast<float>(value);
    }
  });
  return result;
}

// Colour frame [3, rows, columns] as R, G, B in [0, 1].
image::Image convert_colour(const DicomImage& decoded, const PixelGeometry& geometry) {
  const DiPixel* pixels = decoded.getInterData();
  const std::size_t count = geometry.rows * geometry.columns;
  PRIVAUDIT_CHECK(pixels != nullptr && pixels->getPlanes() == 3 && pixels->getCount() >= count,
                  "DCMTK returned no three-plane RGB data for a colour image");
  const int depth = decoded.getDepth();
  PRIVAUDIT_CHECK(depth >= 1 && depth <= 32, fmt::format("DCMTK colour depth is {}", depth));
  const double scale = 1.0 / (std::ldexp(1.0, depth) - 1.0);

  image::Image result;
  result.channels = 3;
  result.height = geometry.rows;
  result.width = geometry.columns;
  result.values.resize(3 * count);
  dispatch_representation(pixels->getRepresentation(), [&](auto type) {
    using Sample = decltype(type);
    // DCMTK keeps colour samples as three planes: an array of three pointers, R, G and B.
    Sample* const* planes = static_cast<Sample* const*>(pixels->getData());
    for (std::size_t channel = 0; channel < 3; ++channel) {
      const Sample* plane = planes[channel];
      float* out = result.values.data() + channel * count;
      for (std::size_t i = 0; i < count; ++i) {
        out[i] = static_cast<float>(static_cast<double>(plane[i]) * scale);
      }
    }
  });
  return result;
}

}  // namespace

image::Image read_dicom_image(const std::filesystem::path& path, const DicomReadOptions& options) {
  options.validate();

  // 1. Parse the file and check the pixel attributes before anything is decoded.
  std::unique_ptr<DcmDataset> dataset = load_dicom_dataset(path);
  const AttributeReader attributes(*dataset, path);
  require_pixel_data(attributes);
  const PixelGeometry geometry = read_geometry(attributes);
  check_pixel_limits(attributes, geometry, options);
  check_frame(attributes, geometry, options.frame);
  if (dataset->tagExists(DCM_ModalityLUTSequence)) {
    // NOTE: a Modality LUT Sequence (used by some XA and US objects) is rejected rather than
    // applied; only Rescale Slope and Intercept are supported.
    attributes.fail(
        "uses a ModalityLUTSequence (0028,3000), which this reader does not apply; "
        "only Rescale Slope and Rescale Intercept are supported.");
  }
  const Rescale rescale = find_rescale(attributes, options.frame);
  const E_TransferSyntax transfer_syntax = dataset->getOriginalXfer();
  check_decoder(attributes, transfer_syntax);

  // 2. Decode the requested frame only. The modality transformation is ignored here and applied
  // below in double precision, because DCMTK rounds rescaled values to integers.
  const unsigned long flags = CIF_UsePartialAccessToPixelData | CIF_IgnoreModalityTransformation |
                              CIF_NeverAccessEmbeddedOverlays;
  const DicomImage decoded(dataset.get(), transfer_syntax, flags,
                           static_cast<unsigned long>(options.frame), 1);
  if (decoded.getStatus() != EIS_Normal) {
    attributes.fail(fmt::format(
        "DCMTK cannot decode frame {} ({}); the pixel data are damaged or use an unsupported "
        "combination of Photometric Interpretation and bit depth.",
        options.frame, DicomImage::getString(decoded.getStatus())));
  }
  PRIVAUDIT_CHECK(decoded.getWidth() == geometry.columns && decoded.getHeight() == geometry.rows,
                  "DCMTK decoded a frame whose size differs from Rows x Columns");

  // 3. Convert to channel-first floats.
  if (decoded.isMonochrome()) {
    return convert_monochrome(decoded, geometry, rescale);
  }
  return convert_colour(decoded, geometry);
}

}  // namespace privaudit::dicom
