// An image decoded from a file: channel-first floats, as the convolutional models take them.
#pragma once

#include <cstddef>
#include <vector>

namespace privaudit::image {

// Largest height or width, in pixels, that the PNG and JPEG readers accept and resize() produces.
// The readers check it before they allocate, so a damaged or hostile header cannot request
// gigabytes: 16384 x 16384 x 3 floats is already 3 GiB.
inline constexpr std::size_t kMaxImageSide = 16384;

struct Image {
  std::size_t channels = 0;  // 1 (grayscale) or 3 (RGB)
  std::size_t height = 0;    // rows, >= 1
  std::size_t width = 0;     // columns, >= 1
  // [channels, height, width], row-major. Readers of 8- and 16-bit files scale to [0, 1] by the
  // largest stored value (255 or 65535); DICOM readers give rescaled values (see dicom/).
  std::vector<float> values;

  std::size_t size() const { return channels * height * width; }
  float at(std::size_t c, std::size_t y, std::size_t x) const {
    return values[(c * height + y) * width + x];
  }
  float& at(std::size_t c, std::size_t y, std::size_t x) {
    return values[(c * height + y) * width + x];
  }
};

}  // namespace privaudit::image
