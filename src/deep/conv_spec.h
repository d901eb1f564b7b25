// Convolutional architectures for ECGs and images, described without LibTorch so that callers
// can name, validate and size a network without compiling against torch.
//
// Every architecture normalises with GroupNorm (Wu and He 2018) where the published network uses
// BatchNorm, because batch statistics couple the records of a batch and break per-record
// reasoning about membership. A GroupNorm over c channels uses group_norm_groups(c) groups and
// has the same 2c affine parameters as BatchNorm. Convolutions that feed a GroupNorm have no bias.
//
// Layouts. A record is a flat row of channels * height * width floats, [channels, height, width]
// row-major. Height 1 marks an ECG ([leads, samples]), which the 1-D networks read as
// [channels, width]. Output: one logit for a binary task, one per class otherwise.
//
// kSmallCnn, a quick baseline. Images (height > 1):
//   conv3x3(32)-GN-ReLU-maxpool2, conv3x3(64)-GN-ReLU-maxpool2, global average pool, linear.
//   ECGs (height 1): the same with 1-D kernels of 7 and 1-D max pooling by 2.
//   Padding keeps the length ("same"), so each pooling halves height and width, rounding down.
//
// kResNet1d, ECGs only: the ResNet baseline of Wang, Yan and Oates 2017, "Time series
//   classification from scratch with deep neural networks: a strong baseline" (IJCNN 2017).
//   `depth` residual blocks with 64, 128, 128 channels (blocks past the third keep 128). Each
//   block computes
//     y = ReLU(GN(conv3(ReLU(GN(conv5(ReLU(GN(conv8(x))))))) + shortcut(x))
//   with 1-D "same" convolutions of kernel 8, 5 and 3 (kernel 8 pads 3 left and 4 right, as
//   PyTorch's padding="same" does). The shortcut is a 1x1 convolution followed by GN when the channel
//   count changes and the identity otherwise. Then global average pooling and a linear layer.
//   As in the Keras version of Fawaz et al. 2019 (github.com/hfawaz/dl-4-tsc,
//   classifiers/resnet.py), the input feeds the first block directly, with no stem convolution.
//   NOTE: that version also batch-normalises the identity shortcut of block 3 and gives its
//   convolutions biases; this network does neither.
//
// kWideResNet, images only: WRN-depth-widen of Zagoruyko and Komodakis 2016, "Wide residual
//   networks" (BMVC 2016), with GroupNorm and dropout 0. depth = 6n + 4.
//   conv3x3(16), then three groups of n pre-activation basic blocks with 16*widen, 32*widen and
//   64*widen channels, the first block of groups 2 and 3 with stride 2. A block computes
//     a = ReLU(GN(x)),  y = conv3x3(ReLU(GN(conv3x3_stride(a)))) + shortcut
//   where the shortcut is x when the block keeps the channel count, and otherwise a 1x1
//   convolution with the block's stride applied to a, the pre-activated input (as in the
//   authors' code, github.com/szagoruyko/wide-residual-networks, pytorch/resnet.py). Then
//   GN-ReLU, global average pooling and a linear layer.
//   WRN-28-2 on 3 channels with 10 outputs has 1,467,610 parameters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace privaudit::deep {

// Shape of one record as the network reads it.
struct InputShape {
  // Upper bound on channels * height * width (1 GiB of floats per record), to catch a swapped
  // or mistyped dimension before buffers are allocated.
  static constexpr std::size_t kMaxSize = std::size_t{1} << 28;

  std::size_t channels = 1;  // image channels or ECG leads, >= 1
  std::size_t height = 1;    // image rows, >= 1, and 1 for an ECG
  std::size_t width = 1;     // image columns or ECG samples per lead, >= 1

  // Floats per record: channels * height * width.
  std::size_t size() const { return channels * height * width; }

  // Throws UsageError naming the field for a zero dimension or a size above kMaxSize.
  void validate() const;
};

struct ConvSpec {
  // Upper bounds that catch typos in depth and widen.
  static constexpr std::size_t kMaxResNet1dBlocks = 16;
  static constexpr std::size_t kMaxWideResNetDepth = 100;
  static constexpr std::size_t kMaxWiden = 16;

  enum class Kind {
    kSmallCnn,    // two convolutions, for quick runs on ECGs or images
    kResNet1d,    // Wang, Yan and Oates 2017, ECGs
    kWideResNet,  // Zagoruyko and Komodakis 2016, images
  };

  Kind kind = Kind::kSmallCnn;
  // kSmallCnn: 2, its fixed number of convolution stages. kResNet1d: residual blocks, in
  // [1, kMaxResNet1dBlocks], 3 as published. kWideResNet: convolution and linear layers,
  // 6n + 4 for n >= 1 blocks per group, at most kMaxWideResNetDepth (WRN-16-4: 16, WRN-28-2: 28).
  std::size_t depth = 2;
  // kWideResNet: channel multiplier k, in [1, kMaxWiden] (WRN-16-4: 4). Other kinds: 1.
  std::size_t widen = 1;

  static ConvSpec small_cnn() { return {Kind::kSmallCnn, 2, 1}; }
  static ConvSpec resnet1d(std::size_t blocks = 3) { return {Kind::kResNet1d, blocks, 1}; }
  static ConvSpec wide_resnet(std::size_t depth, std::size_t widen) {
    return {Kind::kWideResNet, depth, widen};
  }

  // Throws UsageError naming the field (depth or widen), its value and the valid range.
  void validate() const;
};

// Throws UsageError when `spec` cannot read records of `shape`: ResNet1d on an image
// (height > 1), WideResNet on an ECG (height 1), or SmallCnn on fewer than 4 rows or columns
// (its two poolings need 4 positions to leave 1). Validates both arguments first.
void validate_input_shape(const ConvSpec& spec, const InputShape& shape);

// GroupNorm groups for `channels` channels: the largest divisor of channels that is at most 32,
// so min(32, channels) whenever that divides channels (16 -> 16, 64 -> 32, 48 -> 24).
std::size_t group_norm_groups(std::size_t channels);

// Trainable parameters (weights, biases, GroupNorm scales and shifts) of the network `spec`
// builds for `shape` with `outputs` logits. Computed from the layouts above without building
// the network. Throws UsageError for an invalid spec, shape or pairing, or outputs == 0.
std::size_t parameter_count(const ConvSpec& spec, const InputShape& shape, std::size_t outputs);

// Names as the command line spells them: "small-cnn", "resnet1d-3" (blocks), "wrn-28-2".
std::string to_string(const ConvSpec& spec);

// Parses the names of to_string, and "resnet1d" for 3 blocks. Throws UsageError listing the
// accepted forms for any other text, and the errors of ConvSpec::validate.
ConvSpec parse_conv_spec(std::string_view text);

}  // namespace privaudit::deep
