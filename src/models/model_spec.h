// Architecture of a tabular network: which kind, how wide and how deep.
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
  };

  Kind kind = Kind::kMlp;
  // Hidden units per layer (MLP) or block width (ResNet), in [1, kMaxWidth].
  std::size_t width = 128;
  // Hidden layers (MLP) or residual blocks (ResNet), in [1, kMaxDepth].
  std::size_t depth = 1;

  // Upper limits that catch typos (an extra zero) before they allocate gigabytes: a ResNet of
  // width 65536 holds 8.6e9 floats per block.
  static constexpr std::size_t kMaxWidth = 65536;
  static constexpr std::size_t kMaxDepth = 256;

  // Throws UsageError naming the field, its value and the valid range.
  void validate() const;
};

// "logistic", "mlp" or "resnet".
std::string to_string(ModelSpec::Kind kind);

// Parses "logistic", "mlp" or "resnet". Throws UsageError listing the valid values otherwise.
ModelSpec::Kind parse_kind(std::string_view text);

// Number of trainable floats in the network built from `spec` for `inputs` features and
// `outputs` logits (1 for a binary task). Equals Network::parameters().size().
std::size_t parameter_count(const ModelSpec& spec, std::size_t inputs, std::size_t outputs);

}  // namespace privaudit::models
