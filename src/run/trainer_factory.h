// Picks the training back end of a recipe: the OpenBLAS CpuTrainer for tabular networks, the
// LibTorch TorchTrainer for convolutional networks on ECG and image inputs.
#pragma once

#include <cstddef>
#include <memory>

#include "run/run_context.h"
#include "run/train_stage.h"
#include "training/trainer.h"

namespace privaudit::run {

// Returns the trainer of `recipe` for the inputs of `context`. Throws UsageError for a
// convolutional model on a table audit, a resnet1d on images, a wrn on ECGs, or a CUDA device
// that the linked LibTorch cannot use.
std::unique_ptr<training::Trainer> make_trainer(const Recipe& recipe, const RunContext& context,
                                                const ExecutionOptions& execution);

// Trainable parameters of one model of `recipe` on inputs of `width` values per record with
// `outputs` logits.
std::size_t recipe_parameters(const Recipe& recipe, const RunContext& context, std::size_t width,
                              std::size_t outputs);

// True when the run's records are images (views and augmentation apply).
bool is_image_run(const RunContext& context);

}  // namespace privaudit::run
