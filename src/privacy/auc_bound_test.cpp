#include "privacy/auc_bound.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::privacy {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(EpsDeltaTradeoff, HandValues) {
  // epsilon = ln 2, delta = 0: beta(a) = max(0, 1 - 2a, (1 - a) / 2).
  const double eps = std::log(2.0);
  EXPECT_NEAR(eps_delta_tradeoff(0.1, eps, 0.0), 0.8, 1e-15);
  EXPECT_NEAR(eps_delta_tradeoff(0.5, eps, 0.0), 0.25, 1e-15);
  EXPECT_EQ(eps_delta_tradeoff(1.0, eps, 0.0), 0.0);
  EXPECT_NEAR(eps_delta_tradeoff(0.0, eps, 0.1), 0.9, 1e-15);
  EXPECT_NEAR(eps_delta_tradeoff(0.5, 0.0, 0.0), 0.5, 1e-15);
}

TEST(EpsDeltaTradeoff, InfiniteEpsilon) {
  EXPECT_EQ(eps_delta_tradeoff(0.0, kInf, 0.0), 1.0);
  EXPECT_EQ(eps_delta_tradeoff(1e-9, kInf, 0.0), 0.0);
}

TEST(DpAucBound, NoPrivacyLossIsChance) {
  EXPECT_DOUBLE_EQ(dp_auc_bound(0.0, 0.0), 0.5);
}

TEST(DpAucBound, HandValue) {
  // 1 - (1 - delta)^2 / (1 + e^eps) with e^eps = 3, delta = 0: 1 - 1/4.
  EXPECT_NEAR(dp_auc_bound(std::log(3.0), 0.0), 0.75, 1e-15);
  // e^eps = 1, delta = 0.5: 1 - 0.25 / 2.
  EXPECT_NEAR(dp_auc_bound(0.0, 0.5), 0.875, 1e-15);
}

TEST(DpAucBound, NoPrivacyIsOne) {
  EXPECT_EQ(dp_auc_bound(kInf, 0.0), 1.0);
  EXPECT_EQ(dp_auc_bound(kInf, 1e-5), 1.0);
  EXPECT_EQ(dp_auc_bound(2.0, 1.0), 1.0);
  EXPECT_EQ(dp_auc_bound(1000.0, 0.0), 1.0);
}

TEST(DpAucBound, ClosedFormMatchesQuadrature) {
  for (const double eps : {0.0, 0.1, 1.0, 3.0, 8.0, 30.0}) {
    for (const double delta : {0.0, 1e-5, 0.1, 0.9}) {
      EXPECT_NEAR(dp_auc_bound(eps, delta), dp_auc_bound_quadrature(eps, delta), 1e-9)
          << "eps = " << eps << ", delta = " << delta;
    }
  }
}

TEST(DpAucBound, WithinHalfAndOneAndMonotone) {
  double previous = 0.5;
  for (const double eps : {0.0, 0.01, 0.1, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0}) {
    const double auc = dp_auc_bound(eps, 1e-5);
    EXPECT_GE(auc, 0.5) << "eps = " << eps;
    EXPECT_LE(auc, 1.0) << "eps = " << eps;
    EXPECT_GE(auc, previous) << "eps = " << eps;
    previous = auc;
  }
  EXPECT_GT(dp_auc_bound(1.0, 1e-3), dp_auc_bound(1.0, 1e-5));
}

TEST(DpAucBound, InvalidArguments) {
  EXPECT_THROW(dp_auc_bound(-0.1, 0.0), UsageError);
  EXPECT_THROW(dp_auc_bound(kNaN, 0.0), UsageError);
  EXPECT_THROW(dp_auc_bound(1.0, -1e-9), UsageError);
  EXPECT_THROW(dp_auc_bound(1.0, 1.5), UsageError);
  EXPECT_THROW(dp_auc_bound(1.0, kNaN), UsageError);
  EXPECT_THROW(eps_delta_tradeoff(0.5, -1.0, 0.0), UsageError);
}

TEST(GdpMu, BuEtAlExample) {
  // pytorch/opacus, torchdp/scripts/compute_gdp_privacy.py docstring (mu of Bu et al. 2020):
  // --N=60000 --batch_size=256 --noise_multiplier=1.3 --epochs=15 "satisfies 0.227-GDP" with
  // T = 15 * 60000 / 256 = 3515.6 steps; 3516 whole steps here.
  EXPECT_NEAR(gdp_mu(256.0 / 60000.0, 1.3, 3516), 0.227, 0.01 * 0.227);
}

TEST(GdpMu, HandValueAndLimits) {
  // q = 1, sigma = 1, one step: sqrt(e - 1).
  EXPECT_NEAR(gdp_mu(1.0, 1.0, 1), std::sqrt(std::exp(1.0) - 1.0), 1e-15);
  // sigma = 0.01 makes e^(1 / sigma^2) overflow.
  EXPECT_EQ(gdp_mu(0.01, 0.01, 100), kInf);
  EXPECT_THROW(gdp_mu(0.0, 1.0, 10), UsageError);
  EXPECT_THROW(gdp_mu(0.1, 0.0, 10), UsageError);
  EXPECT_THROW(gdp_mu(0.1, 1.0, 0), UsageError);
}

TEST(GdpAucBound, Values) {
  EXPECT_DOUBLE_EQ(gdp_auc_bound(0.0), 0.5);
  EXPECT_EQ(gdp_auc_bound(kInf), 1.0);
  // Phi(1) = 0.8413447460685429 (scipy 1.10.1 scipy.stats.norm.cdf).
  EXPECT_NEAR(gdp_auc_bound(std::sqrt(2.0)), 0.8413447460685429, 1e-15);
  EXPECT_THROW(gdp_auc_bound(-0.1), UsageError);
  EXPECT_THROW(gdp_auc_bound(kNaN), UsageError);
}

}  // namespace
}  // namespace privaudit::privacy

namespace privaudit::privacy {
namespace {

TEST(RdpProfileBound, TighterThanSinglePair) {
  // DP-SGD with q = 0.01, sigma 1.0, 1000 steps: the profile bound is at most the bound of the
  // (epsilon, delta = 1e-5) pair the accountant reports (plus the epsilon grid spacing).
  const RdpCurve curve = compute_rdp(0.01, 1.0, 1000);
  const EpsilonAtOrder pair = epsilon(curve, 1e-5);
  const double single = dp_auc_bound(pair.epsilon, 1e-5);
  const double profile = rdp_profile_auc_bound(curve);
  EXPECT_LE(profile, single + 2e-3);
  EXPECT_GE(profile, 0.5);
}

TEST(RdpProfileBound, MoreNoiseLowerBound) {
  const double weak = rdp_profile_auc_bound(compute_rdp(0.01, 0.8, 1000));
  const double strong = rdp_profile_auc_bound(compute_rdp(0.01, 4.0, 1000));
  EXPECT_LT(strong, weak);
  EXPECT_NEAR(rdp_profile_auc_bound(compute_rdp(0.01, 100.0, 10)), 0.5, 2e-3);
}

TEST(RdpDelta, DecreasesWithEpsilon) {
  const RdpCurve curve = compute_rdp(0.05, 1.2, 500);
  EXPECT_GT(rdp_delta(curve, 1.0), rdp_delta(curve, 2.0));
  EXPECT_LE(rdp_delta(curve, 0.0), 1.0);
  // The inverse of the accountant's conversion: delta at the reported epsilon is at most 1e-5.
  const EpsilonAtOrder pair = epsilon(curve, 1e-5);
  EXPECT_LE(rdp_delta(curve, pair.epsilon), 1e-5 * (1 + 1e-9));
}

}  // namespace
}  // namespace privaudit::privacy
