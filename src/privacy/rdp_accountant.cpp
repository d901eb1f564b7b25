#include "privacy/rdp_accountant.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "core/error.h"
#include "privacy/option_checks.h"

namespace privaudit::privacy {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr std::array<double, 24> kDefaultOrders = {
    1.25, 1.5, 1.75, 2.0,  3.0,  4.0,  5.0,  6.0,  7.0,   8.0,   9.0,   10.0, 12.0,
    14.0, 16.0, 20.0, 24.0, 28.0, 32.0, 48.0, 64.0, 128.0, 256.0, 512.0,
};

// The fractional-order series stops once a term is below exp(-30) (about 1e-13) times the partial
// sum. Terms then fall off like k^-(alpha + 2), so the dropped tail stays below about 1e-9.
constexpr double kSeriesLogTolerance = 30.0;
// Guard against a series that does not converge. The slowest case met in practice (q = 0.99,
// sigma = 1, alpha = 1.25) needs about 1e4 terms.
constexpr int kMaxSeriesTerms = 1'000'000;

// Relative precision of calibrate_sigma(): bisection stops when hi / lo < 1 + this.
constexpr double kCalibrationRelativePrecision = 1e-6;

// Returns log(exp(a) + exp(b)) without overflow.
double log_add(double a, double b) {
  if (a == -kInf) {
    return b;
  }
  if (b == -kInf) {
    return a;
  }
  const double hi = std::max(a, b);
  return hi + std::log1p(std::exp(-std::abs(a - b)));
}

// Start of the asymptotic branch of log_erfc(). The x87 80-bit long double of x86-64 Linux keeps
// erfc(x) representable up to about x = 106, a 64-bit one only up to about x = 26.
constexpr double kLogErfcAsymptoticFrom =
    std::numeric_limits<long double>::max_exponent > 1024 ? 100.0 : 25.0;

// Returns log(erfc(x)), accurate where erfc(x) underflows a double (x above about 26).
double log_erfc(double x) {
  // 1. Direct evaluation while erfc(x) is representable.
  if (x < kLogErfcAsymptoticFrom) {
    return static_cast<double>(std::log(std::erfc(static_cast<long double>(x))));
  }

  // 2. Asymptotic expansion erfc(x) = exp(-x^2) / (x sqrt(pi)) (1 - 1/(2x^2) + 3/(4x^4) - ...).
  // The first dropped term, 105 / (16 x^8), is below 5e-11 relative at x = 25.
  const double inv_x2 = 1.0 / (x * x);
  const double series = -0.5 * inv_x2 + 0.75 * inv_x2 * inv_x2 - 1.875 * inv_x2 * inv_x2 * inv_x2;
  return -x * x - std::log(x) - 0.5 * std::log(std::numbers::pi) + std::log1p(series);
}

// Sum of terms of either sign, kept as log|sum| and its sign so that no term overflows.
class SignedLogSum {
 public:
  void add(int sign, double log_abs_term) {
    if (log_abs_term == -kInf) {
      return;
    }
    if (sign_ == 0) {
      sign_ = sign;
      log_abs_ = log_abs_term;
    } else if (sign == sign_) {
      log_abs_ = log_add(log_abs_, log_abs_term);
    } else if (log_abs_ > log_abs_term) {
      log_abs_ += std::log1p(-std::exp(log_abs_term - log_abs_));
    } else if (log_abs_ < log_abs_term) {
      log_abs_ = log_abs_term + std::log1p(-std::exp(log_abs_ - log_abs_term));
      sign_ = sign;
    } else {
      sign_ = 0;
      log_abs_ = -kInf;
    }
  }
  int sign() const { return sign_; }
  double log_abs() const { return log_abs_; }

 private:
  int sign_ = 0;  // -1, 0 (empty or exactly cancelled) or +1
  double log_abs_ = -kInf;
};

// log A_alpha for integer alpha >= 2, where A_alpha = E_{z ~ N(0, sigma^2)}[(mu(z) / mu0(z))^alpha]
// and mu = (1 - q) N(0, sigma^2) + q N(1, sigma^2). Binomial expansion (Mironov, Talwar, Zhang
// 2019, Section 3.2): A = sum_k C(alpha, k) (1 - q)^(alpha - k) q^k exp((k^2 - k) / (2 sigma^2)).
double log_a_integer(double q, double sigma, int alpha) {
  const double log_q = std::log(q);
  const double log_1mq = std::log1p(-q);
  const double two_var = 2.0 * sigma * sigma;
  const double log_gamma_alpha = std::lgamma(alpha + 1.0);

  double log_a = -kInf;
  for (int k = 0; k <= alpha; ++k) {
    const double kd = static_cast<double>(k);
    const double log_binom = log_gamma_alpha - std::lgamma(kd + 1.0) - std::lgamma(alpha - kd + 1.0);
    const double log_term =
        log_binom + kd * log_q + (alpha - kd) * log_1mq + (kd * kd - kd) / two_var;
    log_a = log_add(log_a, log_term);
  }
  return log_a;
}

// log A_alpha for fractional alpha > 1 by the series of Mironov, Talwar, Zhang 2019, Section 3.3.
// The integral over z is split at z0, where q mu1(z) = (1 - q) mu0(z); on each side the integrand
// (1 - q + q mu1 / mu0)^alpha is expanded in the ratio that is below 1 there. With t = k or
// alpha - k, each term integrates a normal density N(t, sigma^2) over a half line, which gives the
// factor exp((t^2 - t) / (2 sigma^2)) erfc(.) / 2.
double log_a_fractional(double q, double sigma, double alpha) {
  // 1. Constants of the split point and the terms.
  const double log_q = std::log(q);
  const double log_1mq = std::log1p(-q);
  const double z0 = sigma * sigma * (log_1mq - log_q) + 0.5;
  const double two_var = 2.0 * sigma * sigma;
  const double erfc_scale = 1.0 / (std::numbers::sqrt2 * sigma);
  const double log_half = -std::numbers::ln2;

  // 2. Sum both series term by term. C(alpha, k) follows the recursion
  // C(alpha, k + 1) = C(alpha, k) (alpha - k) / (k + 1), whose sign alternates once k > alpha.
  SignedLogSum below_z0;
  SignedLogSum above_z0;
  double log_abs_binom = 0.0;
  int binom_sign = 1;
  for (int k = 0; k < kMaxSeriesTerms; ++k) {
    const double kd = static_cast<double>(k);
    const double j = alpha - kd;

    const double log_s0 = log_abs_binom + kd * log_q + j * log_1mq + (kd * kd - kd) / two_var +
                          log_half + log_erfc((kd - z0) * erfc_scale);
    const double log_s1 = log_abs_binom + j * log_q + kd * log_1mq + (j * j - j) / two_var +
                          log_half + log_erfc((z0 - j) * erfc_scale);
    below_z0.add(binom_sign, log_s0);
    above_z0.add(binom_sign, log_s1);

    // 3. Both partial sums are integrals of positive functions once converged; a negative partial
    // sum past the first terms means the arithmetic broke down.
    PRIVAUDIT_CHECK(below_z0.sign() >= 0 && above_z0.sign() >= 0,
                    fmt::format("fractional RDP series went negative at term {} (q = {}, sigma = "
                                "{}, alpha = {})",
                                k, q, sigma, alpha));
    const double log_sum = log_add(below_z0.log_abs(), above_z0.log_abs());
    if (kd > alpha && std::max(log_s0, log_s1) < log_sum - kSeriesLogTolerance) {
      return log_sum;
    }

    log_abs_binom += std::log(std::abs(alpha - kd)) - std::log(kd + 1.0);
    binom_sign = (alpha - kd < 0.0) ? -binom_sign : binom_sign;
  }
  throw InternalError(fmt::format(
      "fractional RDP series did not converge in {} terms (q = {}, sigma = {}, alpha = {})",
      kMaxSeriesTerms, q, sigma, alpha));
}

}  // namespace

void DpAccountingOptions::validate() const {
  check_noise_multiplier(noise_multiplier);
  check_sampling_rate(sampling_rate);
  check_steps(steps);
  check_delta(delta);
  if (target_epsilon.has_value()) {
    check_target_epsilon(*target_epsilon);
  }
}

std::span<const double> default_orders() { return kDefaultOrders; }

double subsampled_gaussian_rdp(double q, double sigma, double alpha) {
  check_sampling_rate(q);
  check_noise_multiplier(sigma);
  check_order(alpha);

  // Without subsampling the mechanism is the plain Gaussian: D_alpha(N(1, s^2) || N(0, s^2)).
  if (q == 1.0) {
    return alpha / (2.0 * sigma * sigma);
  }

  const bool is_integer = alpha == std::floor(alpha) && alpha <= 1e6;
  const double log_a = is_integer ? log_a_integer(q, sigma, static_cast<int>(alpha))
                                  : log_a_fractional(q, sigma, alpha);
  // A_alpha >= 1 in exact arithmetic; rounding can leave log A a few ulp below 0.
  return std::max(0.0, log_a / (alpha - 1.0));
}

RdpCurve compute_rdp(double q, double sigma, std::int64_t steps, std::span<const double> orders) {
  check_steps(steps);
  RdpCurve curve;
  curve.orders.assign(orders.begin(), orders.end());
  curve.rdp.reserve(orders.size());
  for (const double alpha : orders) {
    curve.rdp.push_back(subsampled_gaussian_rdp(q, sigma, alpha) * static_cast<double>(steps));
  }
  return curve;
}

EpsilonAtOrder epsilon(const RdpCurve& curve, double delta, RdpConversion conversion) {
  check_delta(delta);
  PRIVAUDIT_CHECK(curve.orders.size() == curve.rdp.size(),
                  fmt::format("RDP curve has {} orders but {} values", curve.orders.size(),
                              curve.rdp.size()));

  const double log_delta = std::log(delta);
  EpsilonAtOrder best{kInf, kNaN};
  for (std::size_t i = 0; i < curve.orders.size(); ++i) {
    const double alpha = curve.orders[i];
    const double rdp = curve.rdp[i];
    check_order(alpha);
    if (!std::isfinite(rdp)) {
      continue;
    }
    double eps = 0.0;
    if (conversion == RdpConversion::kImproved) {
      eps = rdp + std::log1p(-1.0 / alpha) - (log_delta + std::log(alpha)) / (alpha - 1.0);
    } else {
      eps = rdp - log_delta / (alpha - 1.0);
    }
    if (eps < best.epsilon) {
      best = {eps, alpha};
    }
  }
  // A negative bound still implies (0, delta)-DP.
  best.epsilon = std::max(0.0, best.epsilon);
  return best;
}

EpsilonAtOrder dp_sgd_epsilon(double q, double sigma, std::int64_t steps, double delta) {
  return epsilon(compute_rdp(q, sigma, steps), delta);
}

double calibrate_sigma(double q, std::int64_t steps, double target_epsilon, double delta) {
  // 1. Validate, then bracket the target. Epsilon decreases as sigma grows.
  check_sampling_rate(q);
  check_steps(steps);
  check_target_epsilon(target_epsilon);
  check_delta(delta);
  const auto eps_at = [&](double sigma) { return dp_sgd_epsilon(q, sigma, steps, delta).epsilon; };

  const double eps_at_max = eps_at(kMaxCalibratedSigma);
  if (eps_at_max > target_epsilon) {
    throw UsageError(fmt::format(
        "--target-epsilon {} is not reachable with --dp-sampling-rate {}, {} steps and --delta {}: "
        "noise multipliers in [{}, {}] were searched and even {} gives epsilon {:.6g}; raise "
        "--target-epsilon or --delta, or lower --dp-sampling-rate or --epochs",
        target_epsilon, q, steps, delta, kMinCalibratedSigma, kMaxCalibratedSigma,
        kMaxCalibratedSigma, eps_at_max));
  }
  if (eps_at(kMinCalibratedSigma) <= target_epsilon) {
    return kMinCalibratedSigma;
  }

  // 2. Bisect on log sigma with eps_at(lo) > target >= eps_at(hi), and return hi so that the
  // returned sigma meets the target.
  double lo = kMinCalibratedSigma;
  double hi = kMaxCalibratedSigma;
  while (hi > lo * (1.0 + kCalibrationRelativePrecision)) {
    const double mid = std::sqrt(lo * hi);
    if (eps_at(mid) > target_epsilon) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

}  // namespace privaudit::privacy
