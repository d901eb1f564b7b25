#include "stats/descriptive.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Returns a + t (b - a) for t in [0, 1] in the same form as numpy's _lerp (numpy 1.24), so that
// quantiles match numpy. For t >= 0.5 the form is anchored at b, which gives b exactly at t = 1.
double lerp(double a, double b, double t) {
  const double difference = b - a;
  if (t >= 0.5) {
    return b - difference * (1.0 - t);
  }
  return a + difference * t;
}

}  // namespace

MeanSd mean_sd(std::span<const double> values, int ddof) {
  const auto n = static_cast<double>(values.size());
  if (values.empty() || n <= static_cast<double>(ddof)) {
    return {kNaN, kNaN};
  }

  // Two passes: the mean first, then the squared deviations from it. This avoids the
  // cancellation of the one-pass sum-of-squares formula when the mean is large next to the SD.
  double sum = 0.0;
  for (const double v : values) {
    sum += v;
  }
  const double mean = sum / n;
  double squares = 0.0;
  for (const double v : values) {
    const double deviation = v - mean;
    squares += deviation * deviation;
  }
  return {mean, std::sqrt(squares / (n - static_cast<double>(ddof)))};
}

double median(std::span<const double> values) {
  // NaN has no place in the order, and numpy.median returns NaN for it too.
  if (values.empty() ||
      std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) {
    return kNaN;
  }

  // Partial selection on a copy: O(n) on average.
  std::vector<double> copy(values.begin(), values.end());
  const std::size_t middle = copy.size() / 2;
  std::nth_element(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(middle), copy.end());
  const double upper = copy[middle];
  if (copy.size() % 2 == 1) {
    return upper;
  }

  // Even size: the mean of the two middle values. After nth_element the lower one is the largest
  // value in front of `middle`.
  const double lower =
      *std::max_element(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(middle));
  return (lower + upper) / 2.0;
}

double quantile_sorted(std::span<const double> sorted, double q) {
  PRIVAUDIT_CHECK(q >= 0.0 && q <= 1.0,
                  fmt::format("quantile_sorted needs q in [0, 1], got {}", q));
  if (sorted.empty()) {
    return kNaN;
  }

  // numpy's "linear" method (Hyndman and Fan type 7): virtual index h = (n - 1) q, then linear
  // interpolation between the order statistics at floor(h) and floor(h) + 1.
  // NOTE: the input is not checked for order, because that would cost O(n) on every call.
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const double below = std::floor(h);
  const auto lower = static_cast<std::size_t>(below);
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  return lerp(sorted[lower], sorted[upper], h - below);
}

}  // namespace privaudit::stats
