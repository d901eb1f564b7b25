// Aggregate evaluation of every attack: ROC curves per target model, summarised over targets.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "attacks/lira.h"
#include "attacks/rmia.h"
#include "attacks/signal_matrix.h"

namespace privaudit::attacks {

struct AttackOptions {
  // Number of target models: models 0..targets-1 are attacked in turn, and models
  // targets..models-1 are the references of every target. >= 1 and <= models - 2, because tuning
  // the RMIA offline coefficient needs 2 references.
  std::size_t targets = 10;
  LiraOptions lira;  // options of both LiRA variants
  RmiaOptions rmia;  // options of both RMIA variants and of the tuning of a
  // Smallest FPR of the log-spaced grid on which TPR curves are averaged, in (0, 1).
  double fpr_grid_min = 1e-5;
  // Number of grid points from fpr_grid_min to 1 (both included), >= 2.
  std::size_t fpr_grid_points = 101;

  // Throws UsageError naming the field, its value and the valid range, including those of the
  // nested LiRA and RMIA options. Checks that need the model count are in validate_for_models().
  void validate() const;

  // validate(), then throws UsageError unless targets <= models - 2 and rmia.tuning_targets is at
  // most the number of references (models - targets).
  void validate_for_models(std::size_t models) const;
};

// One attack summarised over the target models. Per-target vectors are [targets], grid vectors
// [fpr_grid_points]. SDs use ddof 1 over targets and are NaN for a single target. A target whose
// row lacks members or non-members has NaN AUC and TPRs, which propagate into means and SDs.
struct AttackSummary {
  std::string name;  // "lira_online", "lira_offline", "rmia_online", "rmia_offline" or "loss"
  std::vector<double> auc;               // ROC AUC per target
  std::vector<double> tpr_at_fpr_0_001;  // TPR at FPR 1e-3 per target, interpolated
  std::vector<double> tpr_at_fpr_0_01;   // TPR at FPR 1e-2 per target, interpolated
  double auc_mean = std::numeric_limits<double>::quiet_NaN();
  double auc_sd = std::numeric_limits<double>::quiet_NaN();
  double tpr_at_fpr_0_001_mean = std::numeric_limits<double>::quiet_NaN();
  double tpr_at_fpr_0_001_sd = std::numeric_limits<double>::quiet_NaN();
  double tpr_at_fpr_0_01_mean = std::numeric_limits<double>::quiet_NaN();
  double tpr_at_fpr_0_01_sd = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> fpr_grid;       // log-spaced FPR values
  std::vector<double> tpr_grid_mean;  // mean over targets of the TPR at each grid FPR
  std::vector<double> tpr_grid_sd;    // SD over targets of the TPR at each grid FPR
  // Offline coefficient chosen by tune_rmia_offline_a() on the references; NaN for other attacks.
  double rmia_offline_a = std::numeric_limits<double>::quiet_NaN();
};

// Runs every attack against each target model with all non-target models as references, and
// returns the summaries in the order lira_online, lira_offline, rmia_online, rmia_offline, loss.
// Per target, the ROC is over all records with the target's members as positives. The reference
// fits, the RMIA population and the offline coefficient a are computed once and shared by all
// targets. A target's membership row is read only to label its own ROC.
// Throws InputError for an invalid view and UsageError for invalid options.
std::vector<AttackSummary> evaluate_attacks(const SignalView& view, const AttackOptions& options);

}  // namespace privaudit::attacks
