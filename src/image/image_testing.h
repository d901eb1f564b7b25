// Test helpers: a temporary folder, error-message checks, and PNG and JPEG files built in memory.
#pragma once

#include "core/test_support.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace privaudit::image::testing {

// The shared temporary folder and error-message check of core/test_support.h.
using privaudit::test_support::TempDir;
using privaudit::test_support::expect_error;


// PNG colour types (PNG specification, table 11.1).
inline constexpr int kPngGray = 0;
inline constexpr int kPngRgb = 2;
inline constexpr int kPngPalette = 3;
inline constexpr int kPngGrayAlpha = 4;
inline constexpr int kPngRgba = 6;

// A PNG described chunk by chunk, so that tests control every header field.
struct RawPng {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  int bit_depth = 8;
  int color_type = kPngGray;
  bool interlaced = false;  // Adam7; supported for bit depths 8 and 16 only
  std::vector<unsigned char> palette;       // PLTE contents (RGB triples); written when not empty
  std::vector<unsigned char> transparency;  // tRNS contents; written when not empty
  // [height] scanlines of packed samples (16-bit samples big-endian), without the filter byte.
  std::vector<std::vector<unsigned char>> rows;
};

// Returns one chunk: length, type, data and CRC-32 of type and data.
std::string png_chunk(std::string_view type, std::string_view data);

// Returns the signature, IHDR, PLTE and tRNS when given, one IDAT (filter type 0 on every
// scanline, zlib-compressed), and IEND, all with correct CRCs.
std::string encode_raw_png(const RawPng& png);

// Returns a baseline JPEG written by libjpeg at `quality` (1 to 100) with every component
// sampled 1x1 (no chroma subsampling). `components` is 1 (grayscale), 3 (RGB, stored as YCbCr)
// or 4 (CMYK); `samples` is [height, width * components], interleaved.
std::string encode_test_jpeg(std::size_t width, std::size_t height, int components,
                             const std::vector<unsigned char>& samples, int quality);

// An 8-bit sample scaled as the readers scale it.
inline float unit8(unsigned value) { return static_cast<float>(value) / 255.0f; }

}  // namespace privaudit::image::testing
