// Scores of every attack on one fixed example, pinned against the NumPy reference implementation
// bench/baselines/attacks_numpy.py (numpy 1.24.2, run with --example), which writes the same
// formulas independently. Relative tolerance 1e-9.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "attacks/evaluation.h"
#include "attacks/lira.h"
#include "attacks/loss_attack.h"
#include "attacks/rmia.h"
#include "attacks/signal_matrix_testing.h"

namespace privaudit::attacks {
namespace {

// 8 models x 6 records; EXAMPLE_PHI and EXAMPLE_KEEP in attacks_numpy.py. Record 4 is IN for
// every model (no OUT reference), record 5 only for model 0 (no IN reference when model 0 is the
// target), so both fallbacks are pinned too.
testing::OwnedSignals example() {
  testing::OwnedSignals data(8, 6);
  data.phi = {
      2.10f,  -0.40f, 1.30f,  0.20f,  3.05f, 0.90f,   //
      0.35f,  1.75f,  1.10f,  -0.85f, 2.60f, -1.20f,  //
      1.60f,  2.20f,  -0.15f, -0.30f, 2.95f, -0.70f,  //
      -0.25f, 0.10f,  1.45f,  1.05f,  3.40f, -1.05f,  //
      1.85f,  -0.60f, 0.05f,  1.60f,  2.75f, -0.95f,  //
      0.50f,  1.35f,  -0.45f, 0.80f,  3.15f, -1.40f,  //
      2.40f,  0.25f,  1.90f,  1.25f,  2.50f, -0.55f,  //
      -0.10f, 1.95f,  0.40f,  -0.20f, 3.30f, -0.80f,
  };
  data.keep = {
      1, 0, 1, 0, 1, 1,  //
      0, 1, 1, 0, 1, 0,  //
      1, 1, 0, 0, 1, 0,  //
      0, 0, 1, 1, 1, 0,  //
      1, 0, 0, 1, 1, 0,  //
      0, 1, 0, 1, 1, 0,  //
      1, 0, 1, 1, 1, 0,  //
      0, 1, 0, 0, 1, 0,
  };
  return data;
}

constexpr std::uint64_t kSeed = 7;
const std::vector<std::uint32_t> kReferences = {1, 2, 3, 4, 5, 6, 7};

void expect_relative(double actual, double expected, const char* label, std::size_t index) {
  const double tolerance = std::max(1e-9 * std::abs(expected), 1e-12);
  EXPECT_NEAR(actual, expected, tolerance) << label << " [" << index << "]";
}

void expect_all(const std::vector<double>& actual, const std::vector<double>& expected,
                const char* label) {
  ASSERT_EQ(actual.size(), expected.size()) << label;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    expect_relative(actual[i], expected[i], label, i);
  }
}

LiraOptions lira_options(LiraOptions::Center center, LiraOptions::Variance variance) {
  LiraOptions options;
  options.center = center;
  options.variance = variance;
  return options;
}

RmiaOptions rmia_options(double gamma = 1.0) {
  RmiaOptions options;
  options.seed = kSeed;
  options.gamma = gamma;
  return options;
}

using Center = LiraOptions::Center;
using Variance = LiraOptions::Variance;

TEST(PinnedExample, LiraMedianPerRecord) {
  const auto data = example();
  const LiraOptions options = lira_options(Center::kMedian, Variance::kPerRecord);
  expect_all(lira_online(data.view(), 0, kReferences, options),
             {20.038030551305443, -25.085414405448244, 9.382032980407608, -3.7631257815083297,
              21.05548183239344, 20.876621272449952},
             "online");
  expect_all(lira_offline(data.view(), 0, kReferences, options),
             {6.386771179731742, -1.3497637908259137, 4.36921220006048, 1.7496355326877067,
              6.4188641987106205, 6.7876442799243195},
             "offline");
}

TEST(PinnedExample, LiraMedianFixed) {
  const auto data = example();
  const LiraOptions options = lira_options(Center::kMedian, Variance::kFixed);
  expect_all(lira_online(data.view(), 0, kReferences, options),
             {6.440248792858292, -4.317309433339065, 2.828062434202664, -0.6973484158137082,
              20.241462442230766, 4.518987241824847},
             "online");
  expect_all(lira_offline(data.view(), 0, kReferences, options),
             {3.7001026250882667, -0.9367348992184497, 2.529184105753486, 0.9367349131768873,
              6.4188641987106205, 3.465919008461545},
             "offline");
}

TEST(PinnedExample, LiraMeanPerRecord) {
  const auto data = example();
  const LiraOptions options = lira_options(Center::kMean, Variance::kPerRecord);
  expect_all(lira_online(data.view(), 0, kReferences, options),
             {20.217134881302442, -24.765856140726648, 9.15427837031465, -2.9880254660870804,
              21.055481799733393, 20.876621484504938},
             "online");
  expect_all(lira_offline(data.view(), 0, kReferences, options),
             {6.386771173708304, -0.8548503840955392, 4.328756511502671, 2.274526180327272,
              6.4188641987106205, 6.787644311165642},
             "offline");
}

TEST(PinnedExample, LiraMeanFixed) {
  const auto data = example();
  const LiraOptions options = lira_options(Center::kMean, Variance::kFixed);
  expect_all(lira_online(data.view(), 0, kReferences, options),
             {6.475056081225583, -4.43444398923164, 2.7594385483713766, -0.43649806714274053,
              20.24146243630312, 4.51898729711492},
             "online");
  expect_all(lira_offline(data.view(), 0, kReferences, options),
             {3.700102621598657, -0.5932654245396536, 2.5057657228041967, 1.217755380616016,
              6.4188641987106205, 3.465919024414045},
             "offline");
}

TEST(PinnedExample, RmiaOnline) {
  const auto data = example();
  expect_all(rmia_online(data.view(), 0, kReferences, rmia_options(1.0)),
             {0.2, 0.0, 0.25, 0.25, 0.25, 0.25}, "gamma 1");
  expect_all(rmia_online(data.view(), 0, kReferences, rmia_options(1.2)),
             {0.2, 0.0, 0.25, 0.0, 0.25, 0.25}, "gamma 1.2");
}

TEST(PinnedExample, RmiaOffline) {
  const auto data = example();
  expect_all(rmia_offline(data.view(), 0, kReferences, rmia_options(), 0.0),
             {0.8, 0.0, 0.5, 0.25, 1.0, 0.75}, "a 0");
  expect_all(rmia_offline(data.view(), 0, kReferences, rmia_options(), 0.3),
             {0.6, 0.0, 0.5, 0.25, 1.0, 0.75}, "a 0.3");
  expect_all(rmia_offline(data.view(), 0, kReferences, rmia_options(), 1.0),
             {0.6, 0.0, 0.5, 0.25, 0.75, 1.0}, "a 1");
}

TEST(PinnedExample, TuneOfflineA) {
  const auto data = example();
  RmiaOptions options = rmia_options();
  EXPECT_EQ(tune_rmia_offline_a(data.view(), kReferences, options), 0.0);
  options.tuning_targets = 3;
  EXPECT_EQ(tune_rmia_offline_a(data.view(), kReferences, options), 0.0);
}

TEST(PinnedExample, Loss) {
  const auto data = example();
  expect_all(loss_attack(data.view(), 0),
             {2.0999999046325684, -0.4000000059604645, 1.2999999523162842, 0.20000000298023224,
              3.049999952316284, 0.8999999761581421},
             "loss");
}

// evaluate_attacks with targets 2 (models 0, 1; references 2..7), FPR grid {0.1, 0.316, 1}.
TEST(PinnedExample, Evaluation) {
  const auto data = example();
  AttackOptions options;
  options.targets = 2;
  options.rmia.seed = kSeed;
  options.fpr_grid_min = 0.1;
  options.fpr_grid_points = 3;
  const std::vector<AttackSummary> s = evaluate_attacks(data.view(), options);
  ASSERT_EQ(s.size(), 5u);

  expect_all(s[0].auc, {0.5, 0.6666666666666667}, "lira_online auc");
  expect_relative(s[0].auc_sd, 0.11785113019775798, "lira_online auc_sd", 0);
  expect_all(s[0].tpr_at_fpr_0_01, {0.0, 0.0}, "lira_online tpr 1e-2");
  expect_all(s[0].tpr_grid_mean, {0.0, 0.0, 1.0}, "lira_online grid mean");

  expect_all(s[1].auc, {0.5, 1.0}, "lira_offline auc");
  expect_all(s[1].tpr_at_fpr_0_001, {0.0, 1.0}, "lira_offline tpr 1e-3");
  expect_all(s[1].tpr_grid_mean, {0.5, 0.5, 1.0}, "lira_offline grid mean");
  expect_all(s[1].tpr_grid_sd, {0.7071067811865476, 0.7071067811865476, 0.0},
             "lira_offline grid sd");

  expect_all(s[2].auc, {0.875, 1.0}, "rmia_online auc");
  expect_all(s[2].tpr_at_fpr_0_001, {0.501, 1.0}, "rmia_online tpr 1e-3");
  expect_all(s[2].tpr_at_fpr_0_01, {0.51, 1.0}, "rmia_online tpr 1e-2");
  expect_relative(s[2].auc_sd, 0.08838834764831845, "rmia_online auc_sd", 0);
  expect_all(s[2].tpr_grid_mean, {0.8, 0.908113883008419, 1.0}, "rmia_online grid mean");
  expect_all(s[2].tpr_grid_sd, {0.28284271247461906, 0.12994659284329474, 0.0},
             "rmia_online grid sd");

  expect_all(s[3].auc, {1.0, 1.0}, "rmia_offline auc");
  EXPECT_EQ(s[3].rmia_offline_a, 0.0);

  expect_all(s[4].auc, {1.0, 1.0}, "loss auc");
  expect_relative(s[4].auc_sd, 0.0, "loss auc_sd", 0);
}

}  // namespace
}  // namespace privaudit::attacks
