#include "image/jpeg_reader.h"

// jpeglib.h needs size_t and FILE declared before it.
#include <cstddef>
#include <cstdio>

#include <fmt/format.h>
#include <jpeglib.h>

#include <csetjmp>
#include <vector>

#include "core/error.h"
#include "image/image_checks.h"
#include "image/image_file.h"

namespace privaudit::image {
namespace {

// libjpeg's default error handler prints to stderr and calls exit(). Ours stores the message and
// longjmps to the setjmp in the read_jpeg_* stage that made the failing call. The stages and
// callbacks contain only trivially destructible locals, because C++ defines longjmp only when a
// throw in its place would run no non-trivial destructor. libjpeg's state is released by
// JpegReadGuard in decode_jpeg, a frame the jump never crosses.

// libjpeg's error manager extended with the jump target and the messages. Trivially destructible.
struct JpegErrors {
  jpeg_error_mgr manager;  // first member: libjpeg passes &manager, which we cast back
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  char first_warning[JMSG_LENGTH_MAX];
  int warnings;
};

JpegErrors* errors_of(j_common_ptr cinfo) { return reinterpret_cast<JpegErrors*>(cinfo->err); }

void on_jpeg_error(j_common_ptr cinfo) {
  JpegErrors* errors = errors_of(cinfo);
  (*cinfo->err->format_message)(cinfo, errors->message);
  std::longjmp(errors->jump, 1);
}

// Records level -1 messages, which are warnings about damaged data, and drops trace messages
// (levels >= 0).
void on_jpeg_message(j_common_ptr cinfo, int level) {
  if (level >= 0) return;
  JpegErrors* errors = errors_of(cinfo);
  if (errors->warnings == 0) (*cinfo->err->format_message)(cinfo, errors->first_warning);
  ++errors->warnings;
}

void on_jpeg_output(j_common_ptr) {}

// Stage 1: creates the decompressor and reads the header up to the first scan.
bool read_jpeg_header(jpeg_decompress_struct* cinfo, JpegErrors* errors,
                      const unsigned char* data, std::size_t size) {
  if (setjmp(errors->jump)) return false;
  jpeg_create_decompress(cinfo);
  jpeg_mem_src(cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(cinfo, TRUE);
  return true;
}

// Stage 2: decodes every scanline into `pixels`, [height, width * components]. Returns false
// after a libjpeg error, or with a message when the output size differs from the header's.
bool read_jpeg_rows(jpeg_decompress_struct* cinfo, JpegErrors* errors, unsigned char* pixels,
                    std::size_t height, std::size_t row_bytes) {
  if (setjmp(errors->jump)) return false;
  jpeg_start_decompress(cinfo);
  if (cinfo->output_height != height ||
      static_cast<std::size_t>(cinfo->output_width) * cinfo->output_components != row_bytes) {
    std::snprintf(errors->message, JMSG_LENGTH_MAX, "decoded size differs from the header's");
    return false;
  }
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW row = pixels + static_cast<std::size_t>(cinfo->output_scanline) * row_bytes;
    jpeg_read_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_decompress(cinfo);
  return true;
}

// Releases libjpeg's memory on every path out of decode_jpeg. jpeg_destroy_decompress is safe on
// a zero-initialized structure that was never created.
class JpegReadGuard {
 public:
  explicit JpegReadGuard(jpeg_decompress_struct* cinfo) : cinfo_(cinfo) {}
  ~JpegReadGuard() { jpeg_destroy_decompress(cinfo_); }
  JpegReadGuard(const JpegReadGuard&) = delete;
  JpegReadGuard& operator=(const JpegReadGuard&) = delete;

 private:
  jpeg_decompress_struct* cinfo_;
};

InputError damaged_jpeg(const std::filesystem::path& path, const char* detail) {
  return InputError(fmt::format(
      "invalid JPEG file '{}': libjpeg reported \"{}\". The file is truncated or damaged, or "
      "uses a JPEG variant that libjpeg does not decode (such as 12-bit samples); export the "
      "image again as an 8-bit JPEG or a PNG.",
      path.string(), detail));
}

// Output colour space for a JPEG colour space, or throws InputError for the ones we do not read.
J_COLOR_SPACE output_color_space(const jpeg_decompress_struct& cinfo,
                                 const std::filesystem::path& path) {
  switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE: return JCS_GRAYSCALE;
    case JCS_YCbCr:
    case JCS_RGB: return JCS_RGB;
    case JCS_CMYK:
    case JCS_YCCK:
      throw InputError(fmt::format(
          "JPEG file '{}' uses the {} colour space, which privaudit does not read; expected "
          "grayscale or RGB (YCbCr). Convert the image to RGB or grayscale.",
          path.string(), cinfo.jpeg_color_space == JCS_CMYK ? "CMYK" : "YCCK (Adobe CMYK)"));
    default:
      throw InputError(fmt::format(
          "JPEG file '{}' has {} components in an unknown colour space (libjpeg code {}); "
          "expected grayscale or RGB (YCbCr). Convert the image to RGB or grayscale.",
          path.string(), cinfo.num_components, static_cast<int>(cinfo.jpeg_color_space)));
  }
}

}  // namespace

Image decode_jpeg(std::span<const unsigned char> bytes, const std::filesystem::path& path) {
  // 1. Signature, so that a file of another kind gets a plain message rather than libjpeg's.
  if (bytes.size() < 3 || bytes[0] != 0xFF || bytes[1] != 0xD8 || bytes[2] != 0xFF) {
    throw InputError(fmt::format(
        "'{}' is not a JPEG file: it does not start with the JPEG signature ff d8 ff.",
        path.string()));
  }

  // 2. Decompressor with our error manager, and the header.
  jpeg_decompress_struct cinfo{};
  JpegErrors errors{};
  cinfo.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = on_jpeg_error;
  errors.manager.emit_message = on_jpeg_message;
  errors.manager.output_message = on_jpeg_output;
  JpegReadGuard guard(&cinfo);
  if (!read_jpeg_header(&cinfo, &errors, bytes.data(), bytes.size())) {
    throw damaged_jpeg(path, errors.message);
  }

  // 3. Colour space and the size check before the pixel buffer exists.
  cinfo.out_color_space = output_color_space(cinfo, path);
  check_declared_extent(path, "JPEG", cinfo.image_width, cinfo.image_height);
  const std::size_t channels = cinfo.out_color_space == JCS_GRAYSCALE ? 1 : 3;
  const std::size_t height = cinfo.image_height;
  const std::size_t width = cinfo.image_width;

  // 4. Decode into one buffer of [height, width * channels], interleaved.
  std::vector<unsigned char> pixels(height * width * channels);
  if (!read_jpeg_rows(&cinfo, &errors, pixels.data(), height, width * channels)) {
    throw damaged_jpeg(path, errors.message);
  }
  if (errors.warnings > 0) throw damaged_jpeg(path, errors.first_warning);

  // 5. Interleaved samples to channel-first floats in [0, 1].
  Image image;
  image.channels = channels;
  image.height = height;
  image.width = width;
  image.values.resize(image.size());
  for (std::size_t y = 0; y < height; ++y) {
    for (std::size_t x = 0; x < width; ++x) {
      for (std::size_t c = 0; c < channels; ++c) {
        image.at(c, y, x) = static_cast<float>(pixels[(y * width + x) * channels + c]) / 255.0f;
      }
    }
  }
  return image;
}

Image read_jpeg(const std::filesystem::path& path) {
  const std::vector<unsigned char> bytes = read_image_bytes(path);
  return decode_jpeg(bytes, path);
}

}  // namespace privaudit::image
