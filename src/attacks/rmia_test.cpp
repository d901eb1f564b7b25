#include "attacks/rmia.h"

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

constexpr std::uint64_t kSeed = 7;

// Five records; target model 0 and references 1..4. Every reference gives every record
// Pr = sigmoid(0) = 0.5 (models 1, 2 IN, models 3, 4 OUT), so Pr(x) = Pr(z) = 0.5 in both modes.
// The target's probabilities 0.05, 0.1, 0.2, 0.4, 0.8 give ratios 0.1, 0.2, 0.4, 0.8, 1.6.
// The population for seed 7 is records {3, 2, 4, 1} (see SamplePopulation.MatchesNumpyBaselineSmall
// for the generator), so record 0 is left out.
OwnedSignals ladder() {
  OwnedSignals data(5, 5);
  const double probabilities[] = {0.05, 0.1, 0.2, 0.4, 0.8};
  for (std::size_t i = 0; i < 5; ++i) {
    const double p = probabilities[i];
    data.signal(0, i) = static_cast<float>(std::log(p / (1.0 - p)));
    data.member(0, i) = 1;
    for (std::size_t m = 1; m <= 4; ++m) {
      data.signal(m, i) = 0.0f;
      data.member(m, i) = m <= 2 ? 1 : 0;
    }
  }
  return data;
}

const std::vector<std::uint32_t> kFourReferences = {1, 2, 3, 4};

RmiaOptions seeded(double gamma = 1.0) {
  RmiaOptions options;
  options.seed = kSeed;
  options.gamma = gamma;
  return options;
}

void expect_scores(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(actual[i], expected[i], 1e-15) << "record " << i;
  }
}

TEST(RmiaOptions, DefaultsAreValid) { EXPECT_NO_THROW(RmiaOptions{}.validate()); }

TEST(RmiaOptions, DefaultGridHas21Steps) {
  const std::vector<double> grid = default_offline_a_grid();
  ASSERT_EQ(grid.size(), 21u);
  EXPECT_EQ(grid.front(), 0.0);
  EXPECT_EQ(grid[6], 0.3);
  EXPECT_EQ(grid.back(), 1.0);
}

TEST(RmiaOptions, RejectsGammaBelowOne) {
  RmiaOptions options;
  options.gamma = 0.9;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(RmiaOptions, RejectsNaNGamma) {
  RmiaOptions options;
  options.gamma = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(RmiaOptions, RejectsZeroPopulation) {
  RmiaOptions options;
  options.population = 0;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(RmiaOptions, RejectsEmptyGrid) {
  RmiaOptions options;
  options.offline_a_grid.clear();
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(RmiaOptions, RejectsGridValueAboveOne) {
  RmiaOptions options;
  options.offline_a_grid = {0.2, 1.5};
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(RmiaOptions, RejectsZeroTuningTargets) {
  RmiaOptions options;
  options.tuning_targets = 0;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(RmiaScorer, PopulationCappedAtRecordsMinusOne) {
  const OwnedSignals data = ladder();
  RmiaScorer scorer(data.view(), kFourReferences, seeded());
  EXPECT_EQ(std::vector<std::uint32_t>(scorer.population().begin(), scorer.population().end()),
            (std::vector<std::uint32_t>{3, 2, 4, 1}));
}

TEST(RmiaScorer, PopulationOptionLimitsSize) {
  const OwnedSignals data = ladder();
  RmiaOptions options = seeded();
  options.population = 2;
  RmiaScorer scorer(data.view(), kFourReferences, options);
  EXPECT_EQ(scorer.population().size(), 2u);
}

// Record 2 beats record 1 of its others {3, 4, 1}; record 3 beats 1 and 2; record 4 beats all.
TEST(RmiaOnline, HandComputedGammaOne) {
  const OwnedSignals data = ladder();
  expect_scores(rmia_online(data.view(), 0, kFourReferences, seeded(1.0)),
                {0.0, 0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0});
}

// gamma 2.5 needs ratio_z < ratio_x / 2.5: record 3 (0.32) beats only record 1 (0.2), record 4
// (0.64) beats records 1 and 2, record 2 (0.16) beats none.
TEST(RmiaOnline, HandComputedGammaTwoAndHalf) {
  const OwnedSignals data = ladder();
  expect_scores(rmia_online(data.view(), 0, kFourReferences, seeded(2.5)),
                {0.0, 0.0, 0.0, 1.0 / 3.0, 2.0 / 3.0});
}

TEST(RmiaOnline, LargerGammaNeverRaisesScores) {
  const OwnedSignals data = testing::synthetic_signals(8, 200, 0.8, 0.5, 21);
  const std::vector<std::uint32_t> references = {1, 2, 3, 4, 5, 6, 7};
  const std::vector<double> low = rmia_online(data.view(), 0, references, seeded(1.0));
  const std::vector<double> high = rmia_online(data.view(), 0, references, seeded(1.5));
  bool some_lower = false;
  for (std::size_t i = 0; i < low.size(); ++i) {
    EXPECT_LE(high[i], low[i]) << "record " << i;
    some_lower = some_lower || high[i] < low[i];
  }
  EXPECT_TRUE(some_lower);
}

// Equal priors everywhere make every a give the same ratios as online.
TEST(RmiaOffline, EqualPriorsMatchHandValues) {
  const OwnedSignals data = ladder();
  for (const double a : {0.0, 0.5, 1.0}) {
    SCOPED_TRACE(a);
    expect_scores(rmia_offline(data.view(), 0, kFourReferences, seeded(), a),
                  {0.0, 0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0});
  }
}

TEST(RmiaOffline, RejectsAOutsideUnitInterval) {
  const OwnedSignals data = ladder();
  EXPECT_THROW(rmia_offline(data.view(), 0, kFourReferences, seeded(), 1.2), UsageError);
  EXPECT_THROW(rmia_offline(data.view(), 0, kFourReferences, seeded(), -0.1), UsageError);
}

// Signals near -1000 underflow sigmoid to 0 in double; the log-space ratios stay exact:
// log ratios 0, 100, 200, 300 with population {2, 1, 3} for seed 7.
TEST(RmiaOnline, VeryNegativeSignalsStayFinite) {
  OwnedSignals data(5, 4);
  const float target[] = {-1000.0f, -900.0f, -800.0f, -700.0f};
  for (std::size_t i = 0; i < 4; ++i) {
    data.signal(0, i) = target[i];
    for (std::size_t m = 1; m <= 4; ++m) {
      data.signal(m, i) = -1000.0f;
      data.member(m, i) = m <= 2 ? 1 : 0;
    }
  }
  expect_scores(rmia_online(data.view(), 0, kFourReferences, seeded()), {0.0, 0.0, 0.5, 1.0});
}

// Identical records with target Pr 0.5, IN references at phi -5 and OUT references at phi 0:
// Pr(x) = 0.5 (sigmoid(-5) + 0.5) is below Pr(z) = 0.5, so every x ratio beats every population
// ratio, including the record's own population ratio, which must not be counted. Population for
// 3 records and seed 7 is {2, 1}.
TEST(RmiaOnline, ExcludesOwnPopulationEntry) {
  OwnedSignals data(5, 3);
  for (std::size_t i = 0; i < 3; ++i) {
    data.signal(0, i) = 0.0f;
    for (std::size_t m = 1; m <= 4; ++m) {
      data.signal(m, i) = m <= 2 ? -5.0f : 0.0f;
      data.member(m, i) = m <= 2 ? 1 : 0;
    }
  }
  expect_scores(rmia_online(data.view(), 0, kFourReferences, seeded()), {1.0, 1.0, 1.0});
}

TEST(RmiaOnline, NoOtherPopulationRecordScoresZero) {
  OwnedSignals data(3, 2);
  data.phi = {2.0f, -2.0f, 0.0f, 0.0f, 0.0f, 0.0f};
  data.keep = {1, 0, 1, 0, 0, 1};
  const std::vector<std::uint32_t> references = {1, 2};
  const std::vector<double> scores = rmia_online(data.view(), 0, references, seeded());
  // Population for 2 records and seed 7 is {1}: record 1 has no other z, record 0 beats it.
  EXPECT_EQ(scores[1], 0.0);
  EXPECT_EQ(scores[0], 1.0);
}

TEST(RmiaFit, LogMeansAndFallback) {
  OwnedSignals data = ladder();
  data.member(1, 4) = 0;
  data.member(2, 4) = 0;  // record 4 has no IN reference now
  data.signal(3, 4) = 2.0f;
  const RmiaFit fit = fit_rmia(data.view(), kFourReferences);
  EXPECT_NEAR(fit.log_mean_in[0], std::log(0.5), 1e-15);
  EXPECT_NEAR(fit.log_mean_out[0], std::log(0.5), 1e-15);
  // Record 4's OUT mean: (sigmoid(0) * 3 + sigmoid(2)) / 4.
  const double sigmoid2 = 1.0 / (1.0 + std::exp(-2.0));
  EXPECT_NEAR(fit.log_mean_out[4], std::log((1.5 + sigmoid2) / 4.0), 1e-15);
  // Fallback: mean over all other records' IN signals, all 0.5.
  EXPECT_NEAR(fit.log_mean_in[4], std::log(0.5), 1e-15);
  EXPECT_EQ(fit.in_signals, 8u);
  EXPECT_EQ(fit.out_signals, 12u);
}

TEST(RmiaOnline, NoInAnywhereThrows) {
  OwnedSignals data = ladder();
  for (std::uint8_t& k : data.keep) {
    k = 0;
  }
  EXPECT_THROW(rmia_online(data.view(), 0, kFourReferences, seeded()), InputError);
}

TEST(RmiaOffline, NoInAnywhereStillScores) {
  OwnedSignals data = ladder();
  for (std::uint8_t& k : data.keep) {
    k = 0;
  }
  expect_scores(rmia_offline(data.view(), 0, kFourReferences, seeded(), 0.3),
                {0.0, 0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0});
}

TEST(RmiaOffline, NoOutAnywhereThrows) {
  OwnedSignals data = ladder();
  for (std::uint8_t& k : data.keep) {
    k = 1;
  }
  EXPECT_THROW(rmia_offline(data.view(), 0, kFourReferences, seeded(), 0.3), InputError);
}

TEST(RmiaOnline, RejectsTargetAmongReferences) {
  const OwnedSignals data = ladder();
  const std::vector<std::uint32_t> references = {0, 1};
  EXPECT_THROW(rmia_online(data.view(), 0, references, seeded()), UsageError);
}

// Models 0 and 1 are the real targets, 2..11 the references.
OwnedSignals tuning_data() { return testing::synthetic_signals(12, 300, 1.0, 0.5, 33); }

const std::vector<std::uint32_t> kTuningReferences = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11};

TEST(TuneRmiaOfflineA, IgnoresTargetRows) {
  OwnedSignals data = tuning_data();
  RmiaOptions options = seeded();
  options.tuning_targets = 3;
  const double before = tune_rmia_offline_a(data.view(), kTuningReferences, options);
  for (std::size_t m = 0; m < 2; ++m) {
    for (std::size_t i = 0; i < data.records; ++i) {
      data.member(m, i) = 1 - data.member(m, i);
      data.signal(m, i) = -data.signal(m, i);
    }
  }
  EXPECT_EQ(tune_rmia_offline_a(data.view(), kTuningReferences, options), before);
}

// The first reference plays the target against the other nine; the chosen a has the largest
// AUC, the first one on ties.
TEST(TuneRmiaOfflineA, PicksBestAucOfFirstReference) {
  const OwnedSignals data = tuning_data();
  const RmiaOptions options = seeded();
  const std::vector<std::uint32_t> others(kTuningReferences.begin() + 1, kTuningReferences.end());
  double best_auc = -1.0;
  double best_a = -1.0;
  for (const double a : options.offline_a_grid) {
    const std::vector<double> scores = rmia_offline(data.view(), 2, others, options, a);
    const double auc = stats::roc_auc(stats::roc_curve(scores, data.view().model_membership(2)));
    if (auc > best_auc) {
      best_auc = auc;
      best_a = a;
    }
  }
  EXPECT_EQ(tune_rmia_offline_a(data.view(), kTuningReferences, options), best_a);
}

TEST(TuneRmiaOfflineA, SingleGridValue) {
  const OwnedSignals data = tuning_data();
  RmiaOptions options = seeded();
  options.offline_a_grid = {0.45};
  EXPECT_EQ(tune_rmia_offline_a(data.view(), kTuningReferences, options), 0.45);
}

TEST(TuneRmiaOfflineA, RejectsOneReference) {
  const OwnedSignals data = tuning_data();
  const std::vector<std::uint32_t> references = {2};
  EXPECT_THROW(tune_rmia_offline_a(data.view(), references, seeded()), UsageError);
}

TEST(TuneRmiaOfflineA, RejectsTooManyTuningTargets) {
  const OwnedSignals data = tuning_data();
  RmiaOptions options = seeded();
  options.tuning_targets = 11;
  EXPECT_THROW(tune_rmia_offline_a(data.view(), kTuningReferences, options), UsageError);
}

TEST(TuneRmiaOfflineA, OneClassPseudoTargetThrows) {
  OwnedSignals data = tuning_data();
  for (std::size_t i = 0; i < data.records; ++i) {
    data.member(2, i) = 1;
  }
  EXPECT_THROW(tune_rmia_offline_a(data.view(), kTuningReferences, seeded()), InputError);
}

}  // namespace
}  // namespace privaudit::attacks
