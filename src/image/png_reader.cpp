#include "image/png_reader.h"

#include <fmt/format.h>
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <new>
#include <vector>

#include "core/error.h"
#include "image/image_checks.h"
#include "image/image_file.h"

namespace privaudit::image {
namespace {

// libpng reports a fatal error by calling the error callback, which must not return: it
// longjmps to the setjmp in the read_png_* stage that made the failing call. The stages and
// callbacks contain only trivially destructible locals, because C++ defines longjmp only when a
// throw in its place would run no non-trivial destructor. Every libpng call that can fail runs
// inside a stage, and buffers are allocated between stages.

constexpr std::size_t kMessageSize = 256;

// The in-memory input and the last libpng error message. Trivially destructible.
struct PngSource {
  const unsigned char* data;
  std::size_t size;
  std::size_t offset;
  char message[kMessageSize];
};

void on_png_error(png_structp png, png_const_charp text) {
  auto* source = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(source->message, kMessageSize, "%s", text != nullptr ? text : "unknown error");
  png_longjmp(png, 1);
}

// Warnings (an ancillary chunk with a bad CRC, an unknown chunk) do not change the pixels.
void on_png_warning(png_structp, png_const_charp) {}

void on_png_read(png_structp png, png_bytep out, png_size_t length) {
  auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
  if (length > source->size - source->offset) {
    png_error(png, "the file ends before the PNG data does (truncated file)");
  }
  std::memcpy(out, source->data + source->offset, length);
  source->offset += length;
}

// Image header as the file declares it.
struct PngHeader {
  png_uint_32 width;
  png_uint_32 height;
  int bit_depth;
  int color_type;
};

// Row layout after the transformations that read_png_layout requests.
struct PngLayout {
  int bit_depth;        // 8 or 16
  int color_type;       // PNG_COLOR_TYPE_GRAY or PNG_COLOR_TYPE_RGB when alpha is stripped
  int samples;          // samples per pixel in a decoded row
  std::size_t row_bytes;
};

// Stage 1: signature and chunks up to the first IDAT. Returns false after a libpng error.
bool read_png_header(png_structp png, png_infop info, PngHeader* header) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_info(png, info);
  header->width = png_get_image_width(png, info);
  header->height = png_get_image_height(png, info);
  header->bit_depth = png_get_bit_depth(png, info);
  header->color_type = png_get_color_type(png, info);
  return true;
}

// Stage 2: requests 8- or 16-bit gray or RGB samples without alpha, and returns the row layout.
bool read_png_layout(png_structp png, png_infop info, const PngHeader* header, PngLayout* layout) {
  if (setjmp(png_jmpbuf(png))) return false;
  if (header->color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (header->color_type == PNG_COLOR_TYPE_GRAY && header->bit_depth < 8) {
    png_set_expand_gray_1_2_4_to_8(png);
  }
  if ((header->color_type & PNG_COLOR_MASK_ALPHA) != 0 || header->color_type == PNG_COLOR_TYPE_PALETTE) {
    png_set_strip_alpha(png);
  }
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  layout->bit_depth = png_get_bit_depth(png, info);
  layout->color_type = png_get_color_type(png, info);
  layout->samples = png_get_channels(png, info);
  layout->row_bytes = png_get_rowbytes(png, info);
  return true;
}

// Stage 3: decodes every row into `rows` and reads the chunks after the image data up to IEND.
bool read_png_rows(png_structp png, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_image(png, rows);
  png_read_end(png, nullptr);
  return true;
}

// Destroys the libpng structures on every path out of decode_png.
class PngReadGuard {
 public:
  PngReadGuard(png_structp png, png_infop info) : png_(png), info_(info) {}
  ~PngReadGuard() { png_destroy_read_struct(&png_, info_ != nullptr ? &info_ : nullptr, nullptr); }
  PngReadGuard(const PngReadGuard&) = delete;
  PngReadGuard& operator=(const PngReadGuard&) = delete;

 private:
  png_structp png_;
  png_infop info_;
};

InputError damaged_png(const std::filesystem::path& path, const PngSource& source) {
  return InputError(fmt::format(
      "invalid PNG file '{}': libpng reported \"{}\". The file is truncated or damaged; export "
      "the image again.",
      path.string(), source.message));
}

}  // namespace

Image decode_png(std::span<const unsigned char> bytes, const std::filesystem::path& path) {
  // 1. Signature, so that a file of another kind gets a plain message rather than libpng's.
  if (bytes.size() < 8 || png_sig_cmp(bytes.data(), 0, 8) != 0) {
    throw InputError(fmt::format(
        "'{}' is not a PNG file: it does not start with the PNG signature 89 50 4e 47 0d 0a 1a 0a.",
        path.string()));
  }

  // 2. libpng structures with our error, warning and read callbacks.
  PngSource source{bytes.data(), bytes.size(), 0, {}};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, on_png_error, on_png_warning);
  if (png == nullptr) throw std::bad_alloc();
  png_infop info = png_create_info_struct(png);
  PngReadGuard guard(png, info);
  if (info == nullptr) throw std::bad_alloc();
  png_set_read_fn(png, &source, on_png_read);

  // 3. Header, and the size check before any buffer of image size exists.
  PngHeader header{};
  if (!read_png_header(png, info, &header)) throw damaged_png(path, source);
  check_declared_extent(path, "PNG", header.width, header.height);

  PngLayout layout{};
  if (!read_png_layout(png, info, &header, &layout)) throw damaged_png(path, source);
  const std::size_t channels = (layout.color_type & PNG_COLOR_MASK_COLOR) != 0 ? 3 : 1;
  const std::size_t sample_bytes = layout.bit_depth == 16 ? 2 : 1;
  const auto samples = static_cast<std::size_t>(layout.samples);
  if ((layout.bit_depth != 8 && layout.bit_depth != 16) || samples < channels ||
      layout.row_bytes != header.width * samples * sample_bytes) {
    throw InternalError(fmt::format(
        "PNG '{}': unexpected decoded layout (bit depth {}, {} samples per pixel, {} bytes per "
        "row for width {})",
        path.string(), layout.bit_depth, samples, layout.row_bytes, header.width));
  }

  // 4. Decode into one buffer of [height, row_bytes].
  std::vector<unsigned char> pixels(static_cast<std::size_t>(header.height) * layout.row_bytes);
  std::vector<png_bytep> rows(header.height);
  for (std::size_t y = 0; y < header.height; ++y) rows[y] = pixels.data() + y * layout.row_bytes;
  if (!read_png_rows(png, rows.data())) throw damaged_png(path, source);

  // 5. Interleaved samples to channel-first floats in [0, 1].
  Image image;
  image.channels = channels;
  image.height = header.height;
  image.width = header.width;
  image.values.resize(image.size());
  const float max_value = layout.bit_depth == 16 ? 65535.0f : 255.0f;
  for (std::size_t y = 0; y < image.height; ++y) {
    const unsigned char* row = rows[y];
    for (std::size_t x = 0; x < image.width; ++x) {
      for (std::size_t c = 0; c < channels; ++c) {
        const unsigned char* sample = row + (x * samples + c) * sample_bytes;
        // 16-bit PNG samples are big-endian.
        const unsigned value = sample_bytes == 2 ? (unsigned{sample[0]} << 8) | sample[1] : sample[0];
        image.at(c, y, x) = static_cast<float>(value) / max_value;
      }
    }
  }
  return image;
}

Image read_png(const std::filesystem::path& path) {
  const std::vector<unsigned char> bytes = read_image_bytes(path);
  return decode_png(bytes, path);
}

}  // namespace privaudit::image
