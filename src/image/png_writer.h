// PNG encoding through libpng, for fixtures and for exporting preprocessed images.
#pragma once

#include <filesystem>
#include <vector>

#include "image/image.h"

namespace privaudit::image {

// Encodes `image` as an 8-bit gray (1 channel) or RGB (3 channels) PNG, not interlaced. Each
// value is clamped to [0, 1], multiplied by 255 and rounded to the nearest integer (halves away
// from zero), so values k / 255 survive a round trip through decode_png exactly. Throws
// UsageError when the image is malformed (see check_image) or contains a NaN.
std::vector<unsigned char> encode_png(const Image& image);

// Writes encode_png(image) to `path` atomically (a reader sees the old file or the whole new
// one). Throws IoError when the file cannot be written.
void write_png(const std::filesystem::path& path, const Image& image);

}  // namespace privaudit::image
