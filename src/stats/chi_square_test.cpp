#include "stats/chi_square.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace privaudit::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Reference values: scipy 1.10.1 scipy.stats.chi2.sf(statistic, dof).
TEST(ChiSquareSf, OneDof) { EXPECT_NEAR(chi_square_sf(3.84, 1.0), 0.05004352124870519, 1e-15); }

TEST(ChiSquareSf, FourDof) { EXPECT_NEAR(chi_square_sf(10.0, 4.0), 0.04042768199451279, 1e-15); }

TEST(ChiSquareSf, SmallStatistic) {
  EXPECT_NEAR(chi_square_sf(0.5, 3.0), 0.9188914116546758, 1e-15);
  EXPECT_NEAR(chi_square_sf(3.0, 10.0), 0.9814240637778593, 1e-15);
}

TEST(ChiSquareSf, FarTailRelative) {
  const double expected_two_dof = 1.9287498479639183e-22;
  EXPECT_NEAR(chi_square_sf(100.0, 2.0), expected_two_dof, 1e-12 * expected_two_dof);
  const double expected_one_dof = 2.7217023747570805e-72;
  EXPECT_NEAR(chi_square_sf(323.3333333333333, 1.0), expected_one_dof, 1e-12 * expected_one_dof);
}

TEST(ChiSquareSf, ManyDof) { EXPECT_NEAR(chi_square_sf(150.0, 120.0), 0.03307348091130466, 1e-14); }

TEST(ChiSquareSf, FractionalDof) {
  EXPECT_NEAR(chi_square_sf(2.5, 1.5), 0.1954245886660554, 1e-14);
}

TEST(ChiSquareSf, ZeroStatistic) { EXPECT_EQ(chi_square_sf(0.0, 3.0), 1.0); }

TEST(ChiSquareSf, NegativeStatistic) { EXPECT_EQ(chi_square_sf(-1.0, 3.0), 1.0); }

TEST(ChiSquareSf, InfiniteStatistic) { EXPECT_EQ(chi_square_sf(kInf, 3.0), 0.0); }

TEST(ChiSquareSf, UnderflowIsZero) { EXPECT_EQ(chi_square_sf(1e4, 3.0), 0.0); }

TEST(ChiSquareSf, ZeroDofIsNaN) { EXPECT_TRUE(std::isnan(chi_square_sf(2.0, 0.0))); }

TEST(ChiSquareSf, NegativeDofIsNaN) { EXPECT_TRUE(std::isnan(chi_square_sf(2.0, -1.0))); }

TEST(ChiSquareSf, NaNInputs) {
  EXPECT_TRUE(std::isnan(chi_square_sf(kNaN, 3.0)));
  EXPECT_TRUE(std::isnan(chi_square_sf(2.0, kNaN)));
  EXPECT_TRUE(std::isnan(chi_square_sf(2.0, kInf)));
}

}  // namespace
}  // namespace privaudit::stats
