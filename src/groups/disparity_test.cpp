#include "groups/disparity.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/random.h"

namespace privaudit::groups {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Grouping make_groups(std::vector<std::int32_t> group_of_unit, std::size_t groups) {
  Grouping grouping;
  grouping.attribute = "test";
  for (std::size_t g = 0; g < groups; ++g) {
    grouping.group_names.push_back(fmt::format("g{}", g));
  }
  grouping.group_of_unit = std::move(group_of_unit);
  return grouping;
}

// 40 units in groups of 10, 12, 9 and 9. The top half (20 units) contains 9, 3, 5 and 3 of them.
struct HandExample {
  Grouping grouping;
  std::vector<double> auc;
};

HandExample hand_example() {
  const std::vector<std::size_t> sizes = {10, 12, 9, 9};
  const std::vector<std::size_t> in_top = {9, 3, 5, 3};
  HandExample example;
  std::vector<std::int32_t> group_of_unit;
  for (std::size_t g = 0; g < sizes.size(); ++g) {
    for (std::size_t k = 0; k < sizes[g]; ++k) {
      group_of_unit.push_back(static_cast<std::int32_t>(g));
      // Distinct AUCs: above 0.8 for the top units, below 0.5 for the rest.
      const double offset = 0.001 * static_cast<double>(group_of_unit.size());
      example.auc.push_back(k < in_top[g] ? 0.8 + offset : 0.5 - offset);
    }
  }
  example.grouping = make_groups(std::move(group_of_unit), sizes.size());
  return example;
}

TEST(Disparity, HandCounts) {
  const HandExample example = hand_example();
  const Disparity result = top_fraction_disparity(example.grouping, example.auc, 0.5);
  EXPECT_EQ(result.units, 40u);
  EXPECT_EQ(result.top_n, 20u);
  ASSERT_EQ(result.groups.size(), 4u);
  EXPECT_EQ(result.groups[0].units, 10u);
  EXPECT_DOUBLE_EQ(result.groups[0].share, 0.25);
  EXPECT_EQ(result.groups[0].observed, 9u);
  EXPECT_DOUBLE_EQ(result.groups[0].expected, 5.0);
  EXPECT_DOUBLE_EQ(result.groups[0].residual, 4.0 / std::sqrt(5.0));
  EXPECT_DOUBLE_EQ(result.groups[0].relative_difference, 0.8);
  EXPECT_EQ(result.groups[1].observed, 3u);
  EXPECT_DOUBLE_EQ(result.groups[1].expected, 6.0);
  EXPECT_DOUBLE_EQ(result.groups[1].relative_difference, -0.5);
  EXPECT_EQ(result.groups[2].observed, 5u);
  EXPECT_DOUBLE_EQ(result.groups[2].expected, 4.5);
  EXPECT_EQ(result.groups[3].observed, 3u);
  EXPECT_DOUBLE_EQ(result.groups[3].expected, 4.5);
}

// Reference values: scipy 1.10.1 scipy.stats.chisquare([9, 3, 5, 3], [5, 6, 4.5, 4.5]).
TEST(Disparity, ChiSquareMatchesScipy) {
  const HandExample example = hand_example();
  const Disparity result = top_fraction_disparity(example.grouping, example.auc, 0.5);
  EXPECT_NEAR(result.chi_square, 5.2555555555555555, 1e-13);
  EXPECT_EQ(result.dof, 3u);
  EXPECT_NEAR(result.p_value, 0.15401246115300285, 1e-14);
}

TEST(Disparity, TiesGoToLowerIndex) {
  const Grouping grouping = make_groups({1, 1, 0, 0}, 2);
  const std::vector<double> auc = {0.7, 0.7, 0.7, 0.7};
  const Disparity result = top_fraction_disparity(grouping, auc, 0.5);
  EXPECT_EQ(result.groups[0].observed, 0u);
  EXPECT_EQ(result.groups[1].observed, 2u);
}

TEST(Disparity, NaNNeverInTop) {
  const Grouping grouping = make_groups({0, 1, 1, 0, 1}, 2);
  const std::vector<double> auc = {kNaN, 0.2, 0.3, 0.1, kNaN};
  const Disparity result = top_fraction_disparity(grouping, auc, 0.5);
  EXPECT_EQ(result.units, 3u);
  EXPECT_EQ(result.top_n, 1u);
  EXPECT_EQ(result.groups[0].units, 1u);
  EXPECT_EQ(result.groups[1].units, 2u);
  EXPECT_EQ(result.groups[1].observed, 1u);
  EXPECT_DOUBLE_EQ(result.groups[1].share, 2.0 / 3.0);
}

TEST(Disparity, TopCountRoundsDown) {
  const Grouping grouping = make_groups(std::vector<std::int32_t>(150, 0), 1);
  const std::vector<double> auc(150, 0.5);
  EXPECT_EQ(top_fraction_disparity(grouping, auc, 0.01).top_n, 1u);
}

TEST(Disparity, TopCountToleratesBinaryRounding) {
  // 0.29 * 100 evaluates to 28.999999999999996.
  const Grouping grouping = make_groups(std::vector<std::int32_t>(100, 0), 1);
  const std::vector<double> auc(100, 0.5);
  EXPECT_EQ(top_fraction_disparity(grouping, auc, 0.29).top_n, 29u);
}

TEST(Disparity, OneGroupHasNaNP) {
  const Grouping grouping = make_groups(std::vector<std::int32_t>(100, 0), 1);
  const std::vector<double> auc(100, 0.5);
  const Disparity result = top_fraction_disparity(grouping, auc, 0.1);
  EXPECT_EQ(result.dof, 0u);
  EXPECT_EQ(result.chi_square, 0.0);
  EXPECT_TRUE(std::isnan(result.p_value));
  EXPECT_EQ(result.groups[0].residual, 0.0);
}

TEST(Disparity, EmptyGroupLeftOutOfTest) {
  // Group 2 has no units: E = 0, NaN residual, and it does not add a degree of freedom.
  const Grouping grouping = make_groups({0, 0, 1, 1}, 3);
  const std::vector<double> auc = {0.9, 0.8, 0.2, 0.1};
  const Disparity result = top_fraction_disparity(grouping, auc, 0.5);
  EXPECT_EQ(result.dof, 1u);
  EXPECT_EQ(result.groups[2].expected, 0.0);
  EXPECT_TRUE(std::isnan(result.groups[2].residual));
  EXPECT_TRUE(std::isnan(result.groups[2].relative_difference));
  // O = (2, 0), E = (1, 1): chi-square 2.
  EXPECT_DOUBLE_EQ(result.chi_square, 2.0);
}

TEST(Disparity, ZeroTopIsNaN) {
  const Grouping grouping = make_groups({0, 1, 0, 1}, 2);
  const std::vector<double> auc = {0.9, 0.8, 0.2, 0.1};
  const Disparity result = top_fraction_disparity(grouping, auc, 0.1);
  EXPECT_EQ(result.top_n, 0u);
  EXPECT_TRUE(std::isnan(result.chi_square));
  EXPECT_TRUE(std::isnan(result.p_value));
  EXPECT_EQ(result.dof, 0u);
  EXPECT_TRUE(std::isnan(result.groups[0].residual));
}

TEST(Disparity, EmptyInput) {
  const Grouping grouping = make_groups({}, 0);
  const Disparity result = top_fraction_disparity(grouping, {}, 0.01);
  EXPECT_EQ(result.units, 0u);
  EXPECT_EQ(result.top_n, 0u);
  EXPECT_TRUE(result.groups.empty());
  EXPECT_TRUE(std::isnan(result.p_value));
}

TEST(Disparity, AllNaNInput) {
  const Grouping grouping = make_groups({0, 1}, 2);
  const std::vector<double> auc = {kNaN, kNaN};
  const Disparity result = top_fraction_disparity(grouping, auc, 1.0);
  EXPECT_EQ(result.units, 0u);
  EXPECT_TRUE(std::isnan(result.groups[0].share));
  EXPECT_TRUE(std::isnan(result.p_value));
}

TEST(Disparity, InvalidFractionThrows) {
  const Grouping grouping = make_groups({0}, 1);
  const std::vector<double> auc = {0.5};
  EXPECT_THROW(top_fraction_disparity(grouping, auc, 0.0), UsageError);
  EXPECT_THROW(top_fraction_disparity(grouping, auc, 1.5), UsageError);
  EXPECT_THROW(top_fraction_disparity(grouping, auc, kNaN), UsageError);
}

TEST(Disparity, LengthMismatchThrows) {
  const Grouping grouping = make_groups({0, 0}, 1);
  const std::vector<double> auc = {0.5};
  EXPECT_THROW(top_fraction_disparity(grouping, auc, 0.5), InternalError);
}

TEST(Disparity, GroupOutOfRangeThrows) {
  const Grouping grouping = make_groups({0, 2}, 2);
  const std::vector<double> auc = {0.5, 0.6};
  EXPECT_THROW(top_fraction_disparity(grouping, auc, 0.5), InternalError);
}

// 1,000 units: 970 with AUCs uniform in [0.3, 0.97) in two random groups, and a planted group of
// 30 units (every 33rd) with AUCs between 0.985 and 0.9937. The planted group is 3% of the units,
// so at the top 1% (10 units) it is expected 0.3 times, but it fills all 10 places.
TEST(Disparity, PlantedGroupDetected) {
  Rng rng(7);
  std::vector<std::int32_t> group_of_unit;
  std::vector<double> auc;
  std::size_t planted = 0;
  for (std::size_t unit = 0; unit < 1000; ++unit) {
    if (unit % 33 == 0 && planted < 30) {
      group_of_unit.push_back(2);
      auc.push_back(0.985 + 0.0003 * static_cast<double>(planted));
      ++planted;
    } else {
      group_of_unit.push_back(static_cast<std::int32_t>(rng.below(2)));
      auc.push_back(0.3 + 0.67 * rng.uniform());
    }
  }
  const Grouping grouping = make_groups(std::move(group_of_unit), 3);
  const Disparity result = top_fraction_disparity(grouping, auc, 0.01);
  ASSERT_EQ(result.top_n, 10u);
  EXPECT_EQ(result.groups[2].units, 30u);
  EXPECT_DOUBLE_EQ(result.groups[2].expected, 0.3);
  EXPECT_EQ(result.groups[2].observed, 10u);
  EXPECT_DOUBLE_EQ(result.groups[2].residual, 9.7 / std::sqrt(0.3));
  EXPECT_EQ(result.groups[0].observed, 0u);
  EXPECT_EQ(result.groups[1].observed, 0u);
  EXPECT_LT(result.groups[0].residual, 0.0);
  EXPECT_LT(result.groups[1].residual, 0.0);
  EXPECT_EQ(result.dof, 2u);
  EXPECT_LT(result.p_value, 1e-6);
}

TEST(Bonferroni, ScalesAndCaps) {
  const std::vector<double> p = {0.01, 0.2, 0.5};
  const std::vector<double> adjusted = bonferroni(p);
  EXPECT_DOUBLE_EQ(adjusted[0], 0.03);
  EXPECT_DOUBLE_EQ(adjusted[1], 0.6);
  EXPECT_EQ(adjusted[2], 1.0);
}

TEST(Bonferroni, NaNNotCounted) {
  const std::vector<double> p = {0.01, kNaN};
  const std::vector<double> adjusted = bonferroni(p);
  EXPECT_DOUBLE_EQ(adjusted[0], 0.01);
  EXPECT_TRUE(std::isnan(adjusted[1]));
}

TEST(Bonferroni, Empty) { EXPECT_TRUE(bonferroni({}).empty()); }

}  // namespace
}  // namespace privaudit::groups
