#include "stats/normal.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Relative tolerance for pinned reference values: a few units in the last place.
constexpr double kRelTol = 1e-15;

void expect_rel_near(double actual, double expected) {
  EXPECT_NEAR(actual, expected, kRelTol * std::abs(expected)) << "expected " << expected;
}

TEST(NormalCdf, Zero) { EXPECT_EQ(normal_cdf(0.0), 0.5); }

// Reference values: mpmath 1.2.1 mpmath.ncdf at 40 digits, and scipy 1.10.1 scipy.stats.norm.cdf.
// scipy rounds x / sqrt 2 in double, which costs it up to x^2 * 1e-16 relative in the lower tail,
// so it is checked with a tolerance of that size.
constexpr double kScipyTailRelTol = 2e-13;

TEST(NormalCdf, FarLowerTail) {
  expect_rel_near(normal_cdf(-30.0), 4.9067139271481870595e-198);
  EXPECT_NEAR(normal_cdf(-30.0), 4.906713927147908e-198, kScipyTailRelTol * 4.9e-198);
}

TEST(NormalCdf, LowerTail) {
  expect_rel_near(normal_cdf(-8.0), 6.2209605742717841235e-16);
  EXPECT_NEAR(normal_cdf(-8.0), 6.22096057427174e-16, kScipyTailRelTol * 6.2e-16);
}

TEST(NormalCdf, Central) { expect_rel_near(normal_cdf(-1.5), 0.06680720126885807); }

TEST(NormalCdf, UpperTail) { expect_rel_near(normal_cdf(8.0), 0.9999999999999993); }

TEST(NormalCdf, Symmetry) { EXPECT_NEAR(normal_cdf(1.5) + normal_cdf(-1.5), 1.0, 1e-15); }

TEST(NormalCdf, Infinities) {
  EXPECT_EQ(normal_cdf(-kInf), 0.0);
  EXPECT_EQ(normal_cdf(kInf), 1.0);
}

TEST(NormalCdf, NaN) { EXPECT_TRUE(std::isnan(normal_cdf(kNaN))); }

// Reference values: scipy 1.10.1 scipy.stats.norm.ppf.
TEST(NormalQuantile, ExtremeLowerTail) { expect_rel_near(normal_quantile(1e-300), -37.0470962993612); }

TEST(NormalQuantile, LowerTail) { expect_rel_near(normal_quantile(1e-10), -6.361340902404056); }

TEST(NormalQuantile, UpperTail) {
  // 1 - 1e-10 is not exact in double, hence the different magnitude from the lower tail.
  expect_rel_near(normal_quantile(1.0 - 1e-10), 6.361340889697422);
}

TEST(NormalQuantile, Central) {
  expect_rel_near(normal_quantile(0.025), -1.9599639845400545);
  expect_rel_near(normal_quantile(0.975), 1.959963984540054);
}

TEST(NormalQuantile, Median) { EXPECT_EQ(normal_quantile(0.5), 0.0); }

TEST(NormalQuantile, Ends) {
  EXPECT_EQ(normal_quantile(0.0), -kInf);
  EXPECT_EQ(normal_quantile(1.0), kInf);
}

TEST(NormalQuantile, OutsideDomain) {
  EXPECT_TRUE(std::isnan(normal_quantile(-0.1)));
  EXPECT_TRUE(std::isnan(normal_quantile(1.5)));
  EXPECT_TRUE(std::isnan(normal_quantile(kNaN)));
}

TEST(NormalQuantile, InvertsCdfInTail) { EXPECT_NEAR(normal_quantile(normal_cdf(-30.0)), -30.0, 1e-12); }

// Reference values: scipy 1.10.1 scipy.stats.norm.logpdf(x, loc, scale).
TEST(NormalLogpdf, Standard) {
  expect_rel_near(normal_logpdf(0.0, 0.0, 1.0), -0.9189385332046727);
  expect_rel_near(normal_logpdf(-30.0, 0.0, 1.0), -450.91893853320465);
  expect_rel_near(normal_logpdf(8.0, 0.0, 1.0), -32.918938533204674);
}

TEST(NormalLogpdf, ShiftedScaled) {
  expect_rel_near(normal_logpdf(0.5, 1.0, 2.0), -1.643335713764618);
  expect_rel_near(normal_logpdf(-3.0, 2.0, 0.25), -199.5326441720848);
}

TEST(NormalLogpdf, RejectsNonPositiveSd) {
  EXPECT_THROW(normal_logpdf(0.0, 0.0, 0.0), InternalError);
  EXPECT_THROW(normal_logpdf(0.0, 0.0, -1.0), InternalError);
}

TEST(NormalLogpdf, NaNPropagates) {
  EXPECT_TRUE(std::isnan(normal_logpdf(kNaN, 0.0, 1.0)));
  EXPECT_TRUE(std::isnan(normal_logpdf(0.0, 0.0, kNaN)));
}

}  // namespace
}  // namespace privaudit::stats
