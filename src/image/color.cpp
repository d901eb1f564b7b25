#include "image/color.h"

#include <algorithm>

#include "image/image_checks.h"

namespace privaudit::image {

namespace {
// ITU-R BT.601 luma coefficients for R, G and B.
constexpr double kLumaRed = 0.299;
constexpr double kLumaGreen = 0.587;
constexpr double kLumaBlue = 0.114;
}  // namespace

Image to_grayscale(const Image& image) {
  check_image(image, "to_grayscale");
  if (image.channels == 1) return image;

  Image gray;
  gray.channels = 1;
  gray.height = image.height;
  gray.width = image.width;
  gray.values.resize(gray.size());
  const std::size_t plane = image.height * image.width;
  const float* red = image.values.data();
  const float* green = red + plane;
  const float* blue = green + plane;
  for (std::size_t i = 0; i < plane; ++i) {
    gray.values[i] = static_cast<float>(kLumaRed * red[i] + kLumaGreen * green[i] + kLumaBlue * blue[i]);
  }
  return gray;
}

Image to_rgb(const Image& image) {
  check_image(image, "to_rgb");
  if (image.channels == 3) return image;

  Image rgb;
  rgb.channels = 3;
  rgb.height = image.height;
  rgb.width = image.width;
  rgb.values.resize(rgb.size());
  const std::size_t plane = image.height * image.width;
  for (std::size_t c = 0; c < 3; ++c) {
    std::copy(image.values.begin(), image.values.end(), rgb.values.begin() + c * plane);
  }
  return rgb;
}

}  // namespace privaudit::image
