#include "cli/command_options.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <optional>

#include "core/error.h"

namespace privaudit::cli {

namespace {

// Rejects anything but a plain unsigned decimal number before CLI11 converts it, because CLI11
// would wrap "-4" around to 18446744073709551612 for an unsigned option.
CLI::Validator whole_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || stop != end) {
          return fmt::format("'{}' is not a whole number from 0 to 18446744073709551615", text);
        }
        return "";
      },
      "", "whole number");
}

// Parses an optional number option: empty text leaves it unset.
std::optional<double> optional_number(const char* option, const std::string& text) {
  if (text.empty()) return std::nullopt;
  const char* end = text.data() + text.size();
  double value = 0.0;
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end) {
    throw UsageError(fmt::format("{} '{}' is invalid: expected a number, such as {}", option, text,
                                 option == std::string("--delta") ? "1e-5" : "0.01"));
  }
  return value;
}

}  // namespace

void CommandOptions::resolve() {
  model.kind = models::parse_kind(model_kind);
  train.optimizer = training::parse_optimizer(optimizer);
  train.schedule = training::parse_schedule(schedule);
  train.class_weighting = training::parse_class_weighting(class_weighting);
  train.privacy = training::parse_privacy(privacy);
  train.dp_sampling_rate = optional_number("--dp-sampling-rate", dp_sampling_rate);
  train.dp_target_epsilon = optional_number("--target-epsilon", target_epsilon);
  train.dp_delta = optional_number("--delta", delta);
  if (train.privacy == training::TrainOptions::Privacy::kOff &&
      (train.dp_sampling_rate || train.dp_target_epsilon || train.dp_delta)) {
    throw UsageError(
        "--dp-sampling-rate, --target-epsilon and --delta apply to DP-SGD only: add --dp patient "
        "(or --dp record), or leave them out");
  }
  media.modality = media::parse_modality(modality);
  media.npy_layout = media::parse_npy_layout(npy_layout);
  media.channels = media::parse_channels(image_channels);
  if (media.modality != media::MediaOptions::Modality::kTable && data.media_column.empty()) {
    data.media_column = "path";
  }
  if (lira_center == "median") {
    analysis.attacks.lira.center = attacks::LiraOptions::Center::kMedian;
  } else if (lira_center == "mean") {
    analysis.attacks.lira.center = attacks::LiraOptions::Center::kMean;
  } else {
    throw UsageError(fmt::format("--lira-center '{}' is invalid: expected median or mean", lira_center));
  }
  if (lira_variance == "per-record") {
    analysis.attacks.lira.variance = attacks::LiraOptions::Variance::kPerRecord;
  } else if (lira_variance == "fixed") {
    analysis.attacks.lira.variance = attacks::LiraOptions::Variance::kFixed;
  } else {
    throw UsageError(fmt::format("--lira-variance '{}' is invalid: expected per-record or fixed",
                                 lira_variance));
  }
}

std::vector<CLI::Option*> add_run_argument(CLI::App& app, CommandOptions& options) {
  return {app.add_option("run", options.run_dir, "Run folder that holds every stage's output")->required()};
}

std::vector<CLI::Option*> add_data_options(CLI::App& app, CommandOptions& options) {
  data::DataOptions& data = options.data;
  const std::string group = "Input table";
  return {
      app.add_option("--input", data.input, "CSV file with one record per row (RFC 4180, UTF-8)")->group(group),
      app.add_option("--label", data.label, "Label column (binary or multiclass)")->group(group),
      app.add_option("--label-map", data.label_map,
                     "VALUE=CLASS entries mapping label values to classes; VALUE * matches every other "
                     "value (e.g. 0=none,*=any)")
          ->delimiter(',')
          ->group(group),
      app.add_option("--multi-label", data.multi_label,
                     "Several 0/1 label columns of a multi-label task, instead of --label (ECG and "
                     "image models)")
          ->delimiter(',')
          ->group(group),
      app.add_option("--patient-id", data.patient_id,
                     "Patient-id column; without it each row is its own patient")
          ->group(group),
      app.add_option("--features", data.features, "Feature columns (default: all columns not otherwise used)")
          ->delimiter(',')
          ->group(group),
      app.add_option("--exclude", data.exclude, "Columns never used as features")->delimiter(',')->group(group),
      app.add_option("--attributes", data.attributes,
                     "Columns kept for group analysis (sex, race, insurance); not features unless also "
                     "listed in --features")
          ->delimiter(',')
          ->group(group),
      app.add_option("--categorical", data.categorical, "Feature columns forced to one-hot encoding")
          ->delimiter(',')
          ->group(group),
      app.add_option("--numeric", data.numeric, "Feature columns forced to numeric encoding")
          ->delimiter(',')
          ->group(group),
      app.add_option("--min-level-count", data.min_level_count,
                     "Records a categorical level needs in the audit pool for its own column; rarer "
                     "levels are pooled")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--max-classes", data.max_classes, "Maximum number of label classes")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
  };
}

std::vector<CLI::Option*> add_plan_options(CLI::App& app, CommandOptions& options) {
  plan::PlanOptions& plan = options.plan;
  const std::string group = "Plan";
  return {
      app.add_option("--models", plan.models,
                     "Models to train, each on a random half of the patients (even, >= 4)")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--test-fraction", plan.test_fraction,
                     "Fraction of patients held out to measure utility, in [0, 0.9]")
          ->capture_default_str()
          ->group(group),
      app.add_option("--seed", plan.seed, "Base seed of every random choice")
          ->check(whole_number())->capture_default_str()->group(group),
  };
}

std::vector<CLI::Option*> add_recipe_options(CLI::App& app, CommandOptions& options) {
  training::TrainOptions& train = options.train;
  const std::string group = "Model and training recipe";
  const std::string dp_group = "Differential privacy (DP-SGD)";
  return {
      app.add_option("--model", options.model_kind, "Architecture: logistic, mlp or resnet")
          ->capture_default_str()
          ->group(group),
      app.add_option("--width", options.model.width, "Hidden units (mlp) or block width (resnet)")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--depth", options.model.depth, "Hidden layers (mlp) or residual blocks (resnet)")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--optimizer", options.optimizer, "adam or sgd (with momentum)")
          ->capture_default_str()
          ->group(group),
      app.add_option("--lr", train.learning_rate, "Peak learning rate")->capture_default_str()->group(group),
      app.add_option("--momentum", train.momentum, "SGD momentum")->capture_default_str()->group(group),
      app.add_option("--weight-decay", train.weight_decay, "L2 penalty added to the gradient")
          ->capture_default_str()
          ->group(group),
      app.add_option("--epochs", train.epochs, "Passes over each model's training half")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--batch-size", train.batch_size, "Records per minibatch")
          ->check(whole_number())->capture_default_str()->group(group),
      app.add_option("--warmup-epochs", train.warmup_epochs, "Epochs of linear learning-rate warm-up")
          ->capture_default_str()
          ->group(group),
      app.add_option("--schedule", options.schedule, "Learning-rate schedule after warm-up: cosine or constant")
          ->capture_default_str()
          ->group(group),
      app.add_option("--class-weighting", options.class_weighting,
                     "none, or balanced (weight each class by N / (classes * n_class))")
          ->capture_default_str()
          ->group(group),
      app.add_option("--augment-shift", train.augment_shift,
                     "Images: random flip and shift of up to this many pixels during training "
                     "(0: off)")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--views", train.views,
                     "Images: augmented views averaged into each record's signal")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--dp", options.privacy,
                     "DP-SGD privacy unit: off, patient (all of a patient's records) or record")
          ->capture_default_str()
          ->group(dp_group),
      app.add_option("--dp-clip", train.dp_clip, "L2 bound C on one unit's gradient (inf: no clipping)")
          ->capture_default_str()
          ->group(dp_group),
      app.add_option("--dp-noise", train.dp_noise,
                     "Noise multiplier sigma: noise SD = sigma * C (ignored with --target-epsilon)")
          ->capture_default_str()
          ->group(dp_group),
      app.add_option("--dp-sampling-rate", options.dp_sampling_rate,
                     "Poisson sampling rate q in (0, 1] (default: batch size / training units)")
          ->group(dp_group),
      app.add_option("--target-epsilon", options.target_epsilon,
                     "Calibrate sigma to reach this epsilon over the whole training run")
          ->group(dp_group),
      app.add_option("--delta", options.delta,
                     "delta of the (epsilon, delta) guarantee (default: 1 / pool patients)")
          ->group(dp_group),
  };
}

std::vector<CLI::Option*> add_execution_options(CLI::App& app, CommandOptions& options) {
  return {app.add_option("--device", options.execution.device,
                         "cpu, or cuda / cuda:N for ECG and image models when LibTorch has CUDA")
              ->capture_default_str()
              ->group("Execution"),
          app.add_option("--threads", options.execution.threads,
                         "Models trained at once, one per thread (0: one per hardware thread)")
          ->check(whole_number())
              ->capture_default_str()
              ->group("Execution")};
}

std::vector<CLI::Option*> add_analysis_options(CLI::App& app, CommandOptions& options) {
  run::AnalysisOptions& analysis = options.analysis;
  const std::string group = "Analysis";
  return {
      app.add_option("--targets", analysis.attacks.targets,
                     "Target models of the aggregate attacks; the other models are references")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--lira-center", options.lira_center, "LiRA center of the IN and OUT signals: median or mean")
          ->capture_default_str()
          ->group(group),
      app.add_option("--lira-variance", options.lira_variance,
                     "LiRA variance: per-record, or fixed (one global SD; better with few references)")
          ->capture_default_str()
          ->group(group),
      app.add_option("--rmia-gamma", analysis.attacks.rmia.gamma, "RMIA likelihood-ratio threshold gamma (>= 1)")
          ->capture_default_str()
          ->group(group),
      app.add_option("--rmia-population", analysis.attacks.rmia.population,
                     "Population records z sampled from the pool for RMIA")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--tail-thresholds", analysis.tail_thresholds,
                     "AUC thresholds for the tail counts (in-sample and confirmed)")
          ->delimiter(',')
          ->capture_default_str()
          ->group(group),
      app.add_option("--near-certain-auc", analysis.near_certain_auc,
                     "Patient AUC called near-certain in the summary (one of --tail-thresholds)")
          ->capture_default_str()
          ->group(group),
      app.add_option("--top-fraction", analysis.groups.top_fraction,
                     "Fraction of records (and patients) with the highest AUC compared across groups")
          ->capture_default_str()
          ->group(group),
      app.add_option("--min-group-patients", analysis.groups.suppression.min_group_patients,
                     "Groups with fewer patients are suppressed in every output (small-cell rule, >= 5)")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--numeric-bins", analysis.groups.grouping.numeric_bins,
                     "Quantile groups for a numeric attribute such as age")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--bootstrap", analysis.groups.bootstrap_replicates,
                     "Bootstrap replicates (resampling patients) of the per-group confidence intervals")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--exposed-patients", analysis.exposed_patients,
                     "Most exposed patients listed in summary.json and the report")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--pseudonymize-ids", analysis.pseudonymize_key_file,
                     "KEYFILE: show patient ids in summary.json and the report as keyed hashes (HMAC-SHA256)")
          ->group(group),
      app.add_flag("--gallery", analysis.gallery,
                   "ECG and image audits: add the preprocessed images or traces of the most exposed "
                   "patients to summary.json and the report (off by default: they are patient data)")
          ->group(group),
      app.add_option("--fpr-grid-min", analysis.attacks.fpr_grid_min,
                     "Smallest FPR of the log-spaced grid of roc.csv")
          ->capture_default_str()
          ->group(group),
  };
}

}  // namespace privaudit::cli

namespace privaudit::cli {

std::vector<CLI::Option*> add_media_options(CLI::App& app, CommandOptions& options) {
  media::MediaOptions& media = options.media;
  const std::string group = "ECG and image manifests";
  return {
      app.add_option("--modality", options.modality,
                     "table (a feature CSV), or ecg or image (a manifest CSV with one file per row)")
          ->capture_default_str()
          ->group(group),
      app.add_option("--path-column", options.data.media_column,
                     "Manifest column with each record's file (default with ecg or image: path)")
          ->group(group),
      app.add_option("--data-root", media.data_root,
                     "Folder the manifest paths are relative to; paths escaping it are rejected "
                     "(default: the manifest's folder)")
          ->group(group),
      app.add_option("--ecg-rate", media.ecg_rate_hz, "Sampling rate every ECG is resampled to, Hz")
          ->capture_default_str()
          ->group(group),
      app.add_option("--ecg-samples", media.ecg_samples,
                     "Samples per lead after resampling; longer ECGs are cut, shorter ones rejected")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--ecg-npy-layout", options.npy_layout,
                     "Axis order of .npy ECGs: samples-leads or leads-samples")
          ->capture_default_str()
          ->group(group),
      app.add_option("--ecg-npy-rate", media.npy_rate_hz, "Sampling rate of .npy ECGs, Hz")
          ->group(group),
      app.add_option("--image-size", media.image_size, "Side of the square every image is resized to")
          ->check(whole_number())
          ->capture_default_str()
          ->group(group),
      app.add_option("--image-channels", options.image_channels, "auto, gray or rgb")
          ->capture_default_str()
          ->group(group),
  };
}

std::vector<CLI::Option*> add_sweep_options(CLI::App& app, CommandOptions& options) {
  const std::string group = "Sweep";
  return {
      app.add_option("--capacities", options.capacities,
                     "Models to compare: logistic, mlp:WIDTH[xDEPTH], resnet:WIDTH[xBLOCKS] "
                     "(default: logistic,mlp:16,mlp:64,mlp:256,mlp:1024,resnet:128x2)")
          ->delimiter(',')
          ->group(group),
      app.add_option("--epsilons", options.epsilons,
                     "DP-SGD target epsilons of the --model recipe, inf for no DP-SGD, such as "
                     "1,10,100,1000,inf")
          ->delimiter(',')
          ->group(group),
  };
}

std::vector<double> parse_epsilons(const std::vector<std::string>& texts) {
  std::vector<double> values;
  for (const std::string& text : texts) {
    double value = 0.0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end) {
      throw UsageError(fmt::format(
          "--epsilons entry '{}' is invalid: expected a number > 0 or inf, such as "
          "1,10,100,1000,inf",
          text));
    }
    values.push_back(value);
  }
  return values;
}

}  // namespace privaudit::cli
