#include "models/model_spec.h"

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::models {

void ModelSpec::validate() const {
  if (kind == Kind::kLogistic || kind == Kind::kCnn) {
    return;
  }
  if (width < 1 || width > kMaxWidth) {
    throw UsageError(fmt::format("invalid model width {}: expected an integer in [1, {}]", width,
                                 kMaxWidth));
  }
  if (depth < 1 || depth > kMaxDepth) {
    throw UsageError(fmt::format(
        "invalid model depth {}: expected an integer in [1, {}] (hidden layers of an MLP, "
        "residual blocks of a ResNet)",
        depth, kMaxDepth));
  }
}

std::string to_string(ModelSpec::Kind kind) {
  switch (kind) {
    case ModelSpec::Kind::kLogistic:
      return "logistic";
    case ModelSpec::Kind::kMlp:
      return "mlp";
    case ModelSpec::Kind::kResNet:
      return "resnet";
    case ModelSpec::Kind::kCnn:
      return "cnn";
    case ModelSpec::Kind::kResNet1d:
      return "resnet1d";
    case ModelSpec::Kind::kWideResNet:
      return "wrn";
  }
  throw InternalError(fmt::format("unknown ModelSpec::Kind {}", static_cast<int>(kind)));
}

bool is_convolutional(ModelSpec::Kind kind) {
  return kind == ModelSpec::Kind::kCnn || kind == ModelSpec::Kind::kResNet1d ||
         kind == ModelSpec::Kind::kWideResNet;
}

ModelSpec::Kind parse_kind(std::string_view text) {
  for (const auto kind :
       {ModelSpec::Kind::kLogistic, ModelSpec::Kind::kMlp, ModelSpec::Kind::kResNet,
        ModelSpec::Kind::kCnn, ModelSpec::Kind::kResNet1d, ModelSpec::Kind::kWideResNet}) {
    if (text == to_string(kind)) {
      return kind;
    }
  }
  throw UsageError(fmt::format(
      "invalid model kind \"{}\": expected one of logistic, mlp, resnet (tables), cnn, resnet1d "
      "(ECGs) or wrn (images)",
      text));
}

std::size_t parameter_count(const ModelSpec& spec, std::size_t inputs, std::size_t outputs) {
  spec.validate();
  const auto dense = [](std::size_t in, std::size_t out) { return in * out + out; };
  const auto layer_norm = [](std::size_t dim) { return 2 * dim; };
  const std::size_t w = spec.width;
  switch (spec.kind) {
    case ModelSpec::Kind::kLogistic:
      return dense(inputs, outputs);
    case ModelSpec::Kind::kMlp:
      return dense(inputs, w) + (spec.depth - 1) * dense(w, w) + dense(w, outputs);
    case ModelSpec::Kind::kResNet:
      return dense(inputs, w) + spec.depth * (layer_norm(w) + 2 * dense(w, w)) + layer_norm(w) +
             dense(w, outputs);
    case ModelSpec::Kind::kCnn:
    case ModelSpec::Kind::kResNet1d:
    case ModelSpec::Kind::kWideResNet:
      break;
  }
  throw InternalError(fmt::format("unknown ModelSpec::Kind {}", static_cast<int>(spec.kind)));
}

}  // namespace privaudit::models
