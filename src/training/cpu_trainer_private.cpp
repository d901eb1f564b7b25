// CpuTrainer's DP-SGD path. The clip, sum and noise steps follow Abadi et al. 2016, "Deep Learning
// with Differential Privacy". Poisson sampling follows Mironov, Talwar, Zhang 2019, whose RDP
// bound the privacy module accounts. The noisy sum is divided by the expected batch size, as
// Opacus does, because Poisson sampling makes the realised batch size random.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

#include "core/error.h"
#include "core/random.h"
#include "training/cpu_model.h"
#include "training/cpu_trainer.h"
#include "training/dp_sgd.h"
#include "training/lr_schedule.h"
#include "training/optimizer.h"

namespace privaudit::training {
namespace {

// Training rows grouped by privacy unit: unit u owns rows[start[u]] .. rows[start[u + 1] - 1].
struct TrainingUnits {
  std::vector<std::size_t> start;    // [units + 1]
  std::vector<std::uint32_t> rows;   // [training rows], table row indices
  std::size_t count() const { return start.size() - 1; }
};

// Groups the training rows by patient (unit_of_row) or, for record-level privacy or without
// patient ids, one unit per row. Units are numbered by first appearance in data.rows, so the
// grouping does not depend on the id values.
TrainingUnits group_units(const TrainingSet& data, TrainOptions::Privacy privacy) {
  TrainingUnits units;
  if (privacy == TrainOptions::Privacy::kRecord || data.unit_of_row == nullptr) {
    units.rows.assign(data.rows.begin(), data.rows.end());
    units.start.resize(units.rows.size() + 1);
    for (std::size_t i = 0; i < units.start.size(); ++i) units.start[i] = i;
    return units;
  }
  std::unordered_map<std::int32_t, std::size_t> index;
  std::vector<std::vector<std::uint32_t>> members;
  for (const std::uint32_t row : data.rows) {
    const std::int32_t id = data.unit_of_row[row];
    if (id < 0) {
      throw UsageError(fmt::format(
          "invalid training set: table row {} has patient id {}, expected an id >= 0", row, id));
    }
    const auto [it, added] = index.try_emplace(id, members.size());
    if (added) members.emplace_back();
    members[it->second].push_back(row);
  }
  units.start.push_back(0);
  for (const auto& rows : members) {
    units.rows.insert(units.rows.end(), rows.begin(), rows.end());
    units.start.push_back(units.rows.size());
  }
  return units;
}

}  // namespace

TrainResult CpuTrainer::train_private(const TrainingSet& data, const TrainOptions& options,
                                      std::uint64_t seed, const std::atomic<bool>* stop) {
  if (options.dp_target_epsilon) {
    throw UsageError(fmt::format(
        "--target-epsilon {} reached the trainer uncalibrated: turn it into --dp-noise first "
        "(the train stage does this from the run's steps and delta)",
        *options.dp_target_epsilon));
  }

  if (spec_.kind != models::ModelSpec::Kind::kLogistic &&
      spec_.kind != models::ModelSpec::Kind::kMlp) {
    throw UsageError(fmt::format(
        "DP-SGD supports logistic and mlp models, not {}: choose --model logistic or mlp, or "
        "train the {} without --dp",
        models::to_string(spec_.kind), models::to_string(spec_.kind)));
  }

  // 1. Units, sampling rate, steps, network and optimizer.
  const TrainingUnits units = group_units(data, options.privacy);
  const std::size_t unit_count = units.count();
  const double q = options.dp_sampling_rate.value_or(
      std::min(1.0, static_cast<double>(options.batch_size) / static_cast<double>(unit_count)));
  const std::size_t steps_per_epoch = dp_steps_per_epoch(q);
  const std::size_t total_steps = options.epochs * steps_per_epoch;
  const std::size_t warmup_steps = std::min(
      total_steps, static_cast<std::size_t>(std::llround(
                       options.warmup_epochs * static_cast<double>(steps_per_epoch))));
  const double expected_units = q * static_cast<double>(unit_count);
  // 0 * inf would be NaN: no noise stays no noise with clipping off.
  const double noise_sd = options.dp_noise == 0.0 ? 0.0 : options.dp_noise * options.dp_clip;
  if (std::isinf(options.dp_clip) && options.dp_noise > 0.0) {
    throw UsageError(fmt::format(
        "--dp-clip inf with --dp-noise {} adds infinite noise: give a finite --dp-clip, or "
        "--dp-noise 0 for clipping-free training without a guarantee",
        options.dp_noise));
  }

  const std::size_t outputs = data.classes == 2 ? 1 : data.classes;
  const std::size_t width = data.width;
  models::Network network(spec_, width, outputs, derive_seed(seed, kInitStream, 0));
  const std::unique_ptr<Optimizer> optimizer =
      make_optimizer(options, network.parameters().size());
  Rng sampling_rng(derive_seed(seed, kSamplingStream, 0));
  Rng noise_rng(derive_seed(seed, kNoiseStream, 0));
  std::vector<float> batch_x;
  std::vector<std::int32_t> batch_y;
  std::vector<std::int32_t> batch_unit;
  TrainResult result;
  result.epoch_loss.reserve(options.epochs);

  // 2. Steps of Poisson-sampled units.
  std::size_t step = 0;
  for (std::size_t epoch = 0; epoch < options.epochs; ++epoch) {
    double loss_sum = 0.0;
    std::size_t loss_rows = 0;
    for (std::size_t b = 0; b < steps_per_epoch; ++b) {
      if (stop != nullptr && stop->load(std::memory_order_relaxed)) {
        throw Interrupted(fmt::format(
            "training with seed {} interrupted at epoch {} of {}, step {} of {}", seed,
            epoch + 1, options.epochs, b + 1, steps_per_epoch));
      }

      // Each unit enters the batch independently with probability q.
      batch_x.clear();
      batch_y.clear();
      batch_unit.clear();
      std::int32_t sampled = 0;
      for (std::size_t u = 0; u < unit_count; ++u) {
        if (!(sampling_rng.uniform() < q)) continue;
        for (std::size_t r = units.start[u]; r < units.start[u + 1]; ++r) {
          const std::uint32_t row = units.rows[r];
          const float* features = data.features + static_cast<std::size_t>(row) * width;
          batch_x.insert(batch_x.end(), features, features + width);
          batch_y.push_back(data.labels[row]);
          batch_unit.push_back(sampled);
        }
        ++sampled;
      }

      // Clipped sum plus noise over the expected batch: the optimizer's gradient.
      double batch_loss = 0.0;
      std::vector<float> gradient = clipped_gradient_sum(
          network, batch_x.data(), batch_y.data(), batch_unit.data(), batch_y.size(),
          static_cast<std::size_t>(sampled), options.dp_clip, nullptr, &batch_loss);
      add_gaussian_noise(gradient, noise_sd, noise_rng);
      const auto target = network.gradients();
      const float scale = static_cast<float>(1.0 / expected_units);
      for (std::size_t k = 0; k < gradient.size(); ++k) target[k] = gradient[k] * scale;

      const double lr = scheduled_learning_rate(options.learning_rate, options.schedule, step,
                                                total_steps, warmup_steps);
      optimizer->step(network.parameters(), network.gradients(), lr);
      loss_sum += batch_loss;
      loss_rows += batch_y.size();
      ++step;
    }

    // An epoch in which no unit was sampled (possible at tiny q) has no loss to report.
    const double epoch_loss =
        loss_rows > 0 ? loss_sum / static_cast<double>(loss_rows) : std::nan("");
    if (loss_rows > 0 && !std::isfinite(epoch_loss)) {
      throw InputError(fmt::format(
          "DP-SGD training with seed {} diverged: the mean loss of epoch {} is {}. Lower the "
          "learning rate or check the features for very large values",
          seed, epoch + 1, epoch_loss));
    }
    result.epoch_loss.push_back(epoch_loss);
  }

  // 3. Parameters and final loss.
  check_trained_network(network, data.classes, seed, result);
  result.model = std::make_unique<CpuModel>(std::move(network));
  return result;
}

}  // namespace privaudit::training
