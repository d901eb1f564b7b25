// Flips and reflect-padded shifts of images: the augmented views over which membership signals
// of image models are averaged, and random augmentation of training batches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/random.h"
#include "image/image.h"

namespace privaudit::image {

// One augmentation: an optional left-right flip, then a shift with reflect padding.
struct ViewTransform {
  bool flip = false;  // mirror the columns before shifting
  int dy = 0;         // rows the content moves down (negative: up)
  int dx = 0;         // columns the content moves right (negative: left)
};

// Mirrors the columns: output(c, y, x) = input(c, y, width - 1 - x).
Image flip_horizontal(const Image& image);

// Shifts the content by dy rows and dx columns, filling the uncovered border by reflection:
// output(c, y, x) = input(c, reflect(y - dy), reflect(x - dx)), where reflect follows numpy's
// "reflect" padding mode (the edge pixel is not repeated: -1 -> 1, n -> n - 2, and shifts longer
// than the image keep reflecting). This equals numpy.pad(..., |d|, mode="reflect") followed by
// cropping the original size at offset |d| - d on each axis.
Image shift_reflect(const Image& image, int dy, int dx);

// Applies the flip (if any), then the shift.
Image apply_view_transform(const Image& image, const ViewTransform& transform);

// Draws a transform: flip with probability 1/2, then dy, then dx, each uniform in
// [-max_shift, max_shift]. Consumes exactly three values of `rng`. Throws UsageError when
// max_shift < 0.
ViewTransform draw_view_transform(Rng& rng, int max_shift);

// Returns `count` views of `image`: view 0 is the image itself, and view v >= 1 applies the v-th
// transform drawn by draw_view_transform from Rng(seed). The same seed gives the same views, and
// the first views do not depend on `count`. Throws UsageError when count is 0, max_shift < 0 or
// the image is malformed.
std::vector<Image> augmented_views(const Image& image, std::size_t count, int max_shift,
                                   std::uint64_t seed);

// Applies an independent random transform (draw_view_transform, in image order) to each of the
// `count` images of `batch`, [count, channels, height, width], in place, for training-time
// augmentation. Throws UsageError when an extent is 0, max_shift < 0, or batch is null while
// count > 0.
void augment_batch(float* batch, std::size_t count, std::size_t channels, std::size_t height,
                   std::size_t width, int max_shift, Rng& rng);

}  // namespace privaudit::image
