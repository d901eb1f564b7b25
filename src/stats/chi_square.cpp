#include "stats/chi_square.h"

#include <cmath>
#include <limits>

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/gamma.hpp>

namespace privaudit::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Makes Boost.Math return NaN on domain errors and 0 on underflow instead of throwing its own
// exception types. The edge cases are handled before the call, so this is only a safety net.
using GammaPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>>;

}  // namespace

double chi_square_sf(double statistic, double dof) {
  if (std::isnan(statistic) || !std::isfinite(dof) || dof <= 0.0) {
    return kNaN;
  }
  if (statistic <= 0.0) {
    return 1.0;
  }
  if (std::isinf(statistic)) {
    return 0.0;
  }
  return boost::math::gamma_q(dof / 2.0, statistic / 2.0, GammaPolicy());
}

}  // namespace privaudit::stats
