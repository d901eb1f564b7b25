#include "attacks/lira.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "attacks/signal_matrix_testing.h"
#include "core/error.h"
#include "stats/roc.h"

namespace privaudit::attacks {
namespace {

using testing::OwnedSignals;

// One record, target model 0, IN references 1..3 with signals {1, 2, 6} (median 2, mean 3,
// SD sqrt(14/3)) and OUT references 4..6 with signals {-1, 0, 1} (center 0, SD sqrt(2/3)).
OwnedSignals one_record(float target_signal) {
  OwnedSignals data(7, 1);
  data.phi = {target_signal, 1.0f, 2.0f, 6.0f, -1.0f, 0.0f, 1.0f};
  data.keep = {1, 1, 1, 1, 0, 0, 0};
  return data;
}

const std::vector<std::uint32_t> kSixReferences = {1, 2, 3, 4, 5, 6};

// Three records, references 1..4 (model 0 is the target):
//   record 0: IN {1, 3} (models 1, 2), OUT {0, 0.5} (models 3, 4)
//   record 1: IN {5, 7} (models 3, 4), OUT {2, 2.5} (models 1, 2)
//   record 2: no IN reference, OUT {0, 1, 2, 3}
// Pooled IN signals {1, 3, 5, 7}: mean 4, population SD sqrt(5).
// Pooled OUT signals {0, 0.5, 2, 2.5, 0, 1, 2, 3}: mean 11/8, population SD sqrt(75/64).
OwnedSignals three_records() {
  OwnedSignals data(5, 3);
  data.phi = {0.0f, 0.0f, 0.0f,   // target
              1.0f, 2.0f, 0.0f,   // model 1
              3.0f, 2.5f, 1.0f,   // model 2
              0.0f, 5.0f, 2.0f,   // model 3
              0.5f, 7.0f, 3.0f};  // model 4
  data.keep = {1, 1, 1,  //
               1, 0, 0,  //
               1, 0, 0,  //
               0, 1, 0,  //
               0, 1, 0};
  return data;
}

const std::vector<std::uint32_t> kFourReferences = {1, 2, 3, 4};

TEST(LiraOptions, DefaultsAreValid) { EXPECT_NO_THROW(LiraOptions{}.validate()); }

TEST(LiraOptions, RejectsZeroMinSd) {
  LiraOptions options;
  options.min_sd = 0.0;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(LiraOptions, RejectsNegativeMinSd) {
  LiraOptions options;
  options.min_sd = -1e-3;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(LiraOptions, RejectsNaNMinSd) {
  LiraOptions options;
  options.min_sd = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(LiraOptions, RejectsInfiniteMinSd) {
  LiraOptions options;
  options.min_sd = std::numeric_limits<double>::infinity();
  EXPECT_THROW(options.validate(), UsageError);
}

// x = IN median = 2: log N(2; 2, 14/3) - log N(2; 0, 2/3) = 3 + log(sqrt(2/3) / sqrt(14/3))
// = 3 - ln(7) / 2.
TEST(LiraOnline, InMedianScoresPositive) {
  const OwnedSignals data = one_record(2.0f);
  const std::vector<double> scores = lira_online(data.view(), 0, kSixReferences, {});
  ASSERT_EQ(scores.size(), 1u);
  EXPECT_GT(scores[0], 0.0);
  EXPECT_NEAR(scores[0], 3.0 - 0.5 * std::log(7.0), 1e-12);
}

// With the mean (3) as IN center the IN term loses (2 - 3)^2 / (2 * 14/3) = 3/28.
TEST(LiraOnline, MeanCenter) {
  const OwnedSignals data = one_record(2.0f);
  LiraOptions options;
  options.center = LiraOptions::Center::kMean;
  const std::vector<double> scores = lira_online(data.view(), 0, kSixReferences, options);
  EXPECT_NEAR(scores[0], 3.0 - 0.5 * std::log(7.0) - 3.0 / 28.0, 1e-12);
}

// z = (2 - 0) / sqrt(2/3) = sqrt(6).
TEST(LiraOffline, ZStatistic) {
  const OwnedSignals data = one_record(2.0f);
  const std::vector<double> scores = lira_offline(data.view(), 0, kSixReferences, {});
  EXPECT_NEAR(scores[0], std::sqrt(6.0), 1e-12);
}

TEST(LiraOffline, BelowOutCenterIsNegative) {
  const OwnedSignals data = one_record(-0.5f);
  const std::vector<double> scores = lira_offline(data.view(), 0, kSixReferences, {});
  EXPECT_NEAR(scores[0], -0.5 / std::sqrt(2.0 / 3.0), 1e-12);
}

TEST(LiraFit, PerRecordMoments) {
  const OwnedSignals data = three_records();
  const LiraFit fit = fit_lira(data.view(), kFourReferences, {});
  EXPECT_DOUBLE_EQ(fit.center_in[0], 2.0);
  EXPECT_DOUBLE_EQ(fit.sd_in[0], 1.0);
  EXPECT_DOUBLE_EQ(fit.center_out[0], 0.25);
  EXPECT_DOUBLE_EQ(fit.sd_out[0], 0.25);
  EXPECT_DOUBLE_EQ(fit.center_in[1], 6.0);
  EXPECT_DOUBLE_EQ(fit.center_out[2], 1.5);
  EXPECT_DOUBLE_EQ(fit.sd_out[2], std::sqrt(1.25));
  EXPECT_EQ(fit.in_signals, 4u);
  EXPECT_EQ(fit.out_signals, 8u);
}

TEST(LiraFit, NoInReferenceFallsBackToPool) {
  const OwnedSignals data = three_records();
  const LiraFit fit = fit_lira(data.view(), kFourReferences, {});
  EXPECT_DOUBLE_EQ(fit.center_in[2], 4.0);
  EXPECT_NEAR(fit.sd_in[2], std::sqrt(5.0), 1e-15);
}

TEST(LiraFit, FixedVariancePoolsAllSignals) {
  const OwnedSignals data = three_records();
  LiraOptions options;
  options.variance = LiraOptions::Variance::kFixed;
  const LiraFit fit = fit_lira(data.view(), kFourReferences, options);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(fit.sd_in[i], std::sqrt(5.0), 1e-15) << "record " << i;
    EXPECT_NEAR(fit.sd_out[i], std::sqrt(75.0 / 64.0), 1e-15) << "record " << i;
  }
  EXPECT_DOUBLE_EQ(fit.center_in[0], 2.0);  // centers stay per record
}

TEST(LiraFit, MinSdIsAdded) {
  const OwnedSignals data = three_records();
  LiraOptions options;
  options.min_sd = 0.5;
  const LiraFit fit = fit_lira(data.view(), kFourReferences, options);
  EXPECT_DOUBLE_EQ(fit.sd_in[0], 1.5);
  EXPECT_NEAR(fit.sd_in[2], std::sqrt(5.0) + 0.5, 1e-15);
}

TEST(LiraFit, NoInAnywhereLeavesNaN) {
  OwnedSignals data = three_records();
  for (std::uint8_t& k : data.keep) {
    k = 0;
  }
  const LiraFit fit = fit_lira(data.view(), kFourReferences, {});
  EXPECT_EQ(fit.in_signals, 0u);
  EXPECT_TRUE(std::isnan(fit.center_in[0]));
  EXPECT_EQ(fit.out_signals, 12u);
}

TEST(LiraOnline, NoInAnywhereThrows) {
  OwnedSignals data = three_records();
  for (std::uint8_t& k : data.keep) {
    k = 0;
  }
  EXPECT_THROW(lira_online(data.view(), 0, kFourReferences, {}), InputError);
}

TEST(LiraOffline, NoInAnywhereStillScores) {
  OwnedSignals data = three_records();
  for (std::uint8_t& k : data.keep) {
    k = 0;
  }
  const std::vector<double> scores = lira_offline(data.view(), 0, kFourReferences, {});
  for (const double s : scores) {
    EXPECT_TRUE(std::isfinite(s));
  }
}

TEST(LiraOffline, NoOutAnywhereThrows) {
  OwnedSignals data = three_records();
  for (std::uint8_t& k : data.keep) {
    k = 1;
  }
  EXPECT_THROW(lira_offline(data.view(), 0, kFourReferences, {}), InputError);
}

// One IN and one OUT reference: both SDs are 0 + min_sd, so the score is huge but finite.
TEST(LiraOnline, SingleReferencesGiveFiniteScore) {
  OwnedSignals data(3, 1);
  data.phi = {1.5f, 2.0f, 0.0f};
  data.keep = {1, 1, 0};
  const std::vector<std::uint32_t> references = {1, 2};
  const std::vector<double> scores = lira_online(data.view(), 0, references, {});
  EXPECT_TRUE(std::isfinite(scores[0]));
  EXPECT_GT(scores[0], 0.0);
}

TEST(LiraOnline, NoSignalsFromTargetRow) {
  OwnedSignals data = three_records();
  const std::vector<double> before = lira_online(data.view(), 0, kFourReferences, {});
  for (std::size_t i = 0; i < data.records; ++i) {
    data.member(0, i) = 1 - data.member(0, i);
  }
  EXPECT_EQ(lira_online(data.view(), 0, kFourReferences, {}), before);
}

TEST(LiraOnline, RejectsTargetAmongReferences) {
  const OwnedSignals data = three_records();
  const std::vector<std::uint32_t> references = {0, 1, 2};
  EXPECT_THROW(lira_online(data.view(), 0, references, {}), UsageError);
}

TEST(LiraOnline, RejectsBadShape) {
  const OwnedSignals data = three_records();
  SignalView view = data.view();
  view.records = 4;
  EXPECT_THROW(lira_online(view, 0, kFourReferences, {}), InputError);
}

TEST(LiraOnline, SeparableGivesAucOne) {
  const OwnedSignals data = testing::synthetic_signals(10, 40, 10.0, 0.1, 5);
  const std::vector<std::uint32_t> references = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<double> scores = lira_online(data.view(), 0, references, {});
  const stats::RocCurve curve = stats::roc_curve(scores, data.view().model_membership(0));
  EXPECT_DOUBLE_EQ(stats::roc_auc(curve), 1.0);
}

TEST(LiraOffline, SeparableGivesAucOne) {
  const OwnedSignals data = testing::synthetic_signals(10, 40, 10.0, 0.1, 5);
  const std::vector<std::uint32_t> references = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<double> scores = lira_offline(data.view(), 0, references, {});
  const stats::RocCurve curve = stats::roc_curve(scores, data.view().model_membership(0));
  EXPECT_DOUBLE_EQ(stats::roc_auc(curve), 1.0);
}

TEST(LiraOnline, FixedVarianceSeparableGivesAucOne) {
  const OwnedSignals data = testing::synthetic_signals(10, 40, 10.0, 0.1, 5);
  const std::vector<std::uint32_t> references = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  LiraOptions options;
  options.variance = LiraOptions::Variance::kFixed;
  const std::vector<double> scores = lira_online(data.view(), 0, references, options);
  const stats::RocCurve curve = stats::roc_curve(scores, data.view().model_membership(0));
  EXPECT_DOUBLE_EQ(stats::roc_auc(curve), 1.0);
}

}  // namespace
}  // namespace privaudit::attacks
