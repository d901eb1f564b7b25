// Training recipe of one model: optimizer, learning-rate schedule, epochs, batch size, class
// weighting and, optionally, differentially private training (DP-SGD).
#pragma once

#include <cstddef>
#include <optional>
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
  enum class Privacy {
    kOff,      // ordinary minibatch training
    kPatient,  // DP-SGD with one patient (all of a patient's records) as the privacy unit
    kRecord,   // DP-SGD with one record as the privacy unit
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

  // DP-SGD (Abadi et al. 2016), used when privacy is not kOff. Each step Poisson-samples units
  // with rate dp_sampling_rate, clips each sampled unit's summed gradient to L2 norm dp_clip, adds
  // N(0, (dp_noise * dp_clip)^2) noise to the sum and divides by the expected units per step. An
  // epoch is round(1 / dp_sampling_rate) steps, so `epochs` keeps its meaning of passes over the
  // data; batch_size only sets the default sampling rate.
  Privacy privacy = Privacy::kOff;
  // --dp-clip: C, the L2 bound on one unit's gradient. > 0; +infinity turns clipping off.
  double dp_clip = 1.0;
  // --dp-noise: sigma, the noise SD divided by dp_clip. Finite, >= 0 (0 gives no guarantee).
  // Replaced by calibration when dp_target_epsilon is set.
  double dp_noise = 1.0;
  // --dp-sampling-rate: q in (0, 1]. Unset: batch_size / (expected training units of a model).
  std::optional<double> dp_sampling_rate;
  // --target-epsilon: when set, dp_noise becomes the smallest sigma whose accounted epsilon over
  // the whole run is at most this value. Finite, > 0.
  std::optional<double> dp_target_epsilon;
  // --delta: delta of the (epsilon, delta) guarantee, in (0, 1). Unset: 1 / (patients in the
  // audit pool), or 1 / (pool records) with record-level privacy.
  std::optional<double> dp_delta;

  // Images only (ignored for tables and ECGs). --augment-shift: training-time augmentation by a
  // random horizontal flip and a shift of up to this many pixels (reflect padding, then crop);
  // 0 turns it off. In [0, 64].
  std::size_t augment_shift = 4;
  // --views: augmented views (view 0 the image itself, the others a fixed random flip and shift
  // per record) whose signals are averaged into each record's signal. In [1, 64].
  std::size_t views = 16;

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
// "off", "patient" or "record".
std::string to_string(TrainOptions::Privacy privacy);

// Parse the strings above. Each throws UsageError listing the valid values.
TrainOptions::Optimizer parse_optimizer(std::string_view text);
TrainOptions::Schedule parse_schedule(std::string_view text);
TrainOptions::ClassWeighting parse_class_weighting(std::string_view text);
TrainOptions::Privacy parse_privacy(std::string_view text);

// Optimizer steps of one DP-SGD epoch at sampling rate q: round(1 / q), at least 1.
std::size_t dp_steps_per_epoch(double sampling_rate);

}  // namespace privaudit::training
