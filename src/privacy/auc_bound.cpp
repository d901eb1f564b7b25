#include "privacy/auc_bound.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

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

double rdp_delta(const RdpCurve& curve, double epsilon) {
  double best_log = 0.0;  // delta <= 1
  for (std::size_t k = 0; k < curve.orders.size(); ++k) {
    const double alpha = curve.orders[k];
    if (!std::isfinite(curve.rdp[k])) continue;
    const double log_delta =
        (alpha - 1.0) * (curve.rdp[k] - epsilon) + (alpha - 1.0) * std::log1p(-1.0 / alpha) - std::log(alpha);
    best_log = std::min(best_log, log_delta);
  }
  return std::exp(best_log);
}

double rdp_profile_auc_bound(const RdpCurve& curve, double epsilon_max, std::size_t epsilon_points,
                             std::size_t a_points) {
  // 1. The privacy profile on an epsilon grid.
  std::vector<double> epsilons(epsilon_points);
  std::vector<double> deltas(epsilon_points);
  for (std::size_t e = 0; e < epsilon_points; ++e) {
    epsilons[e] = epsilon_max * static_cast<double>(e) / static_cast<double>(epsilon_points - 1);
    deltas[e] = rdp_delta(curve, epsilons[e]);
  }

  // 2. beta(a) = max over the grid of the trade-off lines; trapezoidal integral of 1 - beta.
  double area = 0.0;
  double previous = 0.0;
  for (std::size_t i = 0; i <= a_points; ++i) {
    const double a = static_cast<double>(i) / static_cast<double>(a_points);
    double beta = 0.0;
    for (std::size_t e = 0; e < epsilon_points; ++e) beta = std::max(beta, eps_delta_tradeoff(a, epsilons[e], deltas[e]));
    const double value = 1.0 - beta;
    if (i > 0) area += 0.5 * (value + previous) / static_cast<double>(a_points);
    previous = value;
  }
  return std::clamp(area, 0.5, 1.0);
}

}  // namespace privaudit::privacy
