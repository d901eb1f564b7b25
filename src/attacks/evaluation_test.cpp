#include "attacks/evaluation.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "attacks/lira.h"
#include "attacks/rmia.h"
#include "attacks/signal_matrix_testing.h"
#include "core/error.h"
#include "stats/roc.h"

namespace privaudit::attacks {
namespace {

using testing::OwnedSignals;

AttackOptions small_options(std::size_t targets) {
  AttackOptions options;
  options.targets = targets;
  options.rmia.seed = 5;
  options.fpr_grid_min = 1e-3;
  options.fpr_grid_points = 7;
  return options;
}

TEST(AttackOptions, DefaultsAreValid) { EXPECT_NO_THROW(AttackOptions{}.validate()); }

TEST(AttackOptions, RejectsZeroTargets) {
  AttackOptions options;
  options.targets = 0;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(AttackOptions, RejectsTooManyTargets) {
  AttackOptions options;
  options.targets = 7;
  EXPECT_NO_THROW(options.validate_for_models(9));
  EXPECT_THROW(options.validate_for_models(8), UsageError);
}

TEST(AttackOptions, RejectsTwoModels) {
  AttackOptions options;
  options.targets = 1;
  EXPECT_THROW(options.validate_for_models(2), UsageError);
}

TEST(AttackOptions, RejectsGridMinZero) {
  AttackOptions options;
  options.fpr_grid_min = 0.0;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(AttackOptions, RejectsGridMinOne) {
  AttackOptions options;
  options.fpr_grid_min = 1.0;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(AttackOptions, RejectsOneGridPoint) {
  AttackOptions options;
  options.fpr_grid_points = 1;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(AttackOptions, RejectsInvalidNestedLira) {
  AttackOptions options;
  options.lira.min_sd = 0.0;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(AttackOptions, RejectsInvalidNestedRmia) {
  AttackOptions options;
  options.rmia.gamma = 0.5;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(AttackOptions, RejectsTuningTargetsAboveReferences) {
  AttackOptions options;
  options.targets = 2;
  options.rmia.tuning_targets = 4;
  EXPECT_NO_THROW(options.validate_for_models(6));
  EXPECT_THROW(options.validate_for_models(5), UsageError);
}

TEST(EvaluateAttacks, SummaryLayout) {
  const OwnedSignals data = testing::synthetic_signals(8, 60, 1.0, 0.5, 2);
  const std::vector<AttackSummary> summaries = evaluate_attacks(data.view(), small_options(3));
  ASSERT_EQ(summaries.size(), 5u);
  const std::vector<std::string> names = {"lira_online", "lira_offline", "rmia_online",
                                          "rmia_offline", "loss"};
  for (std::size_t k = 0; k < 5; ++k) {
    SCOPED_TRACE(names[k]);
    const AttackSummary& s = summaries[k];
    EXPECT_EQ(s.name, names[k]);
    EXPECT_EQ(s.auc.size(), 3u);
    EXPECT_EQ(s.tpr_at_fpr_0_001.size(), 3u);
    EXPECT_EQ(s.tpr_at_fpr_0_01.size(), 3u);
    EXPECT_EQ(s.fpr_grid.size(), 7u);
    EXPECT_EQ(s.tpr_grid_mean.size(), 7u);
    EXPECT_EQ(s.tpr_grid_sd.size(), 7u);
    EXPECT_DOUBLE_EQ(s.fpr_grid.front(), 1e-3);
    EXPECT_DOUBLE_EQ(s.fpr_grid.back(), 1.0);
    EXPECT_DOUBLE_EQ(s.tpr_grid_mean.back(), 1.0);
    EXPECT_TRUE(std::isfinite(s.auc_sd));
    EXPECT_EQ(std::isnan(s.rmia_offline_a), s.name != "rmia_offline");
  }
}

TEST(EvaluateAttacks, MeanAndSdOverTargets) {
  const OwnedSignals data = testing::synthetic_signals(8, 60, 1.0, 0.5, 2);
  const std::vector<AttackSummary> summaries = evaluate_attacks(data.view(), small_options(3));
  const AttackSummary& s = summaries[0];
  const double mean = (s.auc[0] + s.auc[1] + s.auc[2]) / 3.0;
  double squares = 0.0;
  for (const double auc : s.auc) {
    squares += (auc - mean) * (auc - mean);
  }
  EXPECT_NEAR(s.auc_mean, mean, 1e-15);
  EXPECT_NEAR(s.auc_sd, std::sqrt(squares / 2.0), 1e-15);
}

TEST(EvaluateAttacks, OneTargetSdIsNaN) {
  const OwnedSignals data = testing::synthetic_signals(6, 40, 1.0, 0.5, 2);
  const std::vector<AttackSummary> summaries = evaluate_attacks(data.view(), small_options(1));
  for (const AttackSummary& s : summaries) {
    SCOPED_TRACE(s.name);
    EXPECT_DOUBLE_EQ(s.auc_mean, s.auc[0]);
    EXPECT_TRUE(std::isnan(s.auc_sd));
    EXPECT_TRUE(std::isnan(s.tpr_at_fpr_0_01_sd));
    EXPECT_TRUE(std::isnan(s.tpr_grid_sd[0]));
  }
}

// Each per-target AUC equals that of the single-target functions with references = non-targets.
TEST(EvaluateAttacks, MatchesSingleTargetFunctions) {
  const OwnedSignals data = testing::synthetic_signals(8, 60, 1.0, 0.5, 2);
  const AttackOptions options = small_options(2);
  const std::vector<AttackSummary> summaries = evaluate_attacks(data.view(), options);
  const std::vector<std::uint32_t> references = {2, 3, 4, 5, 6, 7};
  const double a = summaries[3].rmia_offline_a;
  EXPECT_EQ(a, tune_rmia_offline_a(data.view(), references, options.rmia));
  for (std::size_t t = 0; t < 2; ++t) {
    const std::vector<std::vector<double>> scores = {
        lira_online(data.view(), t, references, options.lira),
        lira_offline(data.view(), t, references, options.lira),
        rmia_online(data.view(), t, references, options.rmia),
        rmia_offline(data.view(), t, references, options.rmia, a),
    };
    for (std::size_t k = 0; k < scores.size(); ++k) {
      const stats::RocCurve curve = stats::roc_curve(scores[k], data.view().model_membership(t));
      EXPECT_EQ(summaries[k].auc[t], stats::roc_auc(curve)) << summaries[k].name << " target " << t;
      EXPECT_EQ(summaries[k].tpr_at_fpr_0_01[t], stats::tpr_at_fpr(curve, 1e-2))
          << summaries[k].name << " target " << t;
    }
  }
}

// Flipping target 0's membership changes only target 0's ROC: a and target 1 stay as they were.
TEST(EvaluateAttacks, TargetMembershipOnlyLabelsItsRoc) {
  OwnedSignals data = testing::synthetic_signals(8, 60, 1.0, 0.5, 2);
  const std::vector<AttackSummary> before = evaluate_attacks(data.view(), small_options(2));
  for (std::size_t i = 0; i < data.records; ++i) {
    data.member(0, i) = 1 - data.member(0, i);
  }
  const std::vector<AttackSummary> after = evaluate_attacks(data.view(), small_options(2));
  EXPECT_EQ(after[3].rmia_offline_a, before[3].rmia_offline_a);
  for (std::size_t k = 0; k < 5; ++k) {
    SCOPED_TRACE(before[k].name);
    EXPECT_EQ(after[k].auc[1], before[k].auc[1]);
    EXPECT_NEAR(after[k].auc[0], 1.0 - before[k].auc[0], 1e-12);
  }
}

TEST(EvaluateAttacks, SeparableGivesAucOne) {
  const OwnedSignals data = testing::synthetic_signals(10, 50, 10.0, 0.1, 8);
  const std::vector<AttackSummary> summaries = evaluate_attacks(data.view(), small_options(2));
  EXPECT_DOUBLE_EQ(summaries[0].auc_mean, 1.0);  // lira_online
  EXPECT_DOUBLE_EQ(summaries[1].auc_mean, 1.0);  // lira_offline
  EXPECT_DOUBLE_EQ(summaries[0].tpr_at_fpr_0_001_mean, 1.0);
}

TEST(EvaluateAttacks, RejectsInvalidView) {
  OwnedSignals data = testing::synthetic_signals(6, 10, 1.0, 0.5, 2);
  data.member(3, 3) = 2;
  EXPECT_THROW(evaluate_attacks(data.view(), small_options(1)), InputError);
}

TEST(EvaluateAttacks, RejectsTooManyTargets) {
  const OwnedSignals data = testing::synthetic_signals(6, 10, 1.0, 0.5, 2);
  EXPECT_THROW(evaluate_attacks(data.view(), small_options(5)), UsageError);
}

}  // namespace
}  // namespace privaudit::attacks
