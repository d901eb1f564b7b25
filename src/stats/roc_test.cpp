#include "stats/roc.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "stats/auc.h"

namespace privaudit::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// 10 members and 10 non-members in shuffled order, with a member-only tie (0.9), mixed ties
// (0.8, 0.5, 0.3) and non-member-only ties (0.6, 0.1).
const std::vector<double> kScores = {0.30, 0.90, 0.10, 0.80, 0.55, 0.60, 0.95, 0.50, 0.85, 0.20,
                                     0.80, 0.40, 0.70, 0.10, 0.82, 0.50, 0.60, 0.30, 0.90, 0.80};
const std::vector<std::uint8_t> kLabels = {0, 1, 0, 1, 1, 0, 1, 0, 0, 0,
                                           0, 0, 1, 0, 1, 1, 0, 1, 1, 1};

// sklearn 1.2.1 sklearn.metrics.roc_curve(kLabels, kScores, drop_intermediate=False). sklearn's
// first threshold is max score + 1 (1.95), where this module uses +inf.
const std::vector<double> kFpr = {0.0, 0.0, 0.0, 0.1, 0.1, 0.2, 0.2,
                                  0.4, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0};
const std::vector<double> kTpr = {0.0, 0.1, 0.3, 0.3, 0.4, 0.6, 0.7,
                                  0.7, 0.8, 0.9, 0.9, 1.0, 1.0, 1.0};
const std::vector<double> kThresholds = {kInf, 0.95, 0.9, 0.85, 0.82, 0.8, 0.7,
                                         0.6,  0.55, 0.5, 0.4,  0.3,  0.2, 0.1};

TEST(RocCurve, MatchesSklearn) {
  const RocCurve curve = roc_curve(kScores, kLabels);
  ASSERT_EQ(curve.fpr.size(), kFpr.size());
  ASSERT_EQ(curve.tpr.size(), kTpr.size());
  ASSERT_EQ(curve.thresholds.size(), kThresholds.size());
  for (std::size_t k = 0; k < kFpr.size(); ++k) {
    EXPECT_DOUBLE_EQ(curve.fpr[k], kFpr[k]) << "point " << k;
    EXPECT_DOUBLE_EQ(curve.tpr[k], kTpr[k]) << "point " << k;
    EXPECT_EQ(curve.thresholds[k], kThresholds[k]) << "point " << k;
  }
}

TEST(RocAuc, MatchesSklearn) {
  // sklearn 1.2.1 sklearn.metrics.roc_auc_score(kLabels, kScores) = 0.79.
  EXPECT_NEAR(roc_auc(roc_curve(kScores, kLabels)), 0.79, 1e-15);
}

TEST(RocAuc, EqualsMannWhitney) {
  std::vector<double> members;
  std::vector<double> non_members;
  for (std::size_t i = 0; i < kScores.size(); ++i) {
    (kLabels[i] != 0 ? members : non_members).push_back(kScores[i]);
  }
  EXPECT_NEAR(roc_auc(roc_curve(kScores, kLabels)), mann_whitney_auc(members, non_members), 1e-15);
}

TEST(RocCurve, PerfectSeparation) {
  const std::vector<double> scores = {0.9, 0.1, 0.8, 0.2};
  const std::vector<std::uint8_t> labels = {1, 0, 1, 0};
  const RocCurve curve = roc_curve(scores, labels);
  EXPECT_EQ(roc_auc(curve), 1.0);
  EXPECT_EQ(tpr_at_fpr(curve, 0.0), 1.0);
}

TEST(RocCurve, InvertedRanking) {
  const std::vector<double> scores = {0.9, 0.1, 0.8, 0.2};
  const std::vector<std::uint8_t> labels = {0, 1, 0, 1};
  const RocCurve curve = roc_curve(scores, labels);
  EXPECT_EQ(roc_auc(curve), 0.0);
  EXPECT_EQ(tpr_at_fpr(curve, 0.5), 0.0);
}

TEST(RocCurve, AllTiedIsOnePoint) {
  const std::vector<double> scores = {0.5, 0.5, 0.5, 0.5};
  const std::vector<std::uint8_t> labels = {1, 0, 0, 1};
  const RocCurve curve = roc_curve(scores, labels);
  ASSERT_EQ(curve.fpr.size(), 2u);
  EXPECT_EQ(curve.fpr[1], 1.0);
  EXPECT_EQ(curve.tpr[1], 1.0);
  EXPECT_EQ(curve.thresholds[1], 0.5);
  EXPECT_EQ(roc_auc(curve), 0.5);
}

TEST(RocCurve, NonZeroLabelIsMember) {
  const std::vector<double> scores = {0.9, 0.1};
  const std::vector<std::uint8_t> labels = {7, 0};
  EXPECT_EQ(roc_auc(roc_curve(scores, labels)), 1.0);
}

TEST(RocCurve, NoMembers) {
  const std::vector<double> scores = {0.9, 0.1, 0.5};
  const std::vector<std::uint8_t> labels = {0, 0, 0};
  const RocCurve curve = roc_curve(scores, labels);
  ASSERT_EQ(curve.fpr.size(), 4u);
  EXPECT_EQ(curve.fpr.back(), 1.0);
  for (const double t : curve.tpr) {
    EXPECT_TRUE(std::isnan(t));
  }
  EXPECT_TRUE(std::isnan(roc_auc(curve)));
  EXPECT_TRUE(std::isnan(tpr_at_fpr(curve, 0.1)));
}

TEST(RocCurve, NoNonMembers) {
  const std::vector<double> scores = {0.9, 0.1};
  const std::vector<std::uint8_t> labels = {1, 1};
  const RocCurve curve = roc_curve(scores, labels);
  ASSERT_EQ(curve.tpr.size(), 3u);
  EXPECT_EQ(curve.tpr.back(), 1.0);
  for (const double f : curve.fpr) {
    EXPECT_TRUE(std::isnan(f));
  }
  EXPECT_TRUE(std::isnan(roc_auc(curve)));
  EXPECT_TRUE(std::isnan(tpr_at_fpr(curve, 0.1)));
}

TEST(RocCurve, Empty) {
  const RocCurve curve = roc_curve({}, {});
  ASSERT_EQ(curve.fpr.size(), 1u);
  EXPECT_TRUE(std::isnan(curve.fpr[0]));
  EXPECT_TRUE(std::isnan(curve.tpr[0]));
  EXPECT_EQ(curve.thresholds[0], kInf);
  EXPECT_TRUE(std::isnan(roc_auc(curve)));
  EXPECT_TRUE(std::isnan(tpr_at_fpr(curve, 0.5)));
}

TEST(RocCurve, NaNScore) {
  const std::vector<double> scores = {0.9, kNaN, 0.1};
  const std::vector<std::uint8_t> labels = {1, 0, 0};
  const RocCurve curve = roc_curve(scores, labels);
  ASSERT_EQ(curve.fpr.size(), 1u);
  EXPECT_TRUE(std::isnan(curve.fpr[0]));
  EXPECT_TRUE(std::isnan(curve.tpr[0]));
  EXPECT_TRUE(std::isnan(curve.thresholds[0]));
  EXPECT_TRUE(std::isnan(roc_auc(curve)));
  EXPECT_TRUE(std::isnan(tpr_at_fpr(curve, 0.5)));
}

TEST(RocCurve, SizeMismatch) {
  const std::vector<double> scores = {0.9, 0.1};
  const std::vector<std::uint8_t> labels = {1};
  EXPECT_THROW(roc_curve(scores, labels), InternalError);
}

TEST(RocAuc, DefaultCurveIsNaN) { EXPECT_TRUE(std::isnan(roc_auc(RocCurve{}))); }

// Reference values: numpy 1.24.2 numpy.interp(fpr, kFpr, kTpr).
TEST(TprAtFpr, SharedFprTakesMaxTpr) {
  const RocCurve curve = roc_curve(kScores, kLabels);
  EXPECT_EQ(tpr_at_fpr(curve, 0.0), 0.3);
  EXPECT_EQ(tpr_at_fpr(curve, 0.1), 0.4);
}

TEST(TprAtFpr, BetweenPoints) {
  const RocCurve curve = roc_curve(kScores, kLabels);
  EXPECT_DOUBLE_EQ(tpr_at_fpr(curve, 0.15), 0.5);
  EXPECT_DOUBLE_EQ(tpr_at_fpr(curve, 0.55), 0.9);
}

TEST(TprAtFpr, InterpolatesToFirstPointOfNextFpr) {
  // Between FPR 0 (max TPR 0.3) and FPR 0.1, the line ends at (0.1, 0.3), the first point there,
  // not at its max TPR 0.4. Likewise from (0.2, 0.7) to (0.4, 0.7).
  const RocCurve curve = roc_curve(kScores, kLabels);
  EXPECT_DOUBLE_EQ(tpr_at_fpr(curve, 0.05), 0.3);
  EXPECT_DOUBLE_EQ(tpr_at_fpr(curve, 0.35), 0.7);
}

TEST(TprAtFpr, EndPoint) { EXPECT_EQ(tpr_at_fpr(roc_curve(kScores, kLabels), 1.0), 1.0); }

TEST(TprAtFpr, ClampsOutsideUnitInterval) {
  const RocCurve curve = roc_curve(kScores, kLabels);
  EXPECT_EQ(tpr_at_fpr(curve, -0.5), 0.3);
  EXPECT_EQ(tpr_at_fpr(curve, 2.0), 1.0);
}

TEST(TprAtFpr, NaNQuery) { EXPECT_TRUE(std::isnan(tpr_at_fpr(roc_curve(kScores, kLabels), kNaN))); }

TEST(LogFprGrid, MatchesNumpyLogspace) {
  // numpy 1.24.2 numpy.logspace(-5, 0, 6).
  const std::vector<double> expected = {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0};
  const std::vector<double> grid = log_fpr_grid(1e-5, 6);
  ASSERT_EQ(grid.size(), expected.size());
  for (std::size_t k = 0; k < grid.size(); ++k) {
    EXPECT_NEAR(grid[k], expected[k], 1e-15 * expected[k]) << "point " << k;
  }
}

TEST(LogFprGrid, ExactEnds) {
  const std::vector<double> grid = log_fpr_grid(3e-4, 17);
  ASSERT_EQ(grid.size(), 17u);
  EXPECT_EQ(grid.front(), 3e-4);
  EXPECT_EQ(grid.back(), 1.0);
}

TEST(LogFprGrid, TwoPoints) {
  const std::vector<double> grid = log_fpr_grid(0.5, 2);
  ASSERT_EQ(grid.size(), 2u);
  EXPECT_EQ(grid[0], 0.5);
  EXPECT_EQ(grid[1], 1.0);
}

TEST(LogFprGrid, RejectsInvalidArguments) {
  EXPECT_THROW(log_fpr_grid(0.0, 10), InternalError);
  EXPECT_THROW(log_fpr_grid(1.0, 10), InternalError);
  EXPECT_THROW(log_fpr_grid(kNaN, 10), InternalError);
  EXPECT_THROW(log_fpr_grid(1e-3, 1), InternalError);
}

TEST(InterpolateTpr, AppliesTprAtFprPerPoint) {
  const RocCurve curve = roc_curve(kScores, kLabels);
  const std::vector<double> grid = {0.05, 0.1, 0.15, 1.0};
  const std::vector<double> tpr = interpolate_tpr(curve, grid);
  ASSERT_EQ(tpr.size(), grid.size());
  for (std::size_t k = 0; k < grid.size(); ++k) {
    EXPECT_EQ(tpr[k], tpr_at_fpr(curve, grid[k])) << "point " << k;
  }
}

}  // namespace
}  // namespace privaudit::stats
