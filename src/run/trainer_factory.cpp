#include "run/trainer_factory.h"

#include <fmt/format.h>

#include "core/error.h"
#include "deep/conv_spec.h"
#include "deep/torch_trainer.h"
#include "training/cpu_trainer.h"

namespace privaudit::run {
namespace {

deep::ConvSpec conv_spec(const models::ModelSpec& model) {
  switch (model.kind) {
    case models::ModelSpec::Kind::kCnn:
      return deep::ConvSpec::small_cnn();
    case models::ModelSpec::Kind::kResNet1d:
      return deep::ConvSpec::resnet1d(model.depth);
    case models::ModelSpec::Kind::kWideResNet:
      return deep::ConvSpec::wide_resnet(model.depth, model.width);
    default:
      break;
  }
  throw InternalError(fmt::format("model {} is not convolutional", models::to_string(model.kind)));
}

deep::InputShape input_shape(const RunContext& context, const models::ModelSpec& model) {
  if (context.media.modality == media::MediaOptions::Modality::kTable) {
    throw UsageError(fmt::format(
        "--model {} is a convolutional network for ECGs and images, but this run audits a "
        "feature table: use --model logistic, mlp or resnet, or plan an ECG or image manifest "
        "with --modality",
        models::to_string(model.kind)));
  }
  return {context.media_shape[0], context.media_shape[1], context.media_shape[2]};
}

}  // namespace

bool is_image_run(const RunContext& context) {
  return context.media.modality == media::MediaOptions::Modality::kImage;
}

std::unique_ptr<training::Trainer> make_trainer(const Recipe& recipe, const RunContext& context,
                                                const ExecutionOptions& execution) {
  if (!models::is_convolutional(recipe.model.kind)) {
    return std::make_unique<training::CpuTrainer>(recipe.model);
  }
  const deep::ConvSpec spec = conv_spec(recipe.model);
  const deep::InputShape shape = input_shape(context, recipe.model);
  deep::validate_input_shape(spec, shape);
  deep::TorchOptions options;
  options.device = execution.device;
  options.augment_max_shift = is_image_run(context) ? recipe.train.augment_shift : 0;
  return std::make_unique<deep::TorchTrainer>(spec, shape, options);
}

std::size_t recipe_parameters(const Recipe& recipe, const RunContext& context, std::size_t width,
                              std::size_t outputs) {
  if (!models::is_convolutional(recipe.model.kind)) {
    return models::parameter_count(recipe.model, width, outputs);
  }
  return deep::parameter_count(conv_spec(recipe.model), input_shape(context, recipe.model),
                               outputs);
}

}  // namespace privaudit::run
