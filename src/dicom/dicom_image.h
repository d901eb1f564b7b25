// Reader of one frame of a DICOM image into channel-first floats.
#pragma once

#include <filesystem>

#include "dicom/dicom_read_options.h"
#include "image/image.h"

namespace privaudit::dicom {

// Reads frame `options.frame` of the DICOM image at `path`, in any transfer syntax that DCMTK
// decodes: uncompressed (implicit or explicit VR, little or big endian), RLE, JPEG baseline,
// extended and lossless, and JPEG-LS. JPEG 2000 is not decoded.
//
// Grayscale (MONOCHROME1/2): one channel in physical units, stored value x Rescale Slope +
// Rescale Intercept (Hounsfield units for CT), taken from the top level or, in enhanced
// multi-frame objects, from the frame's Pixel Value Transformation Sequence. MONOCHROME1 is
// inverted so that larger values are brighter: x' = lo + hi - x, where [lo, hi] is the range of
// rescaled values that Bits Stored and Pixel Representation allow. One-bit objects such as
// segmentations (SEG) come out as a binary mask with values 0 and 1.
// Colour (RGB, YBR decoded to RGB, PALETTE COLOR): three channels R, G, B scaled to [0, 1] by the
// largest sample value of the decoded bit depth.
//
// Throws UsageError when `options` is invalid or `options.frame` is not a frame of the file, and
// IoError when the file cannot be opened. Throws InputError when the file is truncated or damaged,
// has no Pixel Data, exceeds the pixel limits in `options`, uses a Modality LUT Sequence (not
// applied by this reader) or cannot be decoded. Messages name the path and the attribute. The only
// header values they quote are structural numbers (rows, columns, frames, bit depths) and the
// transfer syntax.
image::Image read_dicom_image(const std::filesystem::path& path,
                              const DicomReadOptions& options = {});

}  // namespace privaudit::dicom
