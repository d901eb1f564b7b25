// Renyi differential privacy (RDP) accountant for DP-SGD: the Poisson-subsampled Gaussian mechanism
// composed over training steps, converted to (epsilon, delta)-DP.
//
// Sources: Mironov 2017, "Renyi Differential Privacy"; Mironov, Talwar, Zhang 2019, "Renyi
// Differential Privacy of the Sampled Gaussian Mechanism" (integer and fractional orders); Balle
// et al. 2020, "Hypothesis Testing Interpretations and Renyi Differential Privacy", and Canonne,
// Kamath, Steinke 2020 (the improved RDP to (epsilon, delta) conversion).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace privaudit::privacy {

// DP-SGD accounting parameters as the command line passes them.
struct DpAccountingOptions {
  // --dp-noise: standard deviation of the Gaussian noise divided by the clipping norm
  // (sigma, unitless). Must be > 0.
  double noise_multiplier = 1.0;
  // --dp-sampling-rate: probability q that Poisson sampling puts a unit into a step's batch
  // (expected batch size / number of units). Must be in (0, 1].
  double sampling_rate = 0.01;
  // Number of noisy gradient steps composed. Must be > 0.
  std::int64_t steps = 1000;
  // --delta: delta of the (epsilon, delta)-DP guarantee. Must be in (0, 1); usually below
  // 1 / (number of units).
  double delta = 1e-5;
  // --target-epsilon: when set, the noise multiplier is calibrated to reach this epsilon instead of
  // being taken from noise_multiplier. Must be > 0 when set.
  std::optional<double> target_epsilon;

  // Throws UsageError naming the first invalid field, its value and its valid range.
  void validate() const;
};

// RDP of a mechanism at a set of orders: rdp[i] is the Renyi divergence bound at orders[i] (nats).
struct RdpCurve {
  std::vector<double> orders;  // [orders], each > 1
  std::vector<double> rdp;     // [orders], each >= 0; +infinity where unbounded
};

// An epsilon and the RDP order at which the conversion reached it.
struct EpsilonAtOrder {
  double epsilon = 0.0;  // >= 0, +infinity when every order is unbounded
  double order = 0.0;    // the minimising order; NaN when epsilon is +infinity
};

// Formula that converts RDP at one order alpha to (epsilon, delta)-DP.
enum class RdpConversion {
  // eps = rdp + log((alpha - 1) / alpha) - (log delta + log alpha) / (alpha - 1): Balle et al.
  // 2020, Theorem 21 of arXiv:1905.09982. Opacus and Google's dp_accounting use it.
  kImproved,
  // eps = rdp + log(1 / delta) / (alpha - 1): Mironov 2017, Proposition 3. The example value 2.92
  // published in TensorFlow Privacy's compute_dp_sgd_privacy.py reproduces with this one.
  kClassic,
};

// Orders 1.25, 1.5, 1.75, 2..10, 12, 14, 16, 20, 24, 28, 32, 48, 64, 128, 256, 512.
std::span<const double> default_orders();

// Returns the RDP of one step of the Poisson-subsampled Gaussian mechanism with sampling rate q in
// (0, 1] and noise multiplier sigma > 0 at order alpha > 1. Integer orders use the exact binomial
// expansion and fractional orders the two-sided series of Mironov, Talwar, Zhang 2019, Section
// 3.3, both in log space; q = 1 gives alpha / (2 sigma^2). Throws UsageError for invalid q or
// sigma and for alpha <= 1.
double subsampled_gaussian_rdp(double q, double sigma, double alpha);

// Returns the RDP curve of `steps` compositions of the mechanism above: the one-step RDP times
// steps at each order. Throws UsageError for invalid q, sigma, steps or orders.
RdpCurve compute_rdp(double q, double sigma, std::int64_t steps,
                     std::span<const double> orders = default_orders());

// Returns the smallest epsilon over the curve's orders such that the mechanism is
// (epsilon, delta)-DP, and the order that reached it. Negative values are clamped to 0. Throws
// UsageError for delta outside (0, 1) and InternalError when orders and rdp differ in length.
EpsilonAtOrder epsilon(const RdpCurve& curve, double delta,
                       RdpConversion conversion = RdpConversion::kImproved);

// Returns epsilon(compute_rdp(q, sigma, steps, default_orders()), delta).
EpsilonAtOrder dp_sgd_epsilon(double q, double sigma, std::int64_t steps, double delta);

// Returns the smallest noise multiplier, to a relative precision of 1e-6, at which
// dp_sgd_epsilon(q, sigma, steps, delta) <= target_epsilon, by bisection on log sigma over
// [kMinCalibratedSigma, kMaxCalibratedSigma]. Returns kMinCalibratedSigma when even that
// meets the target. Throws UsageError when even kMaxCalibratedSigma gives a larger epsilon, or for
// invalid arguments.
double calibrate_sigma(double q, std::int64_t steps, double target_epsilon, double delta);

// Search range of calibrate_sigma(). At sigma = 0.01 one step has RDP of about 1 / sigma^2 = 1e4 nats
// at order 2 for any sampling rate, so no useful epsilon lies below; above 1e4 the noise swamps
// any gradient.
inline constexpr double kMinCalibratedSigma = 0.01;
inline constexpr double kMaxCalibratedSigma = 1e4;

}  // namespace privaudit::privacy
