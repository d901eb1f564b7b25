#include "stats/normal.h"

#include <cmath>
#include <limits>
#include <numbers>

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::stats {
namespace {

// Makes Boost.Math return NaN or infinity on domain and overflow errors instead of throwing its own
// exception types. normal_quantile() handles those edge cases before the call anyway.
using QuantilePolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>>;

// log(sqrt(2 pi)), the normalising constant of the normal density.
constexpr double kLogSqrtTwoPi = 0.91893853320467274178;

}  // namespace

double normal_cdf(double x) {
  // Phi(x) = erfc(-x / sqrt 2) / 2 keeps relative precision in the lower tail, where
  // 1 + erf(x / sqrt 2) would cancel to 0 below about x = -8. The rounding error of x / sqrt 2
  // is amplified by about x^2 in erfc (1e-13 relative at x = -30 in double), so that step runs
  // in long double.
  // NOTE: where long double is the same type as double (MSVC, some ARM ABIs), the far tail keeps
  // that 1e-13 relative error.
  const long double z = -static_cast<long double>(x) / std::numbers::sqrt2_v<long double>;
  return static_cast<double>(0.5L * std::erfc(z));
}

double normal_logpdf(double x, double mean, double sd) {
  // NaN inputs propagate. A zero or negative SD is a caller bug.
  PRIVAUDIT_CHECK(!(sd <= 0.0), fmt::format("normal_logpdf needs sd > 0, got sd = {}", sd));
  const double z = (x - mean) / sd;
  return -0.5 * z * z - std::log(sd) - kLogSqrtTwoPi;
}

double normal_quantile(double p) {
  // 1. Edge cases: NaN and p outside [0, 1] have no quantile, and 0 and 1 map to infinities.
  if (!(p >= 0.0 && p <= 1.0)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (p == 0.0) {
    return -std::numeric_limits<double>::infinity();
  }
  if (p == 1.0) {
    return std::numeric_limits<double>::infinity();
  }

  // 2. Phi^-1(p) = -sqrt 2 erfc^-1(2p). For p > 0.5 the upper tail uses 1 - p, which is exact
  // there, so both tails keep full relative precision.
  if (p > 0.5) {
    return std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * (1.0 - p), QuantilePolicy());
  }
  return -std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * p, QuantilePolicy());
}

}  // namespace privaudit::stats
