// JPEG decoding through libjpeg (libjpeg-turbo on Debian).
#pragma once

#include <filesystem>
#include <span>

#include "image/image.h"

namespace privaudit::image {

// Decodes a JPEG held in memory. `path` only names the source in error messages.
//
// Grayscale JPEGs give 1 channel. YCbCr and RGB JPEGs give 3 channels, converted to RGB by
// libjpeg. Samples are 8-bit and scaled to [0, 1] by 255.
//
// Throws InputError naming `path` when the bytes are not a JPEG, or are truncated or damaged.
// It also throws for CMYK, YCCK and other colour spaces, and for images that declare 0 or more
// than kMaxImageSide pixels on a side, which is checked before decoding. A stream that libjpeg
// decodes with a warning (premature end of data, corrupt Huffman data, extraneous bytes) is
// rejected too, because libjpeg fills the damaged part with made-up pixels.
Image decode_jpeg(std::span<const unsigned char> bytes, const std::filesystem::path& path);

// Reads and decodes a JPEG file (see decode_jpeg). Throws InputError for a missing or empty file.
Image read_jpeg(const std::filesystem::path& path);

}  // namespace privaudit::image
