// Conversions between grayscale and RGB images.
#pragma once

#include "image/image.h"

namespace privaudit::image {

// Converts an RGB image to one channel with the ITU-R BT.601 luma weights,
// 0.299 R + 0.587 G + 0.114 B, on the stored values (no gamma linearization). Returns a copy of
// a grayscale image. Throws UsageError when the image is malformed.
Image to_grayscale(const Image& image);

// Converts a grayscale image to RGB by copying its channel three times. Returns a copy of an RGB
// image. Throws UsageError when the image is malformed.
Image to_rgb(const Image& image);

}  // namespace privaudit::image
