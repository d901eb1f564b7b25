#include "stats/descriptive.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const std::vector<double> kSample = {2.5, -1.0, 4.0, 4.0, 0.5, 3.25, 10.0, -7.5};

// Reference values: numpy 1.24.2 numpy.mean and numpy.std(values, ddof).
TEST(MeanSd, PopulationSd) {
  const MeanSd result = mean_sd(kSample);
  EXPECT_DOUBLE_EQ(result.mean, 1.96875);
  EXPECT_DOUBLE_EQ(result.sd, 4.681141520772471);
}

TEST(MeanSd, SampleSd) {
  const MeanSd result = mean_sd(kSample, 1);
  EXPECT_DOUBLE_EQ(result.mean, 1.96875);
  EXPECT_DOUBLE_EQ(result.sd, 5.004350785637862);
}

TEST(MeanSd, LargeOffset) {
  // A one-pass sum of squares loses every digit here. numpy.std gives sqrt(2/3).
  const std::vector<double> values = {1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0};
  EXPECT_DOUBLE_EQ(mean_sd(values).sd, 0.816496580927726);
}

TEST(MeanSd, Constant) {
  const std::vector<double> values = {3.5, 3.5, 3.5};
  const MeanSd result = mean_sd(values);
  EXPECT_EQ(result.mean, 3.5);
  EXPECT_EQ(result.sd, 0.0);
}

TEST(MeanSd, Empty) {
  const MeanSd result = mean_sd({});
  EXPECT_TRUE(std::isnan(result.mean));
  EXPECT_TRUE(std::isnan(result.sd));
}

TEST(MeanSd, TooFewForDdof) {
  const std::vector<double> values = {1.0};
  const MeanSd result = mean_sd(values, 1);
  EXPECT_TRUE(std::isnan(result.mean));
  EXPECT_TRUE(std::isnan(result.sd));
}

TEST(MeanSd, NaNPropagates) {
  const std::vector<double> values = {1.0, kNaN};
  const MeanSd result = mean_sd(values);
  EXPECT_TRUE(std::isnan(result.mean));
  EXPECT_TRUE(std::isnan(result.sd));
}

// Reference values: numpy 1.24.2 numpy.median.
TEST(Median, EvenSize) { EXPECT_EQ(median(kSample), 2.875); }

TEST(Median, OddSize) {
  const std::vector<double> first_seven(kSample.begin(), kSample.begin() + 7);
  EXPECT_EQ(median(first_seven), 3.25);
}

TEST(Median, SingleValue) {
  const std::vector<double> values = {-2.0};
  EXPECT_EQ(median(values), -2.0);
}

TEST(Median, Empty) { EXPECT_TRUE(std::isnan(median({}))); }

TEST(Median, NaNInput) {
  const std::vector<double> values = {1.0, kNaN, 3.0};
  EXPECT_TRUE(std::isnan(median(values)));
}

// Reference values: numpy 1.24.2 numpy.quantile(numpy.sort(kSample), q).
TEST(QuantileSorted, MatchesNumpyLinear) {
  std::vector<double> sorted = kSample;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_DOUBLE_EQ(quantile_sorted(sorted, 0.1), -2.9499999999999993);
  EXPECT_DOUBLE_EQ(quantile_sorted(sorted, 0.25), 0.125);
  EXPECT_DOUBLE_EQ(quantile_sorted(sorted, 0.5), 2.875);
  EXPECT_DOUBLE_EQ(quantile_sorted(sorted, 0.9), 5.799999999999999);
}

TEST(QuantileSorted, Ends) {
  std::vector<double> sorted = kSample;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(quantile_sorted(sorted, 0.0), -7.5);
  EXPECT_EQ(quantile_sorted(sorted, 1.0), 10.0);
}

TEST(QuantileSorted, SingleValue) {
  const std::vector<double> values = {4.0};
  EXPECT_EQ(quantile_sorted(values, 0.0), 4.0);
  EXPECT_EQ(quantile_sorted(values, 0.7), 4.0);
  EXPECT_EQ(quantile_sorted(values, 1.0), 4.0);
}

TEST(QuantileSorted, Empty) { EXPECT_TRUE(std::isnan(quantile_sorted({}, 0.5))); }

TEST(QuantileSorted, RejectsQOutsideUnitInterval) {
  const std::vector<double> values = {1.0, 2.0};
  EXPECT_THROW(quantile_sorted(values, -0.1), InternalError);
  EXPECT_THROW(quantile_sorted(values, 1.1), InternalError);
  EXPECT_THROW(quantile_sorted(values, kNaN), InternalError);
}

}  // namespace
}  // namespace privaudit::stats
