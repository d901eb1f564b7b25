#include "attacks/evaluation.h"

#include <algorithm>
#include <array>
#include <numeric>

#include <fmt/format.h>

#include "core/error.h"
#include "stats/descriptive.h"
#include "stats/roc.h"

namespace privaudit::attacks {
namespace {

// The two FPR levels reported per target: 0.1% and 1% of the non-members flagged.
constexpr double kLowFpr = 1e-3;
constexpr double kModerateFpr = 1e-2;

enum Attack : std::size_t { kLiraOnline, kLiraOffline, kRmiaOnline, kRmiaOffline, kLoss, kCount };

constexpr std::array<const char*, kCount> kAttackNames = {"lira_online", "lira_offline",
                                                         "rmia_online", "rmia_offline", "loss"};

// Per-target results of one attack; grid_tpr is [targets, grid points] row-major.
struct TargetResults {
  std::vector<double> auc;
  std::vector<double> tpr_low;
  std::vector<double> tpr_moderate;
  std::vector<double> grid_tpr;
};

void record_target(std::span<const double> scores, std::span<const std::uint8_t> labels,
                   std::span<const double> grid, std::size_t target, TargetResults& results) {
  const stats::RocCurve curve = stats::roc_curve(scores, labels);
  results.auc[target] = stats::roc_auc(curve);
  results.tpr_low[target] = stats::tpr_at_fpr(curve, kLowFpr);
  results.tpr_moderate[target] = stats::tpr_at_fpr(curve, kModerateFpr);
  for (std::size_t g = 0; g < grid.size(); ++g) {
    results.grid_tpr[target * grid.size() + g] = stats::tpr_at_fpr(curve, grid[g]);
  }
}

// Mean (ddof 0 is irrelevant for a mean) and SD with ddof 1, which is NaN for one value.
stats::MeanSd summarise(std::span<const double> values) {
  return {stats::mean_sd(values, 0).mean, stats::mean_sd(values, 1).sd};
}

AttackSummary summarise_attack(const char* name, TargetResults results,
                               const std::vector<double>& grid, std::size_t targets) {
  AttackSummary summary;
  summary.name = name;

  const stats::MeanSd auc = summarise(results.auc);
  const stats::MeanSd low = summarise(results.tpr_low);
  const stats::MeanSd moderate = summarise(results.tpr_moderate);
  summary.auc_mean = auc.mean;
  summary.auc_sd = auc.sd;
  summary.tpr_at_fpr_0_001_mean = low.mean;
  summary.tpr_at_fpr_0_001_sd = low.sd;
  summary.tpr_at_fpr_0_01_mean = moderate.mean;
  summary.tpr_at_fpr_0_01_sd = moderate.sd;

  summary.fpr_grid = grid;
  summary.tpr_grid_mean.resize(grid.size());
  summary.tpr_grid_sd.resize(grid.size());
  std::vector<double> column(targets);
  for (std::size_t g = 0; g < grid.size(); ++g) {
    for (std::size_t t = 0; t < targets; ++t) {
      column[t] = results.grid_tpr[t * grid.size() + g];
    }
    const stats::MeanSd moments = summarise(column);
    summary.tpr_grid_mean[g] = moments.mean;
    summary.tpr_grid_sd[g] = moments.sd;
  }

  summary.auc = std::move(results.auc);
  summary.tpr_at_fpr_0_001 = std::move(results.tpr_low);
  summary.tpr_at_fpr_0_01 = std::move(results.tpr_moderate);
  return summary;
}

}  // namespace

void AttackOptions::validate() const {
  if (targets == 0) {
    throw UsageError("--targets 0 is invalid: expected at least 1 target model (default 10)");
  }
  if (!(fpr_grid_min > 0.0 && fpr_grid_min < 1.0)) {
    throw UsageError(fmt::format(
        "--fpr-grid-min {} is invalid: expected a value in (0, 1) (default 1e-5)",
        fpr_grid_min));
  }
  if (fpr_grid_points < 2) {
    throw UsageError(fmt::format(
        "fpr_grid_points {} is invalid: expected at least 2 (default 101)",
        fpr_grid_points));
  }
  lira.validate();
  rmia.validate();
}

void AttackOptions::validate_for_models(std::size_t models) const {
  validate();
  if (models < 3 || targets > models - 2) {
    throw UsageError(fmt::format(
        "--targets {} is invalid with {} models: expected at most models - 2 = {} so that at "
        "least 2 reference models remain; lower targets or train more models",
        targets, models, models < 2 ? 0 : models - 2));
  }
  const std::size_t references = models - targets;
  if (rmia.tuning_targets > references) {
    throw UsageError(fmt::format(
        "RMIA option tuning_targets is {}; expected at most {} (the number of reference models)",
        rmia.tuning_targets, references));
  }
}

std::vector<AttackSummary> evaluate_attacks(const SignalView& view, const AttackOptions& options) {
  // 1. Checks.
  view.validate();
  options.validate_for_models(view.models);
  const std::size_t targets = options.targets;

  // 2. References: every non-target model. Fits, population and a are shared by all targets.
  std::vector<std::uint32_t> references(view.models - targets);
  std::iota(references.begin(), references.end(), static_cast<std::uint32_t>(targets));
  const LiraFit lira = fit_lira(view, references, options.lira);
  RmiaScorer rmia(view, references, options.rmia);
  const double offline_a = tune_rmia_offline_a(view, references, options.rmia);

  // 3. Score every target with every attack and record its ROC summaries.
  const std::vector<double> grid = stats::log_fpr_grid(options.fpr_grid_min,
                                                       options.fpr_grid_points);
  std::array<TargetResults, kCount> results;
  for (TargetResults& r : results) {
    r.auc.resize(targets);
    r.tpr_low.resize(targets);
    r.tpr_moderate.resize(targets);
    r.grid_tpr.resize(targets * grid.size());
  }
  std::vector<double> scores(view.records);
  for (std::size_t t = 0; t < targets; ++t) {
    const std::span<const float> signals = view.model_signals(t);
    const std::span<const std::uint8_t> labels = view.model_membership(t);

    score_lira_online(lira, signals, scores);
    record_target(scores, labels, grid, t, results[kLiraOnline]);
    score_lira_offline(lira, signals, scores);
    record_target(scores, labels, grid, t, results[kLiraOffline]);
    rmia.score_online(signals, scores);
    record_target(scores, labels, grid, t, results[kRmiaOnline]);
    rmia.score_offline(signals, offline_a, scores);
    record_target(scores, labels, grid, t, results[kRmiaOffline]);
    std::copy(signals.begin(), signals.end(), scores.begin());  // loss_attack() without a copy
    record_target(scores, labels, grid, t, results[kLoss]);
  }

  // 4. Summaries over targets.
  std::vector<AttackSummary> summaries;
  summaries.reserve(kCount);
  for (std::size_t k = 0; k < kCount; ++k) {
    summaries.push_back(summarise_attack(kAttackNames[k], std::move(results[k]), grid, targets));
  }
  summaries[kRmiaOffline].rmia_offline_a = offline_a;
  return summaries;
}

}  // namespace privaudit::attacks
