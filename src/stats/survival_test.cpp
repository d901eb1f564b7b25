#include "stats/survival.h"

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Five finite values with a tie at 0.7, plus a NaN and an infinity that are dropped.
const std::vector<double> kValues = {0.7, 0.6, kNaN, 0.9, 0.7, kInf, 0.8};

TEST(SurvivalFunction, HandComputedSf) {
  const SurvivalCurve curve = survival_function(kValues);
  EXPECT_EQ(curve.n, 5u);
  EXPECT_EQ(curve.x, (std::vector<double>{0.6, 0.7, 0.8, 0.9}));
  EXPECT_EQ(curve.sf, (std::vector<double>{0.8, 0.4, 0.2, 0.0}));
}

TEST(SurvivalFunction, HandComputedBand) {
  // Greenwood by hand for n = 5: at 0.6, 5 at risk, 1 event: S = 0.8, sum = 1 / (5 * 4) = 0.05,
  // Var = 0.64 * 0.05 = 0.032. At 0.7, 4 at risk, 2 events: S = 0.4, sum = 0.05 + 2 / (4 * 2) =
  // 0.3, Var = 0.16 * 0.3 = 0.048. At 0.8, 2 at risk, 1 event: S = 0.2, sum = 0.3 + 1 / 2 = 0.8,
  // Var = 0.04 * 0.8 = 0.032. At 0.9: S = 0, Var = 0.
  const SurvivalCurve curve = survival_function(kValues, 1.5);
  ASSERT_EQ(curve.lower.size(), 4u);
  EXPECT_NEAR(curve.lower[0], 0.8 - 1.5 * std::sqrt(0.032), 1e-15);
  EXPECT_EQ(curve.upper[0], 1.0);  // 0.8 + 0.268 clipped
  EXPECT_NEAR(curve.lower[1], 0.4 - 1.5 * std::sqrt(0.048), 1e-15);
  EXPECT_NEAR(curve.upper[1], 0.4 + 1.5 * std::sqrt(0.048), 1e-15);
  EXPECT_EQ(curve.lower[2], 0.0);  // 0.2 - 0.268 clipped
  EXPECT_NEAR(curve.upper[2], 0.2 + 1.5 * std::sqrt(0.032), 1e-15);
  EXPECT_EQ(curve.lower[3], 0.0);
  EXPECT_EQ(curve.upper[3], 0.0);
}

TEST(SurvivalFunction, ZeroZIsPointEstimate) {
  const SurvivalCurve curve = survival_function(kValues, 0.0);
  EXPECT_EQ(curve.lower, curve.sf);
  EXPECT_EQ(curve.upper, curve.sf);
}

TEST(SurvivalFunction, Empty) {
  const SurvivalCurve curve = survival_function({});
  EXPECT_EQ(curve.n, 0u);
  EXPECT_TRUE(curve.x.empty());
  EXPECT_TRUE(curve.sf.empty());
}

TEST(SurvivalFunction, AllNaN) {
  const std::vector<double> values = {kNaN, kNaN};
  const SurvivalCurve curve = survival_function(values);
  EXPECT_EQ(curve.n, 0u);
  EXPECT_TRUE(curve.x.empty());
}

TEST(SurvivalFunction, SingleValue) {
  const std::vector<double> values = {0.5, 0.5};
  const SurvivalCurve curve = survival_function(values);
  EXPECT_EQ(curve.x, (std::vector<double>{0.5}));
  EXPECT_EQ(curve.sf, (std::vector<double>{0.0}));
}

TEST(SurvivalFunction, InvalidZThrows) {
  EXPECT_THROW(survival_function(kValues, -1.0), InternalError);
  EXPECT_THROW(survival_function(kValues, kNaN), InternalError);
}

TEST(ProductLimit, HandComputedCensored) {
  // 10 at risk with 1 event, one unit censored, 8 at risk with 2 events, one censored, 5 at risk
  // with 1 event. By hand: S = 0.9, 0.675, 0.54, and Greenwood sums 1/90, 1/90 + 2/48,
  // 1/90 + 2/48 + 1/20.
  const std::vector<std::size_t> at_risk = {10, 8, 5};
  const std::vector<std::size_t> events = {1, 2, 1};
  const ProductLimit result = product_limit(at_risk, events);
  ASSERT_EQ(result.survival.size(), 3u);
  EXPECT_NEAR(result.survival[0], 0.9, 1e-15);
  EXPECT_NEAR(result.survival[1], 0.675, 1e-15);
  EXPECT_NEAR(result.survival[2], 0.54, 1e-15);
  EXPECT_NEAR(result.variance[0], 0.81 / 90.0, 1e-15);
  EXPECT_NEAR(result.variance[1], 0.455625 * (1.0 / 90.0 + 2.0 / 48.0), 1e-15);
  EXPECT_NEAR(result.variance[2], 0.2916 * (1.0 / 90.0 + 2.0 / 48.0 + 1.0 / 20.0), 1e-15);
}

TEST(ProductLimit, LastEventGivesZero) {
  const std::vector<std::size_t> at_risk = {3, 2};
  const std::vector<std::size_t> events = {1, 2};
  const ProductLimit result = product_limit(at_risk, events);
  EXPECT_EQ(result.survival[1], 0.0);
  EXPECT_EQ(result.variance[1], 0.0);
}

TEST(ProductLimit, MoreEventsThanAtRiskThrows) {
  const std::vector<std::size_t> at_risk = {3};
  const std::vector<std::size_t> events = {4};
  EXPECT_THROW(product_limit(at_risk, events), InternalError);
}

TEST(ProductLimit, GrowingAtRiskThrows) {
  const std::vector<std::size_t> at_risk = {3, 3};
  const std::vector<std::size_t> events = {1, 1};
  EXPECT_THROW(product_limit(at_risk, events), InternalError);
}

TEST(ProductLimit, LengthMismatchThrows) {
  const std::vector<std::size_t> at_risk = {3, 2};
  const std::vector<std::size_t> events = {1};
  EXPECT_THROW(product_limit(at_risk, events), InternalError);
}

// Greenwood's sum without censoring equals the binomial variance S (1 - S) / n that
// survival_function() uses, and survival_function() gives the same S as the product limit.
TEST(ProductLimit, UncensoredIdentity) {
  // 200 values with many ties: (i * 37) mod 23 / 23.
  std::vector<double> values;
  for (int i = 0; i < 200; ++i) {
    values.push_back(static_cast<double>((i * 37) % 23) / 23.0);
  }
  const SurvivalCurve curve = survival_function(values, 1.0);

  // Events per distinct value, and units at risk = units not yet failed.
  std::vector<std::size_t> at_risk;
  std::vector<std::size_t> events;
  std::size_t remaining = values.size();
  for (const double x : curve.x) {
    std::size_t count = 0;
    for (const double v : values) {
      count += v == x ? 1 : 0;
    }
    at_risk.push_back(remaining);
    events.push_back(count);
    remaining -= count;
  }
  const ProductLimit limit = product_limit(at_risk, events);

  const auto n = static_cast<double>(values.size());
  for (std::size_t k = 0; k < curve.x.size(); ++k) {
    const double s = curve.sf[k];
    EXPECT_NEAR(limit.survival[k], s, 1e-13) << "k = " << k;
    EXPECT_NEAR(limit.variance[k], s * (1.0 - s) / n, 1e-15) << "k = " << k;
    // With z = 1 the band half-width is the standard error, unless clipped.
    if (curve.upper[k] < 1.0 && curve.lower[k] > 0.0) {
      EXPECT_NEAR(curve.upper[k] - s, std::sqrt(limit.variance[k]), 1e-12) << "k = " << k;
    }
  }
}

SurvivalCurve ramp_curve(std::size_t points) {
  std::vector<double> values;
  for (std::size_t i = 0; i < points; ++i) {
    values.push_back(static_cast<double>(i));
  }
  return survival_function(values);
}

TEST(Downsample, KeepsTailAndFirst) {
  const SurvivalCurve curve = ramp_curve(1000);
  const SurvivalCurve thin = downsample(curve, 300);
  ASSERT_EQ(thin.x.size(), 300u);
  EXPECT_EQ(thin.sf.size(), 300u);
  EXPECT_EQ(thin.lower.size(), 300u);
  EXPECT_EQ(thin.upper.size(), 300u);
  EXPECT_EQ(thin.n, 1000u);
  EXPECT_EQ(thin.x.front(), 0.0);
  for (std::size_t k = 0; k < kSurvivalTailPoints; ++k) {
    EXPECT_EQ(thin.x[100 + k], curve.x[800 + k]) << "tail point " << k;
    EXPECT_EQ(thin.sf[100 + k], curve.sf[800 + k]) << "tail point " << k;
  }
}

TEST(Downsample, BodyEvenlySpaced) {
  const SurvivalCurve curve = ramp_curve(1000);
  const SurvivalCurve thin = downsample(curve, 300);
  // Body: 800 points thinned to 100, spacing 799 / 99 = 8.07, so gaps of 8 or 9, ending at 799.
  for (std::size_t k = 1; k < 100; ++k) {
    const double gap = thin.x[k] - thin.x[k - 1];
    EXPECT_TRUE(gap == 8.0 || gap == 9.0) << "gap " << gap << " at " << k;
  }
  EXPECT_EQ(thin.x[99], 799.0);
}

TEST(Downsample, SmallCurveUnchanged) {
  const SurvivalCurve curve = ramp_curve(250);
  const SurvivalCurve thin = downsample(curve, 250);
  EXPECT_EQ(thin.x, curve.x);
  EXPECT_EQ(thin.upper, curve.upper);
}

TEST(Downsample, OneBodyPoint) {
  const SurvivalCurve thin = downsample(ramp_curve(500), kSurvivalTailPoints + 1);
  ASSERT_EQ(thin.x.size(), kSurvivalTailPoints + 1);
  EXPECT_EQ(thin.x[0], 0.0);
  EXPECT_EQ(thin.x[1], 300.0);
}

TEST(Downsample, TooFewPointsThrows) {
  EXPECT_THROW(downsample(ramp_curve(10), kSurvivalTailPoints), InternalError);
}

}  // namespace
}  // namespace privaudit::stats
