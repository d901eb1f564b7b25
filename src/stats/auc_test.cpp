#include "stats/auc.h"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// P(pos > neg) + 0.5 P(pos == neg) by counting all pairs: O(n1 n2), for cross-checks only.
double brute_force_auc(const std::vector<double>& pos, const std::vector<double>& neg) {
  double wins = 0.0;
  for (const double p : pos) {
    for (const double n : neg) {
      wins += p > n ? 1.0 : (p == n ? 0.5 : 0.0);
    }
  }
  return wins / (static_cast<double>(pos.size()) * static_cast<double>(neg.size()));
}

TEST(MannWhitneyAuc, PerfectRanking) {
  const std::vector<double> pos = {3.0, 4.0, 5.0};
  const std::vector<double> neg = {0.0, 1.0, 2.0, 2.5};
  EXPECT_EQ(mann_whitney_auc(pos, neg), 1.0);
}

TEST(MannWhitneyAuc, InvertedRanking) {
  const std::vector<double> pos = {0.0, 1.0};
  const std::vector<double> neg = {3.0, 4.0, 5.0};
  EXPECT_EQ(mann_whitney_auc(pos, neg), 0.0);
}

TEST(MannWhitneyAuc, AllTied) {
  const std::vector<double> pos = {1.0, 1.0, 1.0};
  const std::vector<double> neg = {1.0, 1.0};
  EXPECT_EQ(mann_whitney_auc(pos, neg), 0.5);
}

TEST(MannWhitneyAuc, HandCaseWithTies) {
  // pos {1, 2, 2}, neg {2, 0}. Pairs: 1 vs 2 -> 0, 1 vs 0 -> 1, each 2 vs 2 -> 0.5, each 2 vs 0
  // -> 1. U = 0 + 1 + 2 * (0.5 + 1) = 4 over 6 pairs.
  const std::vector<double> pos = {1.0, 2.0, 2.0};
  const std::vector<double> neg = {2.0, 0.0};
  EXPECT_DOUBLE_EQ(mann_whitney_auc(pos, neg), 4.0 / 6.0);
}

TEST(MannWhitneyAuc, ScipyReference) {
  // scipy 1.10.1: scipy.stats.mannwhitneyu(pos, neg).statistic = 60.0, / (8 * 10) = 0.75.
  const std::vector<double> pos = {0.9, 0.8, 0.8, 0.7, 0.5, 0.5, 0.3, 0.2};
  const std::vector<double> neg = {0.8, 0.6, 0.5, 0.5, 0.4, 0.3, 0.1, 0.1, 0.0, 0.2};
  EXPECT_EQ(mann_whitney_auc(pos, neg), 0.75);
}

TEST(MannWhitneyAuc, SwappedSamplesComplement) {
  const std::vector<double> pos = {0.9, 0.8, 0.8, 0.7, 0.5, 0.5, 0.3, 0.2};
  const std::vector<double> neg = {0.8, 0.6, 0.5, 0.5, 0.4, 0.3, 0.1, 0.1, 0.0, 0.2};
  EXPECT_EQ(mann_whitney_auc(neg, pos), 0.25);
}

TEST(MannWhitneyAuc, MatchesPairCount) {
  // Values on a coarse grid of 0.25 so that many ties occur within and across the samples.
  std::mt19937_64 generator(20240601);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> pos(301);
  std::vector<double> neg(257);
  for (double& v : pos) {
    v = std::round((normal(generator) + 0.3) * 4.0) / 4.0;
  }
  for (double& v : neg) {
    v = std::round(normal(generator) * 4.0) / 4.0;
  }
  EXPECT_DOUBLE_EQ(mann_whitney_auc(pos, neg), brute_force_auc(pos, neg));
}

TEST(MannWhitneyAuc, Infinities) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> pos = {inf, 0.0};
  const std::vector<double> neg = {-inf, inf};
  // inf vs -inf -> 1, inf vs inf -> 0.5, 0 vs -inf -> 1, 0 vs inf -> 0: 2.5 over 4 pairs.
  EXPECT_EQ(mann_whitney_auc(pos, neg), 0.625);
}

TEST(MannWhitneyAuc, EmptySample) {
  const std::vector<double> some = {1.0, 2.0};
  const std::vector<double> none;
  EXPECT_TRUE(std::isnan(mann_whitney_auc(none, some)));
  EXPECT_TRUE(std::isnan(mann_whitney_auc(some, none)));
}

TEST(MannWhitneyAuc, NaNInput) {
  const std::vector<double> with_nan = {1.0, kNaN};
  const std::vector<double> clean = {0.0, 2.0};
  EXPECT_TRUE(std::isnan(mann_whitney_auc(with_nan, clean)));
  EXPECT_TRUE(std::isnan(mann_whitney_auc(clean, with_nan)));
}

TEST(BinormalAuc, ScipyReference) {
  // scipy 1.10.1: scipy.stats.norm.cdf((1.0 - 0.25) / numpy.sqrt(0.5 + 0.7)).
  EXPECT_NEAR(binormal_auc(1.0, 0.5, 0.25, 0.7), 0.7532186051483054, 1e-15);
}

TEST(BinormalAuc, EqualMeans) { EXPECT_EQ(binormal_auc(2.0, 1.0, 2.0, 3.0), 0.5); }

TEST(BinormalAuc, NotFlooredAtHalf) {
  EXPECT_NEAR(binormal_auc(0.25, 0.7, 1.0, 0.5), 1.0 - 0.7532186051483054, 1e-15);
}

TEST(BinormalAuc, ZeroVarianceSign) {
  EXPECT_EQ(binormal_auc(1.0, 0.0, 0.0, 0.0), 1.0);
  EXPECT_EQ(binormal_auc(0.0, 0.0, 1.0, 0.0), 0.0);
  EXPECT_EQ(binormal_auc(1.0, 0.0, 1.0, 0.0), 0.5);
}

TEST(BinormalAuc, NaNInput) {
  EXPECT_TRUE(std::isnan(binormal_auc(kNaN, 1.0, 0.0, 1.0)));
  EXPECT_TRUE(std::isnan(binormal_auc(1.0, kNaN, 0.0, 0.0)));
}

TEST(BinormalAuc, RejectsNegativeVariance) {
  EXPECT_THROW(binormal_auc(1.0, -0.1, 0.0, 1.0), InternalError);
  EXPECT_THROW(binormal_auc(1.0, 1.0, 0.0, -0.1), InternalError);
}

TEST(HanleyMcNeilSe, HandValueBalanced) {
  // A = 0.8, n1 = n2 = 32: Q1 = 0.8 / 1.2 = 2/3, Q2 = 1.28 / 1.8 = 32/45, A^2 = 16/25.
  // Q1 - A^2 = 2/75, Q2 - A^2 = 16/225, A (1 - A) = 4/25.
  // SE^2 = (36/225 + 31 * 6/225 + 31 * 16/225) / 1024 = (718/225) / 1024 = 718 / 230400.
  // SE = sqrt(718) / 480 = 0.05582400419572609.
  EXPECT_NEAR(hanley_mcneil_se(0.8, 32, 32), 0.05582400419572609, 1e-15);
}

TEST(HanleyMcNeilSe, HandValueChance) {
  // A = 0.5, n1 = 10, n2 = 20: Q1 = Q2 = 1/3, A^2 = 1/4, so Q1 - A^2 = Q2 - A^2 = 1/12.
  // SE^2 = (1/4 + 9/12 + 19/12) / 200 = (31/12) / 200 = 31 / 2400.
  // SE = sqrt(31 / 2400) = 0.1136515141415488.
  EXPECT_NEAR(hanley_mcneil_se(0.5, 10, 20), 0.1136515141415488, 1e-15);
}

TEST(HanleyMcNeilSe, PerfectAucIsZero) {
  EXPECT_EQ(hanley_mcneil_se(1.0, 5, 7), 0.0);
  EXPECT_EQ(hanley_mcneil_se(0.0, 5, 7), 0.0);
}

TEST(HanleyMcNeilSe, ZeroCount) {
  EXPECT_TRUE(std::isnan(hanley_mcneil_se(0.7, 0, 10)));
  EXPECT_TRUE(std::isnan(hanley_mcneil_se(0.7, 10, 0)));
}

TEST(HanleyMcNeilSe, AucOutsideUnitInterval) {
  EXPECT_TRUE(std::isnan(hanley_mcneil_se(1.2, 10, 10)));
  EXPECT_TRUE(std::isnan(hanley_mcneil_se(-0.1, 10, 10)));
  EXPECT_TRUE(std::isnan(hanley_mcneil_se(kNaN, 10, 10)));
}

}  // namespace
}  // namespace privaudit::stats
