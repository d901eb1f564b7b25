#include "deep/image_augment.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/error.h"

namespace privaudit::deep {
namespace {

// Mirrors index i in [-(n - 1), 2 (n - 1)] into [0, n) without repeating the edge.
std::int64_t reflect(std::int64_t i, std::int64_t n) {
  if (i < 0) {
    return -i;
  }
  if (i >= n) {
    return 2 * (n - 1) - i;
  }
  return i;
}

}  // namespace

void augment_images(std::span<float> images, const InputShape& shape, std::size_t max_shift,
                    Rng& rng) {
  const std::size_t image_size = shape.size();
  PRIVAUDIT_CHECK(image_size > 0 && images.size() % image_size == 0,
                  fmt::format("{} values do not form whole images of {} values", images.size(),
                              image_size));
  PRIVAUDIT_CHECK(max_shift < shape.height && max_shift < shape.width,
                  fmt::format("augmentation shift {} needs images larger than {}x{}", max_shift,
                              shape.height, shape.width));

  const auto height = static_cast<std::int64_t>(shape.height);
  const auto width = static_cast<std::int64_t>(shape.width);
  const auto shift = static_cast<std::int64_t>(max_shift);
  std::vector<float> source(image_size);
  for (std::size_t start = 0; start < images.size(); start += image_size) {
    const std::int64_t dy = static_cast<std::int64_t>(rng.below(2 * max_shift + 1)) - shift;
    const std::int64_t dx = static_cast<std::int64_t>(rng.below(2 * max_shift + 1)) - shift;
    const bool flip = rng.below(2) == 1;
    if (dy == 0 && dx == 0 && !flip) {
      continue;
    }

    float* image = images.data() + start;
    std::copy_n(image, image_size, source.data());
    for (std::size_t c = 0; c < shape.channels; ++c) {
      const float* in = source.data() + c * shape.height * shape.width;
      float* out = image + c * shape.height * shape.width;
      for (std::int64_t y = 0; y < height; ++y) {
        const std::int64_t source_row = reflect(y + dy, height);
        for (std::int64_t x = 0; x < width; ++x) {
          const std::int64_t column = flip ? width - 1 - x : x;
          out[y * width + x] = in[source_row * width + reflect(column + dx, width)];
        }
      }
    }
  }
}

}  // namespace privaudit::deep
