#include "models/model_spec.h"

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::models {

void ModelSpec::validate() const {
  if (kind == Kind::kLogistic) {
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
  }
  throw InternalError(fmt::format("unknown ModelSpec::Kind {}", static_cast<int>(kind)));
}

ModelSpec::Kind parse_kind(std::string_view text) {
  for (const auto kind :
       {ModelSpec::Kind::kLogistic, ModelSpec::Kind::kMlp, ModelSpec::Kind::kResNet}) {
    if (text == to_string(kind)) {
      return kind;
    }
  }
  throw UsageError(fmt::format(
      "invalid model kind \"{}\": expected one of logistic, mlp, resnet", text));
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
  }
  throw InternalError(fmt::format("unknown ModelSpec::Kind {}", static_cast<int>(spec.kind)));
}

}  // namespace privaudit::models
