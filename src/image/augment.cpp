#include "image/augment.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "image/image_checks.h"

namespace privaudit::image {
namespace {

// numpy's "reflect" index for position i on an axis of n pixels: reflection about the first and
// last pixel, periodic with period 2 (n - 1) for positions beyond one reflection.
std::size_t reflect_index(long long i, std::size_t n) {
  if (n == 1) return 0;
  const auto period = 2 * static_cast<long long>(n - 1);
  long long folded = i % period;
  if (folded < 0) folded += period;
  return static_cast<std::size_t>(folded < static_cast<long long>(n) ? folded : period - folded);
}

// Source row and column of every output pixel under `transform`.
struct SourceIndices {
  std::vector<std::size_t> rows;     // [height]
  std::vector<std::size_t> columns;  // [width]
};

void fill_source_indices(std::size_t height, std::size_t width, const ViewTransform& transform,
                         SourceIndices& indices) {
  indices.rows.resize(height);
  indices.columns.resize(width);
  for (std::size_t y = 0; y < height; ++y) {
    indices.rows[y] = reflect_index(static_cast<long long>(y) - transform.dy, height);
  }
  for (std::size_t x = 0; x < width; ++x) {
    const std::size_t shifted = reflect_index(static_cast<long long>(x) - transform.dx, width);
    indices.columns[x] = transform.flip ? width - 1 - shifted : shifted;
  }
}

// target[c, y, x] = source[c, rows[y], columns[x]]; both [channels, height, width].
void gather(const float* source, float* target, std::size_t channels, std::size_t height,
            std::size_t width, const SourceIndices& indices) {
  for (std::size_t c = 0; c < channels; ++c) {
    const float* plane = source + c * height * width;
    for (std::size_t y = 0; y < height; ++y) {
      const float* row = plane + indices.rows[y] * width;
      float* out = target + (c * height + y) * width;
      for (std::size_t x = 0; x < width; ++x) out[x] = row[indices.columns[x]];
    }
  }
}

void check_max_shift(std::string_view operation, int max_shift) {
  if (max_shift < 0) {
    throw UsageError(fmt::format("{}: max_shift {} is invalid; expected >= 0 pixels", operation, max_shift));
  }
}

}  // namespace

Image apply_view_transform(const Image& image, const ViewTransform& transform) {
  check_image(image, "apply_view_transform");
  SourceIndices indices;
  fill_source_indices(image.height, image.width, transform, indices);
  Image result = image;
  gather(image.values.data(), result.values.data(), image.channels, image.height, image.width, indices);
  return result;
}

Image flip_horizontal(const Image& image) {
  return apply_view_transform(image, ViewTransform{true, 0, 0});
}

Image shift_reflect(const Image& image, int dy, int dx) {
  return apply_view_transform(image, ViewTransform{false, dy, dx});
}

ViewTransform draw_view_transform(Rng& rng, int max_shift) {
  check_max_shift("draw_view_transform", max_shift);
  const std::uint64_t choices = 2 * static_cast<std::uint64_t>(max_shift) + 1;
  ViewTransform transform;
  transform.flip = rng.below(2) == 1;
  transform.dy = static_cast<int>(static_cast<long long>(rng.below(choices)) - max_shift);
  transform.dx = static_cast<int>(static_cast<long long>(rng.below(choices)) - max_shift);
  return transform;
}

std::vector<Image> augmented_views(const Image& image, std::size_t count, int max_shift,
                                   std::uint64_t seed) {
  check_image(image, "augmented_views");
  check_max_shift("augmented_views", max_shift);
  if (count == 0) {
    throw UsageError("augmented_views: count 0 is invalid; expected >= 1 (view 0 is the image itself)");
  }

  std::vector<Image> views;
  views.reserve(count);
  views.push_back(image);
  Rng rng(seed);
  for (std::size_t v = 1; v < count; ++v) {
    views.push_back(apply_view_transform(image, draw_view_transform(rng, max_shift)));
  }
  return views;
}

void augment_batch(float* batch, std::size_t count, std::size_t channels, std::size_t height,
                   std::size_t width, int max_shift, Rng& rng) {
  check_max_shift("augment_batch", max_shift);
  if (channels == 0 || height == 0 || width == 0) {
    throw UsageError(fmt::format(
        "augment_batch: image shape [{}, {}, {}] (channels, height, width) is invalid; expected "
        "every extent >= 1",
        channels, height, width));
  }
  if (count == 0) return;
  if (batch == nullptr) throw UsageError("augment_batch: batch is null but count is > 0");

  const std::size_t image_size = channels * height * width;
  std::vector<float> original(image_size);
  SourceIndices indices;
  for (std::size_t i = 0; i < count; ++i) {
    float* image = batch + i * image_size;
    fill_source_indices(height, width, draw_view_transform(rng, max_shift), indices);
    std::copy(image, image + image_size, original.begin());
    gather(original.data(), image, channels, height, width, indices);
  }
}

}  // namespace privaudit::image
