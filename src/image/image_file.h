// Image files of any supported format: reads the bytes and picks the decoder by the file's
// signature (magic bytes), never by its extension.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include "image/image.h"

namespace privaudit::image {

enum class ImageFormat { kPng, kJpeg };

// Returns the format whose signature starts `bytes`, or nullopt. PNG files start with
// 89 50 4E 47 0D 0A 1A 0A and JPEG files with FF D8 FF.
std::optional<ImageFormat> detect_image_format(std::span<const unsigned char> bytes);

// Reads a whole file into memory for a decoder. Throws InputError naming `path` when the file is
// not found, is a folder or is empty, and IoError when the operating system fails to read it.
std::vector<unsigned char> read_image_bytes(const std::filesystem::path& path);

// Decodes a PNG or JPEG held in memory. `path` only names the source in error messages. Throws
// InputError when the signature is neither, and whatever decode_png or decode_jpeg throws.
Image decode_image(std::span<const unsigned char> bytes, const std::filesystem::path& path);

// Reads a PNG or JPEG file, chosen by its signature (see read_png and read_jpeg for the layouts
// each accepts). Throws InputError naming the path for every problem with the file's content.
Image read_image_file(const std::filesystem::path& path);

}  // namespace privaudit::image
