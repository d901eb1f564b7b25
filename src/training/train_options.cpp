#include "training/train_options.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/error.h"

namespace privaudit::training {
namespace {

constexpr std::array<TrainOptions::Optimizer, 2> kOptimizers = {TrainOptions::Optimizer::kAdam,
                                                                TrainOptions::Optimizer::kSgd};
constexpr std::array<TrainOptions::Schedule, 2> kSchedules = {TrainOptions::Schedule::kConstant,
                                                              TrainOptions::Schedule::kCosine};
constexpr std::array<TrainOptions::ClassWeighting, 2> kWeightings = {
    TrainOptions::ClassWeighting::kNone, TrainOptions::ClassWeighting::kBalanced};

constexpr std::array<TrainOptions::Privacy, 3> kPrivacies = {
    TrainOptions::Privacy::kOff, TrainOptions::Privacy::kPatient, TrainOptions::Privacy::kRecord};

constexpr std::array<std::string_view, 20> kKeys = {
    "optimizer",       "learning_rate",    "momentum",          "weight_decay",
    "epochs",          "batch_size",       "warmup_epochs",     "schedule",
    "class_weighting", "adam_beta1",       "adam_beta2",        "adam_eps",
    "privacy",         "dp_clip",          "dp_noise",          "dp_sampling_rate",
    "dp_target_epsilon", "dp_delta",        "augment_shift",     "views"};

template <typename Enum, std::size_t N>
Enum parse_enum(std::string_view text, std::string_view option_name,
                const std::array<Enum, N>& values) {
  std::vector<std::string> names;
  for (const Enum value : values) {
    if (text == to_string(value)) {
      return value;
    }
    names.push_back(to_string(value));
  }
  throw UsageError(fmt::format("invalid {} \"{}\": expected one of {}", option_name, text,
                               fmt::join(names, ", ")));
}

// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

void reject_unknown_keys(const nlohmann::json& json) {
  for (const auto& item : json.items()) {
    const std::string& key = item.key();
    if (std::find(kKeys.begin(), kKeys.end(), key) != kKeys.end()) {
      continue;
    }
    const auto nearest = std::min_element(kKeys.begin(), kKeys.end(), [&](auto a, auto b) {
      return edit_distance(key, a) < edit_distance(key, b);
    });
    const std::string hint =
        edit_distance(key, *nearest) <= 3 ? fmt::format(" (did you mean \"{}\"?)", *nearest) : "";
    throw UsageError(fmt::format("unknown training option \"{}\"{}. Valid options: {}", key, hint,
                                 fmt::join(kKeys, ", ")));
  }
}

void read_double(const nlohmann::json& json, const char* key, double& field) {
  const auto it = json.find(key);
  if (it == json.end()) {
    return;
  }
  if (!it->is_number()) {
    throw UsageError(fmt::format("invalid training option \"{}\": expected a number, got {}", key,
                                 it->dump()));
  }
  field = it->get<double>();
}

// A missing key or null leaves the field unset.
void read_optional_double(const nlohmann::json& json, const char* key,
                          std::optional<double>& field) {
  const auto it = json.find(key);
  if (it == json.end() || it->is_null()) {
    return;
  }
  double value = 0.0;
  read_double(json, key, value);
  field = value;
}

// JSON has no infinity, so an unclipped dp_clip is written as the string "inf".
void read_clip(const nlohmann::json& json, double& field) {
  const auto it = json.find("dp_clip");
  if (it != json.end() && it->is_string() && it->get<std::string>() == "inf") {
    field = std::numeric_limits<double>::infinity();
    return;
  }
  read_double(json, "dp_clip", field);
}

nlohmann::json optional_to_json(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

void validate_privacy(const TrainOptions& o) {
  if (!(o.dp_clip > 0.0)) {
    throw UsageError(fmt::format(
        "--dp-clip {} is invalid: expected a clipping norm > 0 (the L2 bound on one unit's "
        "gradient, such as 1.0), or inf for no clipping",
        o.dp_clip));
  }
  if (!(o.dp_noise >= 0.0) || !std::isfinite(o.dp_noise)) {
    throw UsageError(fmt::format(
        "--dp-noise {} is invalid: expected a finite noise multiplier >= 0 (noise SD divided by "
        "--dp-clip, such as 1.0)",
        o.dp_noise));
  }
  if (o.dp_sampling_rate && !(*o.dp_sampling_rate > 0.0 && *o.dp_sampling_rate <= 1.0)) {
    throw UsageError(fmt::format(
        "--dp-sampling-rate {} is invalid: expected a probability in (0, 1], the chance that a "
        "unit enters a step's batch, such as 0.01; leave it out for --batch-size / (training "
        "units)",
        *o.dp_sampling_rate));
  }
  if (o.dp_target_epsilon &&
      (!(*o.dp_target_epsilon > 0.0) || !std::isfinite(*o.dp_target_epsilon))) {
    throw UsageError(fmt::format(
        "--target-epsilon {} is invalid: expected a finite epsilon > 0, such as 8", *o.dp_target_epsilon));
  }
  if (o.dp_delta && !(*o.dp_delta > 0.0 && *o.dp_delta < 1.0)) {
    throw UsageError(fmt::format(
        "--delta {} is invalid: expected a probability in (0, 1), usually below 1 / (number of "
        "patients), such as 1e-5; leave it out for 1 / (pool patients)",
        *o.dp_delta));
  }
  if (o.privacy != TrainOptions::Privacy::kOff &&
      o.class_weighting == TrainOptions::ClassWeighting::kBalanced) {
    throw UsageError(
        "--class-weighting balanced cannot be combined with --dp: the weights come from the "
        "training labels, which DP-SGD would have to account for. Use --class-weighting none");
  }
}

void read_count(const nlohmann::json& json, const char* key, std::size_t& field) {
  const auto it = json.find(key);
  if (it == json.end()) {
    return;
  }
  // Parsed non-negative integers are number_unsigned; integers built in C++ are number_integer.
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0) {
    throw UsageError(fmt::format(
        "invalid training option \"{}\": expected a non-negative integer, got {}", key,
        it->dump()));
  }
  field = it->get<std::size_t>();
}

template <typename Enum>
void read_enum(const nlohmann::json& json, const char* key, Enum& field,
               Enum (*parse)(std::string_view)) {
  const auto it = json.find(key);
  if (it == json.end()) {
    return;
  }
  if (!it->is_string()) {
    throw UsageError(fmt::format("invalid training option \"{}\": expected a string, got {}", key,
                                 it->dump()));
  }
  field = parse(it->get<std::string>());
}

}  // namespace

void TrainOptions::validate() const {
  if (!(learning_rate > 0.0) || !std::isfinite(learning_rate)) {
    throw UsageError(fmt::format(
        "--lr {} is invalid: expected a finite learning rate > 0, such as 0.001", learning_rate));
  }

  if (!(momentum >= 0.0 && momentum < 1.0)) {
    throw UsageError(fmt::format(
        "--momentum {} is invalid: expected a value in [0, 1), such as 0.9 (0 turns momentum off)",
        momentum));
  }

  if (!(weight_decay >= 0.0) || !std::isfinite(weight_decay)) {
    throw UsageError(fmt::format(
        "--weight-decay {} is invalid: expected a finite L2 penalty >= 0, such as 0.0001 (0 turns "
        "it off)",
        weight_decay));
  }

  if (epochs < 1 || epochs > kMaxEpochs) {
    throw UsageError(fmt::format(
        "--epochs {} is invalid: expected an integer in [1, {}], such as 20", epochs, kMaxEpochs));
  }

  if (batch_size < 1 || batch_size > kMaxBatchSize) {
    throw UsageError(fmt::format(
        "--batch-size {} is invalid: expected an integer in [1, {}], such as 256", batch_size,
        kMaxBatchSize));
  }

  if (!(warmup_epochs >= 0.0) || !std::isfinite(warmup_epochs)) {
    throw UsageError(fmt::format(
        "--warmup-epochs {} is invalid: expected a number of epochs in [0, {}] (at most "
        "--epochs), such as 0 for no warm-up",
        warmup_epochs, epochs));
  }

  if (warmup_epochs > static_cast<double>(epochs)) {
    throw UsageError(fmt::format(
        "--warmup-epochs {} is longer than the training of --epochs {}: expected a warm-up in "
        "[0, {}] epochs. Lower --warmup-epochs or raise --epochs",
        warmup_epochs, epochs, epochs));
  }

  // The Adam settings have no command-line option, so they are named by their key in the
  // training options.
  if (!(adam_beta1 >= 0.0 && adam_beta1 < 1.0)) {
    throw UsageError(fmt::format(
        "training option adam_beta1 {} is invalid: expected a value in [0, 1), such as 0.9",
        adam_beta1));
  }

  if (!(adam_beta2 >= 0.0 && adam_beta2 < 1.0)) {
    throw UsageError(fmt::format(
        "training option adam_beta2 {} is invalid: expected a value in [0, 1), such as 0.999",
        adam_beta2));
  }

  if (!(adam_eps > 0.0) || !std::isfinite(adam_eps)) {
    throw UsageError(fmt::format(
        "training option adam_eps {} is invalid: expected a finite number > 0, such as 1e-8",
        adam_eps));
  }

  validate_privacy(*this);

  if (augment_shift > 64) {
    throw UsageError(fmt::format(
        "--augment-shift {} is invalid: expected a shift in pixels in [0, 64], such as 4 (0 turns "
        "augmentation off)",
        augment_shift));
  }
  if (views < 1 || views > 64) {
    throw UsageError(fmt::format(
        "--views {} is invalid: expected augmented views per record in [1, 64], such as 16 (1 "
        "scores the image itself only)",
        views));
  }
}

nlohmann::json TrainOptions::to_json() const {
  return nlohmann::json{
      {"optimizer", to_string(optimizer)},
      {"learning_rate", learning_rate},
      {"momentum", momentum},
      {"weight_decay", weight_decay},
      {"epochs", epochs},
      {"batch_size", batch_size},
      {"warmup_epochs", warmup_epochs},
      {"schedule", to_string(schedule)},
      {"class_weighting", to_string(class_weighting)},
      {"adam_beta1", adam_beta1},
      {"adam_beta2", adam_beta2},
      {"adam_eps", adam_eps},
      {"privacy", to_string(privacy)},
      {"dp_clip", std::isinf(dp_clip) ? nlohmann::json("inf") : nlohmann::json(dp_clip)},
      {"dp_noise", dp_noise},
      {"dp_sampling_rate", optional_to_json(dp_sampling_rate)},
      {"dp_target_epsilon", optional_to_json(dp_target_epsilon)},
      {"dp_delta", optional_to_json(dp_delta)},
      {"augment_shift", augment_shift},
      {"views", views},
  };
}

TrainOptions TrainOptions::from_json(const nlohmann::json& json) {
  if (!json.is_object()) {
    throw UsageError(fmt::format("invalid training options {}: expected a JSON object",
                                 json.dump()));
  }
  reject_unknown_keys(json);

  TrainOptions options;
  read_enum(json, "optimizer", options.optimizer, &parse_optimizer);
  read_double(json, "learning_rate", options.learning_rate);
  read_double(json, "momentum", options.momentum);
  read_double(json, "weight_decay", options.weight_decay);
  read_count(json, "epochs", options.epochs);
  read_count(json, "batch_size", options.batch_size);
  read_double(json, "warmup_epochs", options.warmup_epochs);
  read_enum(json, "schedule", options.schedule, &parse_schedule);
  read_enum(json, "class_weighting", options.class_weighting, &parse_class_weighting);
  read_double(json, "adam_beta1", options.adam_beta1);
  read_double(json, "adam_beta2", options.adam_beta2);
  read_double(json, "adam_eps", options.adam_eps);
  read_enum(json, "privacy", options.privacy, &parse_privacy);
  read_clip(json, options.dp_clip);
  read_double(json, "dp_noise", options.dp_noise);
  read_optional_double(json, "dp_sampling_rate", options.dp_sampling_rate);
  read_optional_double(json, "dp_target_epsilon", options.dp_target_epsilon);
  read_optional_double(json, "dp_delta", options.dp_delta);
  read_count(json, "augment_shift", options.augment_shift);
  read_count(json, "views", options.views);
  options.validate();
  return options;
}

std::string to_string(TrainOptions::Optimizer optimizer) {
  switch (optimizer) {
    case TrainOptions::Optimizer::kAdam:
      return "adam";
    case TrainOptions::Optimizer::kSgd:
      return "sgd";
  }
  throw InternalError(fmt::format("unknown optimizer {}", static_cast<int>(optimizer)));
}

std::string to_string(TrainOptions::Schedule schedule) {
  switch (schedule) {
    case TrainOptions::Schedule::kConstant:
      return "constant";
    case TrainOptions::Schedule::kCosine:
      return "cosine";
  }
  throw InternalError(fmt::format("unknown schedule {}", static_cast<int>(schedule)));
}

std::string to_string(TrainOptions::ClassWeighting weighting) {
  switch (weighting) {
    case TrainOptions::ClassWeighting::kNone:
      return "none";
    case TrainOptions::ClassWeighting::kBalanced:
      return "balanced";
  }
  throw InternalError(fmt::format("unknown class weighting {}", static_cast<int>(weighting)));
}

std::string to_string(TrainOptions::Privacy privacy) {
  switch (privacy) {
    case TrainOptions::Privacy::kOff:
      return "off";
    case TrainOptions::Privacy::kPatient:
      return "patient";
    case TrainOptions::Privacy::kRecord:
      return "record";
  }
  throw InternalError(fmt::format("unknown privacy unit {}", static_cast<int>(privacy)));
}

TrainOptions::Optimizer parse_optimizer(std::string_view text) {
  return parse_enum(text, "optimizer", kOptimizers);
}

TrainOptions::Schedule parse_schedule(std::string_view text) {
  return parse_enum(text, "learning-rate schedule", kSchedules);
}

TrainOptions::ClassWeighting parse_class_weighting(std::string_view text) {
  return parse_enum(text, "class weighting", kWeightings);
}

TrainOptions::Privacy parse_privacy(std::string_view text) {
  return parse_enum(text, "--dp privacy unit", kPrivacies);
}

std::size_t dp_steps_per_epoch(double sampling_rate) {
  const double steps = std::round(1.0 / sampling_rate);
  return steps < 1.0 ? 1 : static_cast<std::size_t>(steps);
}

}  // namespace privaudit::training
