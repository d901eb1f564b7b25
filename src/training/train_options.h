// Training recipe of one model: optimizer, learning-rate schedule, epochs, batch size and class
// weighting.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace privaudit::training {

struct TrainOptions {
  // Upper bounds that catch typos before training allocates buffers or runs for years.
  static constexpr std::size_t kMaxEpochs = 100000;
  static constexpr std::size_t kMaxBatchSize = std::size_t{1} << 20;

  enum class Optimizer {
    kAdam,  // Adam with bias correction (Kingma and Ba 2015), as torch.optim.Adam
    kSgd,   // SGD with heavy-ball momentum, as torch.optim.SGD (no dampening, no Nesterov)
  };
  enum class Schedule {
    kConstant,  // learning_rate after the warm-up
    kCosine,    // cosine decay from learning_rate to 0 over the steps after the warm-up
  };
  enum class ClassWeighting {
    kNone,      // every record weighs 1
    kBalanced,  // a record of class c weighs N / (classes * n_c) over the model's training rows
  };

  Optimizer optimizer = Optimizer::kAdam;
  // Peak learning rate, > 0 and finite.
  double learning_rate = 1e-3;
  // SGD momentum coefficient, in [0, 1). Ignored by Adam.
  double momentum = 0.9;
  // L2 penalty coefficient added to the gradient as weight_decay * parameter before the optimizer
  // step (torch.optim semantics, not decoupled AdamW decay), >= 0. Applies to every parameter,
  // biases and LayerNorm included.
  double weight_decay = 0.0;
  // Passes over the training rows, in [1, kMaxEpochs].
  std::size_t epochs = 20;
  // Records per optimizer step, in [1, kMaxBatchSize]. The last batch of an epoch contains the
  // remainder.
  std::size_t batch_size = 256;
  // Linear warm-up from 0 to learning_rate, in epochs (fractions allowed), in [0, epochs].
  double warmup_epochs = 0.0;
  Schedule schedule = Schedule::kCosine;
  ClassWeighting class_weighting = ClassWeighting::kNone;
  // Adam decay rates of the first and second moment estimates, each in [0, 1).
  double adam_beta1 = 0.9;
  double adam_beta2 = 0.999;
  // Adam term added to the denominator for numerical stability, > 0.
  double adam_eps = 1e-8;

  // Throws UsageError naming the command-line option (--lr, --batch-size, ...) or, for the Adam
  // settings, which have none, the field, with its value, the valid range and a typical value.
  void validate() const;

  // JSON object with one key per field, named as the field, enums as their strings.
  nlohmann::json to_json() const;

  // Reads an object written by to_json(). Missing keys keep their defaults. Throws UsageError for
  // an unknown key (suggesting the nearest valid one), a value of the wrong type or an invalid
  // value.
  static TrainOptions from_json(const nlohmann::json& json);
};

// "adam" or "sgd".
std::string to_string(TrainOptions::Optimizer optimizer);
// "constant" or "cosine".
std::string to_string(TrainOptions::Schedule schedule);
// "none" or "balanced".
std::string to_string(TrainOptions::ClassWeighting weighting);

// Parse the strings above. Each throws UsageError listing the valid values.
TrainOptions::Optimizer parse_optimizer(std::string_view text);
TrainOptions::Schedule parse_schedule(std::string_view text);
TrainOptions::ClassWeighting parse_class_weighting(std::string_view text);

}  // namespace privaudit::training
