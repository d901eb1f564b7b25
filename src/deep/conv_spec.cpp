#include "deep/conv_spec.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/error.h"

namespace privaudit::deep {
namespace {

constexpr std::size_t kSmallCnnStages = 2;
// SmallCnn's two max-poolings by 2 leave 1 position from 4.
constexpr std::size_t kSmallCnnMinExtent = 4;

std::string kind_name(ConvSpec::Kind kind) {
  switch (kind) {
    case ConvSpec::Kind::kSmallCnn:
      return "small-cnn";
    case ConvSpec::Kind::kResNet1d:
      return "resnet1d";
    case ConvSpec::Kind::kWideResNet:
      return "wrn";
  }
  throw InternalError(fmt::format("unknown convolutional architecture {}", static_cast<int>(kind)));
}

// ResNet1d channels of block b (0-based): 64, 128, 128, then 128.
std::size_t resnet1d_channels(std::size_t block) { return block == 0 ? 64 : 128; }

std::size_t small_cnn_parameters(const InputShape& shape, std::size_t outputs) {
  // 3x3 kernels on images, 1-D kernels of 7 on ECGs.
  const std::size_t kernel = shape.height > 1 ? 9 : 7;
  std::size_t count = 0;
  count += shape.channels * 32 * kernel + 2 * 32;  // conv 1 and its GroupNorm
  count += 32 * 64 * kernel + 2 * 64;              // conv 2 and its GroupNorm
  count += 64 * outputs + outputs;                 // linear head
  return count;
}

std::size_t resnet1d_parameters(const ConvSpec& spec, const InputShape& shape,
                                std::size_t outputs) {
  std::size_t count = 0;
  std::size_t in = shape.channels;
  for (std::size_t block = 0; block < spec.depth; ++block) {
    const std::size_t out = resnet1d_channels(block);
    count += (8 * in * out + 2 * out) + (5 * out * out + 2 * out) + (3 * out * out + 2 * out);
    if (in != out) {
      count += in * out + 2 * out;  // 1x1 projection and its GroupNorm
    }
    in = out;
  }
  return count + in * outputs + outputs;
}

std::size_t wide_resnet_parameters(const ConvSpec& spec, const InputShape& shape,
                                   std::size_t outputs) {
  const std::size_t blocks_per_group = (spec.depth - 4) / 6;
  std::size_t count = shape.channels * 16 * 9;  // first 3x3 convolution
  std::size_t in = 16;
  for (std::size_t group = 0; group < 3; ++group) {
    const std::size_t out = (std::size_t{16} << group) * spec.widen;
    for (std::size_t block = 0; block < blocks_per_group; ++block) {
      count += 2 * in + in * out * 9 + 2 * out + out * out * 9;
      if (in != out) {
        count += in * out;  // 1x1 projection
      }
      in = out;
    }
  }
  return count + 2 * in + in * outputs + outputs;  // final GroupNorm and linear head
}

std::size_t parse_count(std::string_view text, std::string_view whole) {
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw UsageError(fmt::format(
        "invalid architecture \"{}\": \"{}\" is not a whole number. Expected small-cnn, "
        "resnet1d, resnet1d-<blocks> or wrn-<depth>-<widen>, such as wrn-28-2",
        whole, text));
  }
  return value;
}

}  // namespace

void InputShape::validate() const {
  const std::pair<const char*, std::size_t> dimensions[] = {
      {"channels", channels}, {"height", height}, {"width", width}};
  for (const auto& [name, value] : dimensions) {
    if (value < 1) {
      throw UsageError(fmt::format(
          "invalid input shape: {} is 0, expected at least 1 (ECGs use height 1 and width = "
          "samples per lead)",
          name));
    }
  }
  // Divide instead of multiplying so that huge dimensions cannot overflow.
  if (height > kMaxSize / channels || width > kMaxSize / (channels * height)) {
    throw UsageError(fmt::format(
        "invalid input shape {}x{}x{} (channels x height x width): more than {} values per "
        "record. Check the dimensions, or downsample the inputs",
        channels, height, width, kMaxSize));
  }
}

void ConvSpec::validate() const {
  switch (kind) {
    case Kind::kSmallCnn:
      if (depth != kSmallCnnStages) {
        throw UsageError(fmt::format(
            "invalid depth {} for small-cnn: its layout has exactly {} convolution stages, so "
            "depth must be {}",
            depth, kSmallCnnStages, kSmallCnnStages));
      }
      break;
    case Kind::kResNet1d:
      if (depth < 1 || depth > kMaxResNet1dBlocks) {
        throw UsageError(fmt::format(
            "invalid depth {} for resnet1d: expected a number of residual blocks in [1, {}], "
            "such as 3 (Wang, Yan and Oates 2017)",
            depth, kMaxResNet1dBlocks));
      }
      break;
    case Kind::kWideResNet:
      if (depth < 10 || depth > kMaxWideResNetDepth || (depth - 4) % 6 != 0) {
        throw UsageError(fmt::format(
            "invalid depth {} for a wide ResNet: expected 6n + 4 in [10, {}] (10, 16, 22, 28, "
            "...), such as 16 or 28",
            depth, kMaxWideResNetDepth));
      }
      if (widen < 1 || widen > kMaxWiden) {
        throw UsageError(fmt::format(
            "invalid widen {} for a wide ResNet: expected a channel multiplier in [1, {}], such "
            "as 2 or 4",
            widen, kMaxWiden));
      }
      return;
    default:
      throw UsageError(fmt::format(
          "invalid architecture kind {}: expected small-cnn, resnet1d or wrn",
          static_cast<int>(kind)));
  }
  if (widen != 1) {
    throw UsageError(fmt::format(
        "invalid widen {} for {}: only wide ResNets take a channel multiplier, so widen must "
        "be 1",
        widen, kind_name(kind)));
  }
}

void validate_input_shape(const ConvSpec& spec, const InputShape& shape) {
  spec.validate();
  shape.validate();
  const bool ecg = shape.height == 1;
  switch (spec.kind) {
    case ConvSpec::Kind::kSmallCnn:
      if (shape.width < kSmallCnnMinExtent || (!ecg && shape.height < kSmallCnnMinExtent)) {
        throw UsageError(fmt::format(
            "input shape {}x{}x{} (channels x height x width) is too small for small-cnn: its "
            "two max-poolings by 2 need width >= {}, and height >= {} for images (height > 1)",
            shape.channels, shape.height, shape.width, kSmallCnnMinExtent, kSmallCnnMinExtent));
      }
      break;
    case ConvSpec::Kind::kResNet1d:
      if (!ecg) {
        throw UsageError(fmt::format(
            "resnet1d takes ECGs (input height 1), but the input height is {}. Use small-cnn "
            "or wrn-<depth>-<widen> for images",
            shape.height));
      }
      break;
    case ConvSpec::Kind::kWideResNet:
      if (ecg) {
        throw UsageError(fmt::format(
            "{} takes images, but the input height is 1 (an ECG of {} samples). Use small-cnn "
            "or resnet1d for ECGs",
            to_string(spec), shape.width));
      }
      break;
  }
}

std::size_t group_norm_groups(std::size_t channels) {
  PRIVAUDIT_CHECK(channels >= 1, "GroupNorm over 0 channels");
  for (std::size_t groups = std::min<std::size_t>(32, channels); groups > 1; --groups) {
    if (channels % groups == 0) {
      return groups;
    }
  }
  return 1;
}

std::size_t parameter_count(const ConvSpec& spec, const InputShape& shape, std::size_t outputs) {
  validate_input_shape(spec, shape);
  if (outputs < 1) {
    throw UsageError("invalid output count 0: expected 1 logit for a binary task or one per class");
  }
  switch (spec.kind) {
    case ConvSpec::Kind::kSmallCnn:
      return small_cnn_parameters(shape, outputs);
    case ConvSpec::Kind::kResNet1d:
      return resnet1d_parameters(spec, shape, outputs);
    case ConvSpec::Kind::kWideResNet:
      return wide_resnet_parameters(spec, shape, outputs);
  }
  throw InternalError(
      fmt::format("unknown convolutional architecture {}", static_cast<int>(spec.kind)));
}

std::string to_string(const ConvSpec& spec) {
  switch (spec.kind) {
    case ConvSpec::Kind::kSmallCnn:
      return kind_name(spec.kind);
    case ConvSpec::Kind::kResNet1d:
      return fmt::format("resnet1d-{}", spec.depth);
    case ConvSpec::Kind::kWideResNet:
      return fmt::format("wrn-{}-{}", spec.depth, spec.widen);
  }
  throw InternalError(
      fmt::format("unknown convolutional architecture {}", static_cast<int>(spec.kind)));
}

ConvSpec parse_conv_spec(std::string_view text) {
  // Split on '-' into the name and its numbers.
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dash = text.find('-', start);
    parts.push_back(text.substr(start, dash == std::string_view::npos ? dash : dash - start));
    if (dash == std::string_view::npos) {
      break;
    }
    start = dash + 1;
  }

  ConvSpec spec;
  if (text == "small-cnn") {
    spec = ConvSpec::small_cnn();
  } else if (parts[0] == "resnet1d" && parts.size() <= 2) {
    spec = ConvSpec::resnet1d(parts.size() == 2 ? parse_count(parts[1], text) : 3);
  } else if (parts[0] == "wrn" && parts.size() == 3) {
    spec = ConvSpec::wide_resnet(parse_count(parts[1], text), parse_count(parts[2], text));
  } else {
    throw UsageError(fmt::format(
        "unknown architecture \"{}\": expected small-cnn, resnet1d, resnet1d-<blocks> or "
        "wrn-<depth>-<widen>, such as wrn-28-2",
        text));
  }
  spec.validate();
  return spec;
}

}  // namespace privaudit::deep
