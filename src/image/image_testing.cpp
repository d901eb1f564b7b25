#include "image/image_testing.h"

// jpeglib.h needs size_t and FILE declared before it.
#include <cstdio>

#include <jpeglib.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <csetjmp>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace privaudit::image::testing {

namespace {

void append_u32(std::string& out, std::uint32_t value) {
  out += static_cast<char>((value >> 24) & 0xFF);
  out += static_cast<char>((value >> 16) & 0xFF);
  out += static_cast<char>((value >> 8) & 0xFF);
  out += static_cast<char>(value & 0xFF);
}

std::size_t samples_per_pixel(int color_type) {
  switch (color_type) {
    case kPngRgb: return 3;
    case kPngGrayAlpha: return 2;
    case kPngRgba: return 4;
    default: return 1;
  }
}

// Filtered scanlines (filter byte 0) in file order: the rows themselves, or for Adam7 the
// pixels of each of the seven passes (PNG specification, section 8.2).
std::string filtered_scanlines(const RawPng& png) {
  std::string out;
  if (!png.interlaced) {
    for (const auto& row : png.rows) {
      out += '\0';
      out.append(row.begin(), row.end());
    }
    return out;
  }
  if (png.bit_depth < 8) throw std::invalid_argument("Adam7 test images need bit depth 8 or 16");
  const std::size_t pixel_bytes = samples_per_pixel(png.color_type) * png.bit_depth / 8;
  struct Pass {
    std::size_t row0, column0, row_step, column_step;
  };
  constexpr Pass kPasses[] = {{0, 0, 8, 8}, {0, 4, 8, 8}, {4, 0, 8, 4}, {0, 2, 4, 4},
                              {2, 0, 4, 2}, {0, 1, 2, 2}, {1, 0, 2, 1}};
  for (const Pass& pass : kPasses) {
    if (pass.column0 >= png.width) continue;  // a pass without columns has no scanlines
    for (std::size_t y = pass.row0; y < png.height; y += pass.row_step) {
      out += '\0';
      for (std::size_t x = pass.column0; x < png.width; x += pass.column_step) {
        out.append(png.rows[y].begin() + static_cast<std::ptrdiff_t>(x * pixel_bytes),
                   png.rows[y].begin() + static_cast<std::ptrdiff_t>((x + 1) * pixel_bytes));
      }
    }
  }
  return out;
}

}  // namespace

std::string png_chunk(std::string_view type, std::string_view data) {
  std::string chunk;
  append_u32(chunk, static_cast<std::uint32_t>(data.size()));
  chunk += type;
  chunk += data;
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(chunk.data() + 4), static_cast<uInt>(chunk.size() - 4));
  append_u32(chunk, static_cast<std::uint32_t>(crc));
  return chunk;
}

std::string encode_raw_png(const RawPng& png) {
  std::string out("\x89PNG\r\n\x1a\n", 8);

  std::string header;
  append_u32(header, png.width);
  append_u32(header, png.height);
  header += static_cast<char>(png.bit_depth);
  header += static_cast<char>(png.color_type);
  header += '\0';  // compression method 0 (deflate)
  header += '\0';  // filter method 0
  header += static_cast<char>(png.interlaced ? 1 : 0);
  out += png_chunk("IHDR", header);

  if (!png.palette.empty()) {
    out += png_chunk("PLTE", std::string(png.palette.begin(), png.palette.end()));
  }
  if (!png.transparency.empty()) {
    out += png_chunk("tRNS", std::string(png.transparency.begin(), png.transparency.end()));
  }

  const std::string raw = filtered_scanlines(png);
  uLongf compressed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string compressed(compressed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(compressed.data()), &compressed_size,
                reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                Z_BEST_COMPRESSION) != Z_OK) {
    throw std::runtime_error("zlib compress2 failed");
  }
  compressed.resize(compressed_size);
  out += png_chunk("IDAT", compressed);
  out += png_chunk("IEND", "");
  return out;
}

namespace {

struct JpegTestErrors {
  jpeg_error_mgr manager;  // first member
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_test_jpeg_error(j_common_ptr cinfo) {
  auto* errors = reinterpret_cast<JpegTestErrors*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, errors->message);
  std::longjmp(errors->jump, 1);
}

// Holds only trivially destructible locals, so that libjpeg's longjmp skips no destructor.
bool compress_jpeg(jpeg_compress_struct* cinfo, JpegTestErrors* errors, unsigned char** buffer,
                   unsigned long* size, std::size_t width, std::size_t height, int components,
                   int quality, const unsigned char* samples) {
  if (setjmp(errors->jump)) return false;
  jpeg_create_compress(cinfo);
  jpeg_mem_dest(cinfo, buffer, size);
  cinfo->image_width = static_cast<JDIMENSION>(width);
  cinfo->image_height = static_cast<JDIMENSION>(height);
  cinfo->input_components = components;
  if (components == 1) {
    cinfo->in_color_space = JCS_GRAYSCALE;
  } else if (components == 3) {
    cinfo->in_color_space = JCS_RGB;
  } else {
    cinfo->in_color_space = JCS_CMYK;
  }
  jpeg_set_defaults(cinfo);
  jpeg_set_quality(cinfo, quality, TRUE);
  for (int c = 0; c < cinfo->num_components; ++c) {
    cinfo->comp_info[c].h_samp_factor = 1;
    cinfo->comp_info[c].v_samp_factor = 1;
  }
  jpeg_start_compress(cinfo, TRUE);
  const std::size_t row_bytes = static_cast<std::size_t>(cinfo->image_width) * components;
  while (cinfo->next_scanline < cinfo->image_height) {
    auto row = const_cast<JSAMPROW>(samples + cinfo->next_scanline * row_bytes);
    jpeg_write_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_compress(cinfo);
  return true;
}

}  // namespace

std::string encode_test_jpeg(std::size_t width, std::size_t height, int components,
                             const std::vector<unsigned char>& samples, int quality) {
  if (samples.size() != width * height * static_cast<std::size_t>(components)) {
    throw std::invalid_argument("encode_test_jpeg: samples do not match width x height x components");
  }
  jpeg_compress_struct cinfo{};
  JpegTestErrors errors{};
  cinfo.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = on_test_jpeg_error;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  const bool written = compress_jpeg(&cinfo, &errors, &buffer, &size, width, height, components,
                                     quality, samples.data());
  std::string bytes;
  if (written) bytes.assign(reinterpret_cast<const char*>(buffer), size);
  jpeg_destroy_compress(&cinfo);
  std::free(buffer);
  if (!written) throw std::runtime_error(std::string("libjpeg failed: ") + errors.message);
  return bytes;
}

}  // namespace privaudit::image::testing
