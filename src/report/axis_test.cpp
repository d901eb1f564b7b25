#include "report/axis.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::report {
namespace {

void expect_values(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(actual[i], expected[i], 1e-12 * std::max(1.0, std::fabs(expected[i]))) << "index " << i;
  }
}

TEST(NiceStep, RoundsUpToOneTwoFive) {
  EXPECT_DOUBLE_EQ(nice_step(0.186), 0.2);
  EXPECT_DOUBLE_EQ(nice_step(0.2), 0.2);
  EXPECT_DOUBLE_EQ(nice_step(0.21), 0.5);
  EXPECT_DOUBLE_EQ(nice_step(0.7), 1.0);
  EXPECT_DOUBLE_EQ(nice_step(3.0), 5.0);
  EXPECT_DOUBLE_EQ(nice_step(1.0), 1.0);
  EXPECT_DOUBLE_EQ(nice_step(12.0), 20.0);
}

TEST(NiceStep, RejectsNonPositive) {
  EXPECT_THROW(nice_step(0.0), InternalError);
  EXPECT_THROW(nice_step(std::nan("")), InternalError);
}

TEST(LinearTicks, ZeroTo093ExtendsToOne) {
  // (0.93 - 0) / 5 = 0.186 rounds up to the step 0.2; the domain grows to [0, 1].
  const TickSet ticks = linear_ticks(0.0, 0.93);
  EXPECT_DOUBLE_EQ(ticks.domain_min, 0.0);
  EXPECT_DOUBLE_EQ(ticks.domain_max, 1.0);
  expect_values(ticks.major, {0.0, 0.2, 0.4, 0.6, 0.8, 1.0});
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
  EXPECT_TRUE(ticks.minor.empty());
}

TEST(LinearTicks, ZeroTo093WithoutExtend) {
  const TickSet ticks = linear_ticks(0.0, 0.93, 5, false);
  EXPECT_DOUBLE_EQ(ticks.domain_max, 0.93);
  expect_values(ticks.major, {0.0, 0.2, 0.4, 0.6, 0.8});
}

TEST(LinearTicks, SignedRangeHasZeroWithoutMinusSign) {
  // (3.7 + 2.3) / 5 = 1.2 rounds up to the step 2.
  const TickSet ticks = linear_ticks(-2.3, 3.7);
  EXPECT_DOUBLE_EQ(ticks.domain_min, -4.0);
  EXPECT_DOUBLE_EQ(ticks.domain_max, 4.0);
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"-4", "-2", "0", "2", "4"}));
  const TickSet tenths = linear_ticks(-0.3, 0.3, 6);
  EXPECT_EQ(tenths.labels, (std::vector<std::string>{"-0.3", "-0.2", "-0.1", "0.0", "0.1", "0.2", "0.3"}));
}

TEST(LinearTicks, SmallStepLabelsHaveTwoDecimals) {
  const TickSet ticks = linear_ticks(0.0, 0.23);
  // 0.046 rounds up to 0.05.
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"0.00", "0.05", "0.10", "0.15", "0.20", "0.25"}));
}

TEST(LinearTicks, EmptyRangeIsWidened) {
  const TickSet zero = linear_ticks(0.0, 0.0);
  EXPECT_LT(zero.domain_min, 0.0);
  EXPECT_GT(zero.domain_max, 0.0);
  const TickSet five = linear_ticks(5.0, 5.0);
  EXPECT_LT(five.domain_min, 5.0);
  EXPECT_GT(five.domain_max, 5.0);
  EXPECT_GE(five.major.size(), 2u);
}

TEST(Log10Ticks, DecadesFrom1e4To1) {
  const TickSet ticks = log10_ticks(1e-4, 1.0);
  EXPECT_DOUBLE_EQ(ticks.domain_min, 1e-4);
  EXPECT_DOUBLE_EQ(ticks.domain_max, 1.0);
  expect_values(ticks.major, {1e-4, 1e-3, 1e-2, 1e-1, 1.0});
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"0.0001", "0.001", "0.01", "0.1", "1"}));
  // Eight minor ticks (2..9) in each of the four decades.
  ASSERT_EQ(ticks.minor.size(), 32u);
  EXPECT_NEAR(ticks.minor.front(), 2e-4, 1e-18);
  EXPECT_NEAR(ticks.minor[7], 9e-4, 1e-18);
  EXPECT_NEAR(ticks.minor.back(), 0.9, 1e-15);
}

TEST(Log10Ticks, DecadePositionsAreEvenlySpaced) {
  const TickSet ticks = log10_ticks(1e-4, 1.0);
  const Scale scale(ScaleKind::log10, ticks.domain_min, ticks.domain_max, 0.0, 400.0);
  const std::vector<double> expected = {0.0, 100.0, 200.0, 300.0, 400.0};
  for (std::size_t i = 0; i < ticks.major.size(); ++i) {
    EXPECT_NEAR(scale.map(ticks.major[i]), expected[i], 1e-9) << ticks.labels[i];
  }
  // 2e-4 sits log10(2) of a decade above 1e-4.
  EXPECT_NEAR(scale.map(2e-4), 100.0 * std::log10(2.0), 1e-9);
}

TEST(Log10Ticks, ExtendRoundsToDecades) {
  // The survival axis from 1/3745 to 1.
  const TickSet ticks = log10_ticks(1.0 / 3745.0, 1.0, true);
  EXPECT_DOUBLE_EQ(ticks.domain_min, 1e-4);
  EXPECT_DOUBLE_EQ(ticks.domain_max, 1.0);
  const TickSet fixed = log10_ticks(1.0 / 3745.0, 1.0, false);
  EXPECT_DOUBLE_EQ(fixed.domain_min, 1.0 / 3745.0);
  expect_values(fixed.major, {1e-3, 1e-2, 1e-1, 1.0});
  // Minor ticks start inside the domain: 3e-4 > 1/3745 > 2e-4.
  EXPECT_NEAR(fixed.minor.front(), 3e-4, 1e-18);
}

TEST(Log10Ticks, NarrowDomainLabelsTwoAndFive) {
  const TickSet ticks = log10_ticks(0.15, 0.9);
  expect_values(ticks.major, {0.2, 0.5});
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"0.2", "0.5"}));
}

TEST(Log10Ticks, PowerNotation) {
  EXPECT_EQ(format_log10_tick(1e-5, true), "10⁻⁵");
  EXPECT_EQ(format_log10_tick(2e-6, true), "2×10⁻⁶");
  EXPECT_EQ(format_log10_tick(1e6, true), "10⁶");
  EXPECT_EQ(format_log10_tick(1.0, true), "10⁰");
  EXPECT_EQ(format_log10_tick(1e-3, false), "0.001");
  EXPECT_EQ(format_log10_tick(1e4, false), "10000");
}

TEST(Log10Ticks, WideAxisUsesPowersForAllLabels) {
  const TickSet ticks = log10_ticks(1e-5, 1.0);
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰"}));
}

TEST(Log10Ticks, RejectsNonPositive) {
  EXPECT_THROW(log10_ticks(0.0, 1.0), InternalError);
  EXPECT_THROW(log10_ticks(-1.0, 1.0), InternalError);
}

TEST(Scale, LinearMapsAndFlips) {
  const Scale scale(ScaleKind::linear, 0.0, 1.0, 300.0, 100.0);
  EXPECT_DOUBLE_EQ(scale.map(0.0), 300.0);
  EXPECT_DOUBLE_EQ(scale.map(1.0), 100.0);
  EXPECT_DOUBLE_EQ(scale.map(0.25), 250.0);
  EXPECT_DOUBLE_EQ(scale.map(2.0), -100.0);
}

TEST(Scale, UndrawableValuesAreNaN) {
  const Scale log(ScaleKind::log10, 1e-3, 1.0, 0.0, 300.0);
  EXPECT_TRUE(std::isnan(log.map(0.0)));
  EXPECT_TRUE(std::isnan(log.map(-1.0)));
  EXPECT_TRUE(std::isnan(log.map(std::nan(""))));
  EXPECT_TRUE(std::isnan(log.map(INFINITY)));
  const Scale linear(ScaleKind::linear, 0.0, 1.0, 0.0, 100.0);
  EXPECT_TRUE(std::isnan(linear.map(-INFINITY)));
  EXPECT_TRUE(linear.drawable(-5.0));
}

TEST(Scale, ClampedMapStaysInRange) {
  const Scale log(ScaleKind::log10, 1e-3, 1.0, 0.0, 300.0);
  EXPECT_DOUBLE_EQ(log.map_clamped(0.0), 0.0);
  EXPECT_DOUBLE_EQ(log.map_clamped(5.0), 300.0);
  EXPECT_DOUBLE_EQ(log.map_clamped(INFINITY), 300.0);
  EXPECT_TRUE(std::isnan(log.map_clamped(std::nan(""))));
}

TEST(Scale, RejectsInvalidDomain) {
  EXPECT_THROW(Scale(ScaleKind::linear, 1.0, 1.0, 0.0, 1.0), InternalError);
  EXPECT_THROW(Scale(ScaleKind::log10, 0.0, 1.0, 0.0, 1.0), InternalError);
}

}  // namespace
}  // namespace privaudit::report
