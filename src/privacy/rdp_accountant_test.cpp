#include "privacy/rdp_accountant.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"

namespace privaudit::privacy {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Orders of TensorFlow Privacy's compute_dp_sgd_privacy.py and compute_dp_sgd_privacy_lib.py.
std::vector<double> tensorflow_privacy_orders() {
  std::vector<double> orders = {1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0, 3.5, 4.0, 4.5};
  for (int alpha = 5; alpha < 64; ++alpha) {
    orders.push_back(alpha);
  }
  orders.insert(orders.end(), {128.0, 256.0, 512.0});
  return orders;
}

// Opacus RDPAccountant.DEFAULT_ALPHAS: 1.1, 1.2, ..., 10.9, then 12..63.
std::vector<double> opacus_orders() {
  std::vector<double> orders;
  for (int x = 1; x < 100; ++x) {
    orders.push_back(1.0 + x / 10.0);
  }
  for (int alpha = 12; alpha < 64; ++alpha) {
    orders.push_back(alpha);
  }
  return orders;
}

// Throws from `call` and returns the UsageError message, or "" when nothing was thrown.
template <typename Call>
std::string usage_error_message(Call call) {
  try {
    call();
  } catch (const UsageError& error) {
    return error.what();
  }
  return "";
}

TEST(SubsampledGaussianRdp, NoSubsamplingClosedForm) {
  // q = 1 is the plain Gaussian mechanism, whose RDP is alpha / (2 sigma^2) (Mironov 2017).
  EXPECT_DOUBLE_EQ(subsampled_gaussian_rdp(1.0, 2.0, 3.0), 3.0 / 8.0);
  EXPECT_DOUBLE_EQ(subsampled_gaussian_rdp(1.0, 0.5, 1.5), 3.0);
  EXPECT_DOUBLE_EQ(subsampled_gaussian_rdp(1.0, 2.71828, 3.14159),
                   3.14159 / (2.0 * 2.71828 * 2.71828));
}

TEST(SubsampledGaussianRdp, CompositionMultipliesBySteps) {
  const std::vector<double> orders = {1.5, 2.0, 32.0};
  const RdpCurve one_step = compute_rdp(0.02, 1.3, 1, orders);
  const RdpCurve composed = compute_rdp(0.02, 1.3, 250, orders);
  ASSERT_EQ(composed.rdp.size(), orders.size());
  for (std::size_t i = 0; i < orders.size(); ++i) {
    EXPECT_EQ(composed.orders[i], orders[i]);
    EXPECT_NEAR(composed.rdp[i], 250.0 * one_step.rdp[i], 1e-12 * composed.rdp[i]);
  }
}

TEST(SubsampledGaussianRdp, MatchesQuadrature) {
  // RDP of 50 steps at q = 0.01, sigma = 2.5, against log(A_alpha) * 50 / (alpha - 1) with
  // A_alpha = integral of N(z; 0, sigma^2) (1 - q + q exp((2z - 1) / (2 sigma^2)))^alpha dz,
  // computed by mpmath 1.2.1 mpmath.quad at 40 digits.
  struct Case {
    double alpha;
    double expected;
  };
  const Case cases[] = {
      {1.25, 0.000541480700946}, {1.5, 0.000650070897187}, {1.75, 0.000758759544268},
      {2.5, 0.00108541805692},   {5.0, 0.00218075656231},  {50.0, 0.0238460375387},
      {100.0, 167.416307548},
  };
  for (const Case& c : cases) {
    const double rdp = compute_rdp(0.01, 2.5, 50, std::vector<double>{c.alpha}).rdp[0];
    EXPECT_NEAR(rdp, c.expected, 1e-9 * c.expected) << "alpha = " << c.alpha;
  }
}

TEST(SubsampledGaussianRdp, FractionalSeriesHardCases) {
  // One step; reference values from mpmath 1.2.1 mpmath.quad of the integral above at 40 digits.
  // They cover q near 1 (slowest series), small sigma, tiny q and large sigma.
  EXPECT_NEAR(subsampled_gaussian_rdp(0.99, 1.0, 1.25), 0.613992250126426, 1e-9);
  EXPECT_NEAR(subsampled_gaussian_rdp(0.5, 0.5, 1.75), 2.06222187080898, 1e-9);
  EXPECT_NEAR(subsampled_gaussian_rdp(1e-4, 1.0, 1.5), 1.28853739407279e-8, 1e-16);
  EXPECT_NEAR(subsampled_gaussian_rdp(0.1, 100.0, 20.5), 1.02522145939104e-5, 1e-14);
  EXPECT_NEAR(subsampled_gaussian_rdp(0.5, 0.5, 3.0), 4.96079444598706, 1e-9);
}

TEST(SubsampledGaussianRdp, FractionalMeetsIntegerOrder) {
  // The series for fractional orders and the binomial sum for integer orders must agree where the
  // order passes through an integer.
  const double at_two = subsampled_gaussian_rdp(0.3, 1.2, 2.0);
  EXPECT_NEAR(subsampled_gaussian_rdp(0.3, 1.2, 2.0 - 1e-6), at_two, 1e-6);
  EXPECT_NEAR(subsampled_gaussian_rdp(0.3, 1.2, 2.0 + 1e-6), at_two, 1e-6);
  const double at_seven = subsampled_gaussian_rdp(0.05, 0.8, 7.0);
  EXPECT_NEAR(subsampled_gaussian_rdp(0.05, 0.8, 7.0 + 1e-6), at_seven, 1e-5 * at_seven);
}

TEST(SubsampledGaussianRdp, DpAccountingPublishedCurve) {
  // google/differential-privacy, python/dp_accounting/dp_accounting/rdp/
  // rdp_privacy_accountant_test.py, test_compute_rdp_poisson_sampled_gaussian: q = 0.01,
  // sigma = 2.5, 50 steps, compared there with rtol 1e-4.
  const std::vector<double> orders = {2.5, 5.0, 50.0, 100.0};
  const std::vector<double> expected = {1.08548710e-03, 2.18075656e-03, 2.38460375e-02,
                                        1.67416308e02};
  const RdpCurve curve = compute_rdp(0.01, 2.5, 50, orders);
  for (std::size_t i = 0; i < orders.size(); ++i) {
    EXPECT_NEAR(curve.rdp[i], expected[i], 1e-4 * expected[i]) << "alpha = " << orders[i];
  }

  // The same test expects 6.70579741e-04 at order 1.5, 3% above the exact integral
  // (0.000650070897 by mpmath quadrature, see MatchesQuadrature). The dp_accounting version read
  // for this test adds the absolute values of the fractional series' terms, which gives an upper
  // bound rather than the value, so ours must lie below theirs.
  const double at_1_5 = compute_rdp(0.01, 2.5, 50, std::vector<double>{1.5}).rdp[0];
  EXPECT_LT(at_1_5, 6.70579741e-04);
  EXPECT_GT(at_1_5, 0.95 * 6.70579741e-04);
}

TEST(SubsampledGaussianRdp, InvalidArguments) {
  EXPECT_THROW(subsampled_gaussian_rdp(0.0, 1.0, 2.0), UsageError);
  EXPECT_THROW(subsampled_gaussian_rdp(1.5, 1.0, 2.0), UsageError);
  EXPECT_THROW(subsampled_gaussian_rdp(kNaN, 1.0, 2.0), UsageError);
  EXPECT_THROW(subsampled_gaussian_rdp(0.1, 0.0, 2.0), UsageError);
  EXPECT_THROW(subsampled_gaussian_rdp(0.1, -1.0, 2.0), UsageError);
  EXPECT_THROW(subsampled_gaussian_rdp(0.1, 1.0, 1.0), UsageError);
  EXPECT_THROW(subsampled_gaussian_rdp(0.1, 1.0, kInf), UsageError);
  EXPECT_THROW(compute_rdp(0.1, 1.0, 0), UsageError);
}

TEST(Epsilon, PureDpConstantCurve) {
  // google/differential-privacy rdp_privacy_accountant_test.py, test_compute_epsilon_delta_pure_dp:
  // rdp = 1.1 at orders 2..32 and delta = 1e-5 give epsilon 1.32783806176 at order 32.
  RdpCurve curve;
  for (int alpha = 2; alpha <= 32; ++alpha) {
    curve.orders.push_back(alpha);
    curve.rdp.push_back(1.1);
  }
  const EpsilonAtOrder result = epsilon(curve, 1e-5);
  EXPECT_NEAR(result.epsilon, 1.32783806176, 1e-9);
  EXPECT_EQ(result.order, 32.0);
}

TEST(Epsilon, TensorflowPrivacyScriptExample) {
  // tensorflow/privacy, tensorflow_privacy/privacy/analysis/compute_dp_sgd_privacy.py docstring:
  // --N=60000 --batch_size=256 --noise_multiplier=1.12 --epochs=60 --delta=1e-5 "satisfies
  // (2.92, 1e-5)-DP". That script used rdp_accountant.get_privacy_spent, the classic conversion,
  // with steps = ceil(60 * 60000 / 256) = 14063.
  const RdpCurve curve = compute_rdp(256.0 / 60000.0, 1.12, 14063, tensorflow_privacy_orders());
  const EpsilonAtOrder classic = epsilon(curve, 1e-5, RdpConversion::kClassic);
  EXPECT_NEAR(classic.epsilon, 2.92, 0.01 * 2.92);

  // The improved conversion must be tighter on the same curve.
  EXPECT_LT(epsilon(curve, 1e-5).epsilon, classic.epsilon);
}

TEST(Epsilon, TensorflowPrivacyLibraryTests) {
  // tensorflow/privacy, tensorflow_privacy/privacy/analysis/compute_dp_sgd_privacy_test.py,
  // test_compute_dp_sgd_privacy (Test0..Test2): (N, batch, noise, epochs, delta) -> (epsilon,
  // order). These values match the improved conversion, and the classic one gives 0.942 for
  // Test0. The compute_dp_sgd_privacy_lib.py version read calls dp_accounting.RdpAccountant.
  struct Case {
    double n;
    double batch;
    double noise;
    double epochs;
    double delta;
    double expected_epsilon;
    double expected_order;
  };
  const Case cases[] = {
      {60000, 150, 1.3, 15, 1e-5, 0.7242234026109595, 19.0},
      {100000, 100, 1.0, 30, 1e-7, 1.4154988495444842, 13.0},
      {100000000, 1024, 0.1, 10, 1e-7, 5907982.3113978775, 1.25},
  };
  for (const Case& c : cases) {
    const auto steps = static_cast<std::int64_t>(std::ceil(c.epochs * c.n / c.batch));
    const RdpCurve curve = compute_rdp(c.batch / c.n, c.noise, steps, tensorflow_privacy_orders());
    const EpsilonAtOrder result = epsilon(curve, c.delta);
    EXPECT_NEAR(result.epsilon, c.expected_epsilon, 0.01 * c.expected_epsilon) << "N = " << c.n;
    EXPECT_EQ(result.order, c.expected_order) << "N = " << c.n;
  }
}

TEST(Epsilon, OpacusAccountantTest) {
  // pytorch/opacus, opacus/tests/accountants_test.py, test_rdp_accountant: noise 1.5, sample rate
  // 0.04, int(90 / 0.04) = 2250 steps, delta 1e-5 give epsilon 7.32911117143 with Opacus's
  // default orders and the improved conversion of opacus/accountants/analysis/rdp.py.
  const RdpCurve curve = compute_rdp(0.04, 1.5, 2250, opacus_orders());
  EXPECT_NEAR(epsilon(curve, 1e-5).epsilon, 7.32911117143, 0.01 * 7.32911117143);
}

TEST(Epsilon, DecreasesWithNoise) {
  double previous = kInf;
  for (const double sigma : {0.5, 0.7, 1.0, 1.5, 2.0, 4.0, 8.0, 16.0}) {
    const double eps = dp_sgd_epsilon(0.01, sigma, 1000, 1e-5).epsilon;
    EXPECT_LT(eps, previous) << "sigma = " << sigma;
    previous = eps;
  }
}

TEST(Epsilon, IncreasesWithSteps) {
  const double few = dp_sgd_epsilon(0.01, 1.0, 100, 1e-5).epsilon;
  const double many = dp_sgd_epsilon(0.01, 1.0, 10000, 1e-5).epsilon;
  EXPECT_LT(few, many);
}

TEST(Epsilon, ClampedAtZero) {
  // rdp = 0 with delta = 0.5 gives a negative bound at every order, which still means (0, 0.5)-DP.
  const RdpCurve curve{{2.0, 4.0}, {0.0, 0.0}};
  const EpsilonAtOrder result = epsilon(curve, 0.5);
  EXPECT_EQ(result.epsilon, 0.0);
  EXPECT_FALSE(std::isnan(result.order));
}

TEST(Epsilon, UnboundedCurveIsInfinite) {
  const RdpCurve curve{{2.0, 4.0}, {kInf, kInf}};
  const EpsilonAtOrder result = epsilon(curve, 1e-5);
  EXPECT_EQ(result.epsilon, kInf);
  EXPECT_TRUE(std::isnan(result.order));

  const EpsilonAtOrder empty = epsilon(RdpCurve{}, 1e-5);
  EXPECT_EQ(empty.epsilon, kInf);
}

TEST(Epsilon, SkipsUnboundedOrders) {
  const RdpCurve curve{{2.0, 4.0}, {kInf, 1.0}};
  EXPECT_EQ(epsilon(curve, 1e-5).order, 4.0);
}

TEST(Epsilon, InvalidArguments) {
  const RdpCurve curve{{2.0}, {1.0}};
  EXPECT_THROW(epsilon(curve, 0.0), UsageError);
  EXPECT_THROW(epsilon(curve, 1.0), UsageError);
  EXPECT_THROW(epsilon(curve, kNaN), UsageError);
  EXPECT_THROW(epsilon(RdpCurve{{2.0, 3.0}, {1.0}}, 1e-5), InternalError);
}

TEST(CalibrateSigma, MeetsTargetTightly) {
  const double sigma = calibrate_sigma(0.04, 2250, 8.0, 1e-5);
  EXPECT_LE(dp_sgd_epsilon(0.04, sigma, 2250, 1e-5).epsilon, 8.0);
  EXPECT_GT(dp_sgd_epsilon(0.04, sigma * (1.0 - 1e-5), 2250, 1e-5).epsilon, 8.0);
}

TEST(CalibrateSigma, OpacusNoiseMultiplierTest) {
  // pytorch/opacus, opacus/tests/accountants_test.py, test_get_noise_multiplier: epsilon 8,
  // delta 1e-5, sample rate 0.04, 90 epochs give 1.425307617.
  // NOTE: at sigma 1.425307617 with Opacus's default orders this accountant gives epsilon 7.92, not
  // 8. The search tolerance and orders of the Opacus version behind that value were not checked,
  // so only agreement within 1% on sigma is tested.
  EXPECT_NEAR(calibrate_sigma(0.04, 2250, 8.0, 1e-5), 1.425307617, 0.01 * 1.425307617);
}

TEST(CalibrateSigma, UnreachableTargetNamesRange) {
  const std::string message =
      usage_error_message([] { calibrate_sigma(1.0, 1'000'000'000, 1e-6, 1e-10); });
  EXPECT_NE(message.find("--target-epsilon 1e-06"), std::string::npos) << message;
  EXPECT_NE(message.find("[0.01, 10000]"), std::string::npos) << message;
}

TEST(CalibrateSigma, InvalidArguments) {
  EXPECT_THROW(calibrate_sigma(0.0, 100, 1.0, 1e-5), UsageError);
  EXPECT_THROW(calibrate_sigma(0.1, 0, 1.0, 1e-5), UsageError);
  EXPECT_THROW(calibrate_sigma(0.1, 100, 0.0, 1e-5), UsageError);
  EXPECT_THROW(calibrate_sigma(0.1, 100, 1.0, 1.0), UsageError);
}

TEST(DpAccountingOptions, DefaultsAreValid) {
  DpAccountingOptions options;
  EXPECT_NO_THROW(options.validate());
  options.target_epsilon = 3.0;
  EXPECT_NO_THROW(options.validate());
}

TEST(DpAccountingOptions, MessagesNameOptionAndValue) {
  DpAccountingOptions options;
  options.noise_multiplier = -0.5;
  EXPECT_NE(usage_error_message([&] { options.validate(); }).find("--dp-noise -0.5"),
            std::string::npos);

  options = {};
  options.sampling_rate = 1.5;
  EXPECT_NE(usage_error_message([&] { options.validate(); }).find("--dp-sampling-rate 1.5"),
            std::string::npos);
  EXPECT_NE(usage_error_message([&] { options.validate(); }).find("(0, 1]"), std::string::npos);

  options = {};
  options.steps = 0;
  EXPECT_NE(usage_error_message([&] { options.validate(); }).find("step count 0"), std::string::npos);

  options = {};
  options.delta = 1.0;
  EXPECT_NE(usage_error_message([&] { options.validate(); }).find("--delta 1"), std::string::npos);
  EXPECT_NE(usage_error_message([&] { options.validate(); }).find("(0, 1)"), std::string::npos);

  options = {};
  options.target_epsilon = 0.0;
  EXPECT_NE(usage_error_message([&] { options.validate(); }).find("--target-epsilon 0"),
            std::string::npos);
}

TEST(DpAccountingOptions, RejectsNaN) {
  DpAccountingOptions options;
  options.noise_multiplier = kNaN;
  EXPECT_THROW(options.validate(), UsageError);
  options = {};
  options.sampling_rate = kNaN;
  EXPECT_THROW(options.validate(), UsageError);
  options = {};
  options.delta = kNaN;
  EXPECT_THROW(options.validate(), UsageError);
  options = {};
  options.target_epsilon = kNaN;
  EXPECT_THROW(options.validate(), UsageError);
}

TEST(DefaultOrders, ListsUsualOrders) {
  const auto orders = default_orders();
  ASSERT_EQ(orders.size(), 24U);
  EXPECT_EQ(orders.front(), 1.25);
  EXPECT_EQ(orders.back(), 512.0);
  for (std::size_t i = 1; i < orders.size(); ++i) {
    EXPECT_LT(orders[i - 1], orders[i]);
  }
}

}  // namespace
}  // namespace privaudit::privacy
