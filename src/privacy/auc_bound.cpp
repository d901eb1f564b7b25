#include "privacy/auc_bound.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "core/error.h"
#include "privacy/option_checks.h"
#include "stats/normal.h"

namespace privaudit::privacy {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void check_epsilon_delta(double epsilon, double delta) {
  if (!(epsilon >= 0.0)) {
    throw UsageError(fmt::format(
        "invalid epsilon {} for the AUC bound: expected a value >= 0 (+infinity allowed)",
        epsilon));
  }
  if (!(delta >= 0.0 && delta <= 1.0)) {
    throw UsageError(
        fmt::format("invalid delta {} for the AUC bound: expected a value in [0, 1]", delta));
  }
}

}  // namespace

double eps_delta_tradeoff(double a, double epsilon, double delta) {
  check_epsilon_delta(epsilon, delta);
  PRIVAUDIT_CHECK(a >= 0.0 && a <= 1.0,
                  fmt::format("type I error {} is outside [0, 1]", a));
  if (epsilon == kInf) {
    return a > 0.0 ? 0.0 : 1.0 - delta;
  }
  const double steep = 1.0 - delta - std::exp(epsilon) * a;
  const double shallow = std::exp(-epsilon) * (1.0 - delta - a);
  return std::max({0.0, steep, shallow});
}

double dp_auc_bound(double epsilon, double delta) {
  check_epsilon_delta(epsilon, delta);
  // The two lines of beta cross at a* = (1 - delta) / (1 + e^eps) and the shallow one reaches 0 at
  // a = 1 - delta; integrating both pieces gives (1 - delta)^2 / (1 + e^eps) for the area under
  // beta. Written with e^-eps so that large epsilon does not overflow.
  const double t = std::exp(-epsilon);
  const double area_under_beta = (1.0 - delta) * (1.0 - delta) * t / (1.0 + t);
  return 1.0 - area_under_beta;
}

double dp_auc_bound_quadrature(double epsilon, double delta, int intervals) {
  check_epsilon_delta(epsilon, delta);
  PRIVAUDIT_CHECK(intervals > 0, fmt::format("quadrature needs intervals > 0, got {}", intervals));
  const double width = 1.0 / intervals;
  double area_under_beta = 0.0;
  for (int i = 0; i < intervals; ++i) {
    area_under_beta += eps_delta_tradeoff((i + 0.5) * width, epsilon, delta);
  }
  return 1.0 - area_under_beta * width;
}

double gdp_mu(double q, double sigma, std::int64_t steps) {
  check_sampling_rate(q);
  check_noise_multiplier(sigma);
  check_steps(steps);
  return q * std::sqrt(static_cast<double>(steps) * std::expm1(1.0 / (sigma * sigma)));
}

double gdp_auc_bound(double mu) {
  if (!(mu >= 0.0)) {
    throw UsageError(fmt::format("invalid GDP mu {}: expected a value >= 0 (+infinity allowed)", mu));
  }
  return stats::normal_cdf(mu / std::numbers::sqrt2);
}

}  // namespace privaudit::privacy
