#include "image/image_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "core/error.h"
#include "image/jpeg_reader.h"
#include "image/png_reader.h"

namespace privaudit::image {
namespace {

constexpr unsigned char kPngSignature[] = {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A};
constexpr unsigned char kJpegSignature[] = {0xFF, 0xD8, 0xFF};

bool starts_with(std::span<const unsigned char> bytes, std::span<const unsigned char> prefix) {
  return bytes.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), bytes.begin());
}

// The first bytes of a file as hexadecimal ("3c 21 44 4f"), for messages about unknown formats.
std::string leading_bytes_hex(std::span<const unsigned char> bytes) {
  std::string text;
  for (std::size_t i = 0; i < std::min<std::size_t>(bytes.size(), 8); ++i) {
    if (i > 0) text += ' ';
    text += fmt::format("{:02x}", bytes[i]);
  }
  return text;
}

}  // namespace

std::optional<ImageFormat> detect_image_format(std::span<const unsigned char> bytes) {
  if (starts_with(bytes, kPngSignature)) return ImageFormat::kPng;
  if (starts_with(bytes, kJpegSignature)) return ImageFormat::kJpeg;
  return std::nullopt;
}

std::vector<unsigned char> read_image_bytes(const std::filesystem::path& path) {
  std::error_code status_error;
  const std::filesystem::file_status status = std::filesystem::status(path, status_error);
  if (status.type() == std::filesystem::file_type::not_found) {
    throw InputError(fmt::format("image file '{}' not found. Check the path.", path.string()));
  }
  if (status.type() == std::filesystem::file_type::directory) {
    throw InputError(
        fmt::format("image path '{}' is a folder; expected a PNG or JPEG file.", path.string()));
  }

  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw IoError(fmt::format("cannot open image file '{}': {}", path.string(), std::strerror(errno)));
  }
  std::vector<unsigned char> bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.insert(bytes.end(), buffer, buffer + in.gcount());
  }
  if (in.bad()) {
    throw IoError(fmt::format("reading image file '{}' failed: {}", path.string(), std::strerror(errno)));
  }
  if (bytes.empty()) {
    throw InputError(fmt::format("image file '{}' is empty (0 bytes); expected a PNG or JPEG image.",
                                 path.string()));
  }
  return bytes;
}

Image decode_image(std::span<const unsigned char> bytes, const std::filesystem::path& path) {
  const std::optional<ImageFormat> format = detect_image_format(bytes);
  if (!format) {
    throw InputError(fmt::format(
        "'{}' is not a PNG or JPEG image: it starts with bytes {}, but a PNG starts with 89 50 4e "
        "47 0d 0a 1a 0a and a JPEG with ff d8 ff. Convert the image to PNG.",
        path.string(), bytes.empty() ? std::string("(none)") : leading_bytes_hex(bytes)));
  }
  switch (*format) {
    case ImageFormat::kPng: return decode_png(bytes, path);
    case ImageFormat::kJpeg: return decode_jpeg(bytes, path);
  }
  throw InternalError("unknown ImageFormat");
}

Image read_image_file(const std::filesystem::path& path) {
  const std::vector<unsigned char> bytes = read_image_bytes(path);
  return decode_image(bytes, path);
}

}  // namespace privaudit::image
