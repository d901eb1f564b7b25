#include "stats/correlation.h"

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Reference values: scipy 1.10.1 scipy.stats.rankdata(x) (method "average").
TEST(MidRanks, Ties) {
  const std::vector<double> x = {1, 2, 2, 3, 4, 4, 4, 5, 6, 7};
  const std::vector<double> expected = {1, 2.5, 2.5, 4, 6, 6, 6, 8, 9, 10};
  EXPECT_EQ(mid_ranks(x), expected);
}

TEST(MidRanks, Unsorted) {
  const std::vector<double> x = {0.3, -1.0, 0.3, 2.0};
  const std::vector<double> expected = {2.5, 1, 2.5, 4};
  EXPECT_EQ(mid_ranks(x), expected);
}

TEST(MidRanks, Empty) { EXPECT_TRUE(mid_ranks({}).empty()); }

// Reference values: scipy 1.10.1 scipy.stats.spearmanr(x, y).
TEST(Spearman, TiesInX) {
  const std::vector<double> x = {1, 2, 2, 3, 4, 4, 4, 5, 6, 7};
  const std::vector<double> y = {2, 1, 4, 3, 3, 6, 5, 7, 7, 9};
  const Correlation result = spearman(x, y);
  EXPECT_NEAR(result.rho, 0.8916793283125259, 1e-14);
  EXPECT_NEAR(result.p_value, 0.0005275018166892274, 1e-15);
  EXPECT_EQ(result.n, 10u);
}

TEST(Spearman, TiesInBoth) {
  const std::vector<double> x = {0.9, 0.1, 0.5, 0.5, 0.3, 0.8, 0.2};
  const std::vector<double> y = {0.2, 0.7, 0.4, 0.6, 0.6, 0.1, 0.9};
  const Correlation result = spearman(x, y);
  EXPECT_NEAR(result.rho, -0.9000000000000001, 1e-14);
  EXPECT_NEAR(result.p_value, 0.005751515181902872, 1e-14);
}

TEST(Spearman, FiveValues) {
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const std::vector<double> y = {5, 6, 7, 8, 7};
  const Correlation result = spearman(x, y);
  EXPECT_NEAR(result.rho, 0.8207826816681233, 1e-14);
  EXPECT_NEAR(result.p_value, 0.08858700531354381, 1e-14);
}

TEST(Spearman, PerfectIsZeroP) {
  const std::vector<double> x = {1, 2, 3, 4};
  const std::vector<double> y = {10, 20, 30, 40};
  const Correlation result = spearman(x, y);
  EXPECT_EQ(result.rho, 1.0);
  EXPECT_EQ(result.p_value, 0.0);
}

TEST(Spearman, InvertedIsMinusOne) {
  const std::vector<double> x = {1, 2, 3, 4};
  const std::vector<double> y = {4, 3, 2, 1};
  const Correlation result = spearman(x, y);
  EXPECT_EQ(result.rho, -1.0);
  EXPECT_EQ(result.p_value, 0.0);
}

TEST(Spearman, ConstantIsNaN) {
  const std::vector<double> x = {1, 2, 3, 4};
  const std::vector<double> y = {5, 5, 5, 5};
  const Correlation result = spearman(x, y);
  EXPECT_TRUE(std::isnan(result.rho));
  EXPECT_TRUE(std::isnan(result.p_value));
  EXPECT_EQ(result.n, 4u);
}

TEST(Spearman, TwoPairsIsNaN) {
  const std::vector<double> x = {1, 2};
  const std::vector<double> y = {2, 1};
  const Correlation result = spearman(x, y);
  EXPECT_TRUE(std::isnan(result.rho));
  EXPECT_TRUE(std::isnan(result.p_value));
}

TEST(Spearman, EmptyIsNaN) {
  const Correlation result = spearman({}, {});
  EXPECT_TRUE(std::isnan(result.rho));
  EXPECT_EQ(result.n, 0u);
}

TEST(Spearman, NaNInputIsNaN) {
  const std::vector<double> x = {1, 2, kNaN, 4};
  const std::vector<double> y = {1, 2, 3, 4};
  EXPECT_TRUE(std::isnan(spearman(x, y).rho));
  EXPECT_TRUE(std::isnan(spearman(y, x).p_value));
}

TEST(Spearman, LengthMismatchThrows) {
  const std::vector<double> x = {1, 2, 3};
  const std::vector<double> y = {1, 2};
  EXPECT_THROW(spearman(x, y), InternalError);
}

}  // namespace
}  // namespace privaudit::stats
