// Argument checks shared by the image operations and the readers of this module.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "image/image.h"

namespace privaudit::image {

// Checks that `image` is well formed: 1 or 3 channels, height and width >= 1, and values.size()
// equal to channels * height * width. Throws UsageError naming `operation` and the bad field.
void check_image(const Image& image, std::string_view operation);

// Checks the width and height that a file header declares before anything is decoded. Throws
// InputError naming `path` and `format` when either is 0 or above kMaxImageSide.
void check_declared_extent(const std::filesystem::path& path, std::string_view format,
                           std::uint64_t width, std::uint64_t height);

}  // namespace privaudit::image
