#include "image/image_checks.h"

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::image {

void check_image(const Image& image, std::string_view operation) {
  if (image.channels != 1 && image.channels != 3) {
    throw UsageError(fmt::format("{}: image has {} channels; expected 1 (grayscale) or 3 (RGB)",
                                 operation, image.channels));
  }
  if (image.height == 0 || image.width == 0) {
    throw UsageError(fmt::format("{}: image is {} x {} pixels (height x width); expected both >= 1",
                                 operation, image.height, image.width));
  }
  if (image.values.size() != image.size()) {
    throw UsageError(fmt::format(
        "{}: image has {} values but channels x height x width = {} x {} x {} = {}; fill values "
        "as [channels, height, width]",
        operation, image.values.size(), image.channels, image.height, image.width, image.size()));
  }
}

void check_declared_extent(const std::filesystem::path& path, std::string_view format,
                           std::uint64_t width, std::uint64_t height) {
  if (width == 0 || height == 0) {
    throw InputError(fmt::format(
        "invalid {} file '{}': its header declares {} x {} pixels (width x height), but both must "
        "be >= 1. The file is damaged; export the image again.",
        format, path.string(), width, height));
  }
  if (width > kMaxImageSide || height > kMaxImageSide) {
    throw InputError(fmt::format(
        "{} file '{}' is {} x {} pixels (width x height); the maximum is {} per side. Downscale "
        "the image before the audit.",
        format, path.string(), width, height, kMaxImageSide));
  }
}

}  // namespace privaudit::image
