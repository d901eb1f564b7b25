// PNG decoding through libpng.
#pragma once

#include <filesystem>
#include <span>

#include "image/image.h"

namespace privaudit::image {

// Decodes a PNG held in memory. `path` only names the source in error messages.
//
// Accepts every PNG colour type and bit depth: gray (1, 2, 4, 8, 16 bits), gray + alpha, RGB,
// RGBA (8 or 16 bits) and palette images, interlaced or not. Gray and gray + alpha give 1
// channel. RGB, RGBA and palette images give 3 channels, and a palette is expanded to RGB even
// when its entries are gray. The alpha channel and any tRNS transparency are dropped, not
// composited onto a background.
//
// Samples are scaled to [0, 1] by the largest value of their bit depth: 255 for 1-, 2-, 4- and
// 8-bit samples (libpng first expands them to 8 bits) and 65535 for 16-bit ones. Gamma, sRGB
// and ICC chunks are ignored, so values are the stored ones.
//
// Throws InputError naming `path` when the bytes are not a PNG, are truncated or damaged (for
// example a CRC mismatch in a critical chunk), or declare 0 or more than kMaxImageSide pixels on
// a side. The size check runs before the pixel buffers are allocated.
Image decode_png(std::span<const unsigned char> bytes, const std::filesystem::path& path);

// Reads and decodes a PNG file (see decode_png). Throws InputError for a missing or empty file.
Image read_png(const std::filesystem::path& path);

}  // namespace privaudit::image
