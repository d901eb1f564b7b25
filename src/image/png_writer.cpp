#include "image/png_writer.h"

#include <fmt/format.h>
#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <new>

#include "core/atomic_file.h"
#include "core/error.h"
#include "image/image_checks.h"

namespace privaudit::image {
namespace {

// libpng's error callback longjmps to the setjmp in write_png_rows, so the frames between them
// contain only trivially destructible locals (see png_reader.cpp for the reason).

constexpr std::size_t kMessageSize = 256;

// The growing output and the last libpng error message. Trivially destructible.
struct PngSink {
  std::vector<unsigned char>* bytes;
  bool out_of_memory;
  char message[kMessageSize];
};

void on_png_error(png_structp png, png_const_charp text) {
  auto* sink = static_cast<PngSink*>(png_get_error_ptr(png));
  std::snprintf(sink->message, kMessageSize, "%s", text != nullptr ? text : "unknown error");
  png_longjmp(png, 1);
}

void on_png_warning(png_structp, png_const_charp) {}

// Appends without letting an exception escape into libpng's C frames.
bool append_bytes(std::vector<unsigned char>* out, const unsigned char* data, std::size_t length) noexcept {
  try {
    out->insert(out->end(), data, data + length);
    return true;
  } catch (const std::bad_alloc&) {
    return false;
  }
}

void on_png_write(png_structp png, png_bytep data, png_size_t length) {
  auto* sink = static_cast<PngSink*>(png_get_io_ptr(png));
  if (!append_bytes(sink->bytes, data, length)) {
    sink->out_of_memory = true;
    png_error(png, "out of memory");
  }
}

void on_png_flush(png_structp) {}

bool write_png_rows(png_structp png, png_infop info, png_uint_32 width, png_uint_32 height,
                    int color_type, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_IHDR(png, info, width, height, 8, color_type, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, nullptr);
  return true;
}

class PngWriteGuard {
 public:
  PngWriteGuard(png_structp png, png_infop info) : png_(png), info_(info) {}
  ~PngWriteGuard() { png_destroy_write_struct(&png_, info_ != nullptr ? &info_ : nullptr); }
  PngWriteGuard(const PngWriteGuard&) = delete;
  PngWriteGuard& operator=(const PngWriteGuard&) = delete;

 private:
  png_structp png_;
  png_infop info_;
};

}  // namespace

std::vector<unsigned char> encode_png(const Image& image) {
  // 1. Arguments, then interleaved 8-bit samples: [height, width * channels].
  check_image(image, "encode_png");
  if (image.width > PNG_UINT_31_MAX || image.height > PNG_UINT_31_MAX) {
    throw UsageError(fmt::format("encode_png: image is {} x {} pixels (width x height); a PNG "
                                 "holds at most 2^31 - 1 per side",
                                 image.width, image.height));
  }
  std::vector<unsigned char> pixels(image.size());
  for (std::size_t c = 0; c < image.channels; ++c) {
    for (std::size_t y = 0; y < image.height; ++y) {
      for (std::size_t x = 0; x < image.width; ++x) {
        const float value = image.at(c, y, x);
        if (std::isnan(value)) {
          throw UsageError(fmt::format(
              "encode_png: value at channel {}, row {}, column {} is NaN; a PNG stores values "
              "in [0, 1] only",
              c, y, x));
        }
        const float clamped = std::clamp(value, 0.0f, 1.0f);
        pixels[(y * image.width + x) * image.channels + c] =
            static_cast<unsigned char>(std::lround(clamped * 255.0f));
      }
    }
  }
  std::vector<png_bytep> rows(image.height);
  const std::size_t row_bytes = image.width * image.channels;
  for (std::size_t y = 0; y < image.height; ++y) rows[y] = pixels.data() + y * row_bytes;

  // 2. Encode into memory.
  std::vector<unsigned char> bytes;
  PngSink sink{&bytes, false, {}};
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, on_png_error, on_png_warning);
  if (png == nullptr) throw std::bad_alloc();
  png_infop info = png_create_info_struct(png);
  PngWriteGuard guard(png, info);
  if (info == nullptr) throw std::bad_alloc();
  png_set_write_fn(png, &sink, on_png_write, on_png_flush);
  const int color_type = image.channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY;
  if (!write_png_rows(png, info, static_cast<png_uint_32>(image.width),
                      static_cast<png_uint_32>(image.height), color_type, rows.data())) {
    if (sink.out_of_memory) throw std::bad_alloc();
    throw InternalError(fmt::format("libpng failed to encode a {} x {} image: {}", image.width,
                                    image.height, sink.message));
  }
  return bytes;
}

void write_png(const std::filesystem::path& path, const Image& image) {
  const std::vector<unsigned char> bytes = encode_png(image);
  AtomicFile file(path);
  file.write(std::as_bytes(std::span<const unsigned char>(bytes)));
  file.commit();
}

}  // namespace privaudit::image
