#include "privacy/option_checks.h"

#include <cmath>

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::privacy {

void check_noise_multiplier(double sigma) {
  if (!(sigma > 0.0) || !std::isfinite(sigma)) {
    throw UsageError(fmt::format(
        "invalid --dp-noise {}: expected a finite value > 0 (standard deviation of the "
        "Gaussian noise divided by the clipping norm); pass for example --dp-noise 1.0",
        sigma));
  }
}

void check_sampling_rate(double q) {
  if (!(q > 0.0 && q <= 1.0)) {
    throw UsageError(fmt::format(
        "invalid --dp-sampling-rate {}: expected a value in (0, 1] (expected batch size divided by "
        "the number of units); pass for example --dp-sampling-rate 0.01",
        q));
  }
}

void check_steps(std::int64_t steps) {
  if (steps <= 0) {
    throw UsageError(fmt::format(
        "invalid DP-SGD step count {}: expected an integer > 0 (noisy gradient steps over the "
        "run: --epochs times the steps per epoch)",
        steps));
  }
}

void check_delta(double delta) {
  if (!(delta > 0.0 && delta < 1.0)) {
    throw UsageError(fmt::format(
        "invalid --delta {}: expected a value in (0, 1), usually below 1 / (number of units); "
        "pass for example --delta 1e-5",
        delta));
  }
}

void check_target_epsilon(double epsilon) {
  if (!(epsilon > 0.0) || !std::isfinite(epsilon)) {
    throw UsageError(fmt::format(
        "invalid --target-epsilon {}: expected a finite value > 0; pass for example "
        "--target-epsilon 8",
        epsilon));
  }
}

void check_order(double alpha) {
  if (!(alpha > 1.0) || !std::isfinite(alpha)) {
    throw UsageError(
        fmt::format("invalid RDP order {}: expected a finite order > 1", alpha));
  }
}

}  // namespace privaudit::privacy
