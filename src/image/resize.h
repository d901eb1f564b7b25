// Image resizing, one axis at a time.
#pragma once

#include <cstddef>

#include "image/image.h"

namespace privaudit::image {

// Resizes every channel to [height, width]. Each axis is handled on its own:
// - shrinking averages the input pixels that each output pixel covers, weighted by the covered
//   length (output pixel o spans input coordinates [o * in / out, (o + 1) * in / out)). For
//   integer factors this is torch.nn.functional.interpolate(mode="area"); for other factors it
//   weights partly covered pixels by their overlap, as OpenCV's INTER_AREA does, where torch's
//   adaptive pooling would count them whole.
// - enlarging interpolates linearly between pixel centres (align_corners=False): input
//   coordinate (o + 0.5) * in / out - 0.5, clamped to [0, in - 1].
// - an unchanged extent copies the axis.
// Throws UsageError when the image is malformed or a target extent is 0 or above kMaxImageSide.
Image resize(const Image& image, std::size_t height, std::size_t width);

}  // namespace privaudit::image
