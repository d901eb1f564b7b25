// Architecture of a network: which kind, how wide and how deep. Logistic, MLP and ResNet are the
// tabular networks of this module. cnn, resnet1d and wrn are convolutional networks for ECGs and
// images, which the deep module builds and trains with LibTorch.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace privaudit::models {

struct ModelSpec {
  enum class Kind {
    kLogistic,  // Dense(inputs, outputs): multinomial logistic regression. Ignores width, depth.
    kMlp,       // [Dense, ReLU] x depth, then Dense(width, outputs).
    kResNet,    // Gorishniy et al. (2021) tabular ResNet with LayerNorm; see network.h.
    kCnn,       // small CNN for quick ECG or image runs (deep/); ignores width and depth
    kResNet1d,  // 1-D ResNet for ECGs (deep/); depth = residual blocks
    kWideResNet,  // Wide ResNet with GroupNorm for images (deep/); depth 6n + 4, width = widen
  };

  Kind kind = Kind::kMlp;
  // Hidden units per layer (MLP), block width (ResNet) or widening factor (wrn), in
  // [1, kMaxWidth].
  std::size_t width = 128;
  // Hidden layers (MLP), residual blocks (ResNet, resnet1d) or layers (wrn), in [1, kMaxDepth].
  std::size_t depth = 1;

  // Upper limits that catch typos (an extra zero) before they allocate gigabytes: a ResNet of
  // width 65536 holds 8.6e9 floats per block.
  static constexpr std::size_t kMaxWidth = 65536;
  static constexpr std::size_t kMaxDepth = 256;

  // Throws UsageError naming the field, its value and the valid range.
  void validate() const;
};

// "logistic", "mlp", "resnet", "cnn", "resnet1d" or "wrn".
std::string to_string(ModelSpec::Kind kind);

// Parses the names above. Throws UsageError listing the valid values otherwise.
ModelSpec::Kind parse_kind(std::string_view text);

// True for the convolutional kinds, which need an ECG or image input and the deep module.
bool is_convolutional(ModelSpec::Kind kind);

// Number of trainable floats in the tabular network built from `spec` for `inputs` features and
// `outputs` logits (1 for a binary task). Equals Network::parameters().size(). Throws
// InternalError for a convolutional kind, whose count the deep module gives.
std::size_t parameter_count(const ModelSpec& spec, std::size_t inputs, std::size_t outputs);

}  // namespace privaudit::models
