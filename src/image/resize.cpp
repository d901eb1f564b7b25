#include "image/resize.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.h"
#include "image/image_checks.h"

namespace privaudit::image {
namespace {

// Input pixel `index` contributes `weight` to an output pixel.
struct Tap {
  std::size_t index;
  double weight;
};

// Taps of every output pixel along one axis: [out] lists, each summing to 1.
using AxisTaps = std::vector<std::vector<Tap>>;

// Area averaging for out < in. Measured in units of 1 / out input pixels, output pixel o spans
// [o * in, (o + 1) * in) and input pixel i spans [i * out, (i + 1) * out). The overlaps are
// therefore exact integers, and each weight is overlap / in.
AxisTaps area_taps(std::size_t in, std::size_t out) {
  AxisTaps taps(out);
  for (std::size_t o = 0; o < out; ++o) {
    const std::size_t begin = o * in;
    const std::size_t end = (o + 1) * in;
    for (std::size_t i = begin / out; i * out < end; ++i) {
      const std::size_t overlap = std::min(end, (i + 1) * out) - std::max(begin, i * out);
      taps[o].push_back({i, static_cast<double>(overlap) / static_cast<double>(in)});
    }
  }
  return taps;
}

// Linear interpolation for out > in with half-pixel centres, as PyTorch's upsample_bilinear2d
// computes it for align_corners=False without a scale factor.
AxisTaps linear_taps(std::size_t in, std::size_t out) {
  AxisTaps taps(out);
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  for (std::size_t o = 0; o < out; ++o) {
    const double source = std::max((static_cast<double>(o) + 0.5) * scale - 0.5, 0.0);
    const auto lower = std::min(static_cast<std::size_t>(source), in - 1);
    const std::size_t upper = std::min(lower + 1, in - 1);
    const double fraction = source - static_cast<double>(lower);
    if (upper == lower) {
      taps[o].push_back({lower, 1.0});  // past the last centre: the edge pixel alone
    } else {
      taps[o].push_back({lower, 1.0 - fraction});
      taps[o].push_back({upper, fraction});
    }
  }
  return taps;
}

AxisTaps axis_taps(std::size_t in, std::size_t out) {
  if (out < in) return area_taps(in, out);
  if (out > in) return linear_taps(in, out);
  AxisTaps taps(out);
  for (std::size_t o = 0; o < out; ++o) taps[o].push_back({o, 1.0});
  return taps;
}

void check_target(std::string_view name, std::size_t extent) {
  if (extent == 0 || extent > kMaxImageSide) {
    throw UsageError(fmt::format("resize: target {} {} is invalid; expected 1 to {} pixels", name,
                                 extent, kMaxImageSide));
  }
}

}  // namespace

Image resize(const Image& image, std::size_t height, std::size_t width) {
  check_image(image, "resize");
  check_target("height", height);
  check_target("width", width);

  // 1. Rows: [channels, image.height, image.width] -> [channels, height, image.width].
  const AxisTaps row_taps = axis_taps(image.height, height);
  std::vector<float> rows_done(image.channels * height * image.width);
  for (std::size_t c = 0; c < image.channels; ++c) {
    for (std::size_t y = 0; y < height; ++y) {
      for (std::size_t x = 0; x < image.width; ++x) {
        double sum = 0.0;
        for (const Tap& tap : row_taps[y]) sum += tap.weight * image.at(c, tap.index, x);
        rows_done[(c * height + y) * image.width + x] = static_cast<float>(sum);
      }
    }
  }

  // 2. Columns: [channels, height, image.width] -> [channels, height, width].
  const AxisTaps column_taps = axis_taps(image.width, width);
  Image result;
  result.channels = image.channels;
  result.height = height;
  result.width = width;
  result.values.resize(result.size());
  for (std::size_t c = 0; c < image.channels; ++c) {
    for (std::size_t y = 0; y < height; ++y) {
      const float* row = rows_done.data() + (c * height + y) * image.width;
      for (std::size_t x = 0; x < width; ++x) {
        double sum = 0.0;
        for (const Tap& tap : column_taps[x]) sum += tap.weight * row[tap.index];
        result.at(c, y, x) = static_cast<float>(sum);
      }
    }
  }
  return result;
}

}  // namespace privaudit::image
