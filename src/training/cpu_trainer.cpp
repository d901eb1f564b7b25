#include "training/cpu_trainer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.h"
#include "models/network.h"
#include "core/random.h"
#include "training/cpu_model.h"
#include "training/lr_schedule.h"
#include "training/optimizer.h"

namespace privaudit::training {

void validate_training_set(const TrainingSet& data) {
  if (data.features == nullptr || data.labels == nullptr) {
    throw UsageError("invalid training set: features and labels must not be null");
  }
  if (data.width < 1) {
    throw UsageError("invalid training set width 0: expected at least one feature per record");
  }
  if (data.classes < (data.targets != nullptr ? 1u : 2u)) {
    throw UsageError(fmt::format(
        "invalid training set with {} classes: expected at least 2 (1 label for a multi-label "
        "task)",
        data.classes));
  }
  if (data.rows.empty()) {
    throw UsageError("invalid training set: no rows selected. Select at least one row per model");
  }
  for (const std::uint32_t row : data.rows) {
    if (row >= data.table_rows) {
      throw UsageError(fmt::format(
          "invalid training row {}: the table has {} rows (expected row < table_rows)", row,
          data.table_rows));
    }
    const float* features = data.features + static_cast<std::size_t>(row) * data.width;
    for (std::size_t j = 0; j < data.width; ++j) {
      if (!std::isfinite(features[j])) {
        throw InputError(fmt::format(
            "invalid feature value {} in table row {}, column {}: expected a finite number. "
            "Impute or drop missing values before training",
            features[j], row, j));
      }
    }
    if (data.targets != nullptr) {
      const float* targets = data.targets + static_cast<std::size_t>(row) * data.classes;
      for (std::size_t c = 0; c < data.classes; ++c) {
        if (targets[c] != 0.0f && targets[c] != 1.0f) {
          throw InputError(fmt::format(
              "invalid multi-label target {} in table row {}, label {}: expected 0 or 1",
              targets[c], row, c));
        }
      }
      continue;
    }
    const std::int32_t label = data.labels[row];
    if (label < 0 || static_cast<std::size_t>(label) >= data.classes) {
      throw InputError(fmt::format(
          "invalid label {} in table row {}: expected a class index in [0, {}]", label, row,
          data.classes - 1));
    }
  }
}

std::vector<float> balanced_class_weights(const TrainingSet& data) {
  std::vector<std::size_t> counts(data.classes, 0);
  for (const std::uint32_t row : data.rows) {
    ++counts[static_cast<std::size_t>(data.labels[row])];
  }
  std::vector<float> weights(data.classes, 0.0f);
  const double n = static_cast<double>(data.rows.size());
  for (std::size_t c = 0; c < data.classes; ++c) {
    if (counts[c] > 0) {
      weights[c] = static_cast<float>(
          n / (static_cast<double>(data.classes) * static_cast<double>(counts[c])));
    }
  }
  return weights;
}

CpuTrainer::CpuTrainer(const models::ModelSpec& spec) : spec_(spec) { spec_.validate(); }

TrainResult CpuTrainer::train(const TrainingSet& data, const TrainOptions& options,
                              std::uint64_t seed, const std::atomic<bool>* stop) {
  options.validate();
  validate_training_set(data);
  if (data.targets != nullptr) {
    throw UsageError(
        "multi-label tasks train convolutional models only (--model cnn, resnet1d or wrn); the "
        "tabular models take one --label column");
  }
  if (options.privacy != TrainOptions::Privacy::kOff) {
    return train_private(data, options, seed, stop);
  }
  return train_plain(data, options, seed, stop);
}

void check_trained_network(const models::Network& network, std::size_t classes,
                           std::uint64_t seed, TrainResult& result) {
  // A NaN that ReLU or the loss did not surface still shows in the parameters.
  for (const float p : network.parameters()) {
    if (!std::isfinite(p)) {
      throw InputError(fmt::format(
          "training with seed {} diverged: a parameter is {} after the last epoch. Lower the "
          "learning rate",
          seed, p));
    }
  }

  // A finite loss far above chance level means the model learned nothing usable.
  const double chance_loss = std::log(static_cast<double>(classes));
  const double final_loss = result.epoch_loss.back();
  if (final_loss > kDivergedLossFactor * chance_loss) {
    result.warnings.push_back(fmt::format(
        "training with seed {} diverged: final epoch loss {:.3g} is far above chance level "
        "{:.2f} (the loss of predicting all {} classes as equally likely). Lower --lr",
        seed, final_loss, chance_loss, classes));
  }
}

TrainResult CpuTrainer::train_plain(const TrainingSet& data, const TrainOptions& options,
                                    std::uint64_t seed, const std::atomic<bool>* stop) {
  // 1. Build the network, optimizer and class weights.
  const std::size_t outputs = data.classes == 2 ? 1 : data.classes;
  const std::size_t width = data.width;
  models::Network network(spec_, width, outputs, derive_seed(seed, kInitStream, 0));
  const std::unique_ptr<Optimizer> optimizer =
      make_optimizer(options, network.parameters().size());
  const bool weighted = options.class_weighting == TrainOptions::ClassWeighting::kBalanced;
  const std::vector<float> class_weight =
      weighted ? balanced_class_weights(data) : std::vector<float>{};

  // 2. Allocate everything the batch loop needs.
  const std::size_t n = data.rows.size();
  const std::size_t batch_size = std::min(options.batch_size, n);
  const std::size_t steps_per_epoch = (n + batch_size - 1) / batch_size;
  const std::size_t total_steps = options.epochs * steps_per_epoch;
  const std::size_t warmup_steps = std::min(
      total_steps, static_cast<std::size_t>(std::llround(
                       options.warmup_epochs * static_cast<double>(steps_per_epoch))));
  std::vector<std::uint32_t> order(data.rows.begin(), data.rows.end());
  std::vector<float> batch_x(batch_size * width);
  std::vector<std::int32_t> batch_y(batch_size);
  std::vector<float> batch_w(weighted ? batch_size : 0);
  network.reserve(batch_size);
  TrainResult result;
  result.epoch_loss.reserve(options.epochs);
  Rng shuffle_rng(derive_seed(seed, kShuffleStream, 0));

  // 3. Epochs of shuffled minibatches.
  std::size_t step = 0;
  for (std::size_t epoch = 0; epoch < options.epochs; ++epoch) {
    // Fisher-Yates shuffle of the previous epoch's order.
    for (std::size_t i = n - 1; i > 0; --i) {
      std::swap(order[i], order[shuffle_rng.below(i + 1)]);
    }

    double loss_sum = 0.0;
    double weight_sum = 0.0;
    for (std::size_t b = 0; b < steps_per_epoch; ++b) {
      if (stop != nullptr && stop->load(std::memory_order_relaxed)) {
        throw Interrupted(fmt::format(
            "training with seed {} interrupted at epoch {} of {}, batch {} of {}", seed,
            epoch + 1, options.epochs, b + 1, steps_per_epoch));
      }

      // Gather the batch's records into contiguous buffers.
      const std::size_t start = b * batch_size;
      const std::size_t rows = std::min(batch_size, n - start);
      double batch_weight = 0.0;
      for (std::size_t i = 0; i < rows; ++i) {
        const std::uint32_t row = order[start + i];
        std::copy_n(data.features + static_cast<std::size_t>(row) * width, width,
                    batch_x.data() + i * width);
        batch_y[i] = data.labels[row];
        if (weighted) {
          batch_w[i] = class_weight[static_cast<std::size_t>(batch_y[i])];
          batch_weight += batch_w[i];
        }
      }
      if (!weighted) {
        batch_weight = static_cast<double>(rows);
      }

      const double loss = network.forward_backward(
          batch_x.data(), batch_y.data(), weighted ? batch_w.data() : nullptr, rows);
      const double lr = scheduled_learning_rate(options.learning_rate, options.schedule, step,
                                                total_steps, warmup_steps);
      optimizer->step(network.parameters(), network.gradients(), lr);
      loss_sum += loss * batch_weight;
      weight_sum += batch_weight;
      ++step;
    }

    const double epoch_loss = loss_sum / weight_sum;
    if (!std::isfinite(epoch_loss)) {
      throw InputError(fmt::format(
          "training with seed {} diverged: the mean loss of epoch {} is {}. Lower the learning "
          "rate or check the features for very large values",
          seed, epoch + 1, epoch_loss));
    }
    result.epoch_loss.push_back(epoch_loss);
  }

  // 4. Parameters and final loss.
  check_trained_network(network, data.classes, seed, result);
  result.model = std::make_unique<CpuModel>(std::move(network));
  return result;
}

}  // namespace privaudit::training
