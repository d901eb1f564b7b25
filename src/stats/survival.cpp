#include "stats/survival.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::stats {

ProductLimit product_limit(std::span<const std::size_t> at_risk,
                           std::span<const std::size_t> events) {
  PRIVAUDIT_CHECK(at_risk.size() == events.size(),
                  fmt::format("product_limit needs equal lengths, got {} at-risk counts and {} "
                              "event counts",
                              at_risk.size(), events.size()));
  ProductLimit result;
  result.survival.resize(at_risk.size());
  result.variance.resize(at_risk.size());

  double survival = 1.0;
  double greenwood_sum = 0.0;
  for (std::size_t k = 0; k < at_risk.size(); ++k) {
    PRIVAUDIT_CHECK(events[k] <= at_risk[k],
                    fmt::format("product_limit: time {} has {} events among {} units at risk", k,
                                events[k], at_risk[k]));
    PRIVAUDIT_CHECK(k == 0 || at_risk[k] <= at_risk[k - 1] - events[k - 1],
                    fmt::format("product_limit: {} units at risk at time {} exceed the {} left "
                                "after time {}",
                                at_risk[k], k, at_risk[k - 1] - events[k - 1], k - 1));

    // Once S has reached 0 (every unit at risk had its event) it stays 0 with variance 0.
    if (survival > 0.0 && at_risk[k] > 0) {
      const auto n = static_cast<double>(at_risk[k]);
      const auto d = static_cast<double>(events[k]);
      survival *= 1.0 - d / n;
      if (events[k] < at_risk[k]) {
        greenwood_sum += d / (n * (n - d));
      }
    }
    result.survival[k] = survival;
    result.variance[k] = survival > 0.0 ? survival * survival * greenwood_sum : 0.0;
  }
  return result;
}

SurvivalCurve survival_function(std::span<const double> values, double z) {
  PRIVAUDIT_CHECK(std::isfinite(z) && z >= 0.0,
                  fmt::format("survival_function needs a finite z >= 0, got {}", z));

  // 1. Keep the finite values, ascending.
  std::vector<double> sorted;
  sorted.reserve(values.size());
  for (const double v : values) {
    if (std::isfinite(v)) {
      sorted.push_back(v);
    }
  }
  std::sort(sorted.begin(), sorted.end());

  SurvivalCurve curve;
  curve.n = sorted.size();
  const auto n = static_cast<double>(sorted.size());

  // 2. At the end of each run of equal values, sf = (values after the run) / n.
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i + 1 < sorted.size() && sorted[i + 1] == sorted[i]) {
      continue;
    }
    const double sf = static_cast<double>(sorted.size() - (i + 1)) / n;

    // 3. Greenwood's variance without censoring, S (1 - S) / n, and the clipped band.
    const double half_width = z * std::sqrt(sf * (1.0 - sf) / n);
    curve.x.push_back(sorted[i]);
    curve.sf.push_back(sf);
    curve.lower.push_back(std::max(0.0, sf - half_width));
    curve.upper.push_back(std::min(1.0, sf + half_width));
  }
  return curve;
}

SurvivalCurve downsample(const SurvivalCurve& curve, std::size_t max_points) {
  PRIVAUDIT_CHECK(max_points > kSurvivalTailPoints,
                  fmt::format("downsample needs max_points > {}, got {}", kSurvivalTailPoints,
                              max_points));
  const std::size_t size = curve.x.size();
  if (size <= max_points) {
    return curve;
  }

  // 1. Pick body indices 0 .. body_size - 1 at an even spacing of (body_size - 1) / (budget - 1).
  // The spacing exceeds 1 because body_size > budget, so rounding keeps the indices distinct.
  const std::size_t body_size = size - kSurvivalTailPoints;
  const std::size_t budget = max_points - kSurvivalTailPoints;
  std::vector<std::size_t> kept_indices;
  kept_indices.reserve(max_points);
  if (budget == 1) {
    kept_indices.push_back(0);
  } else {
    const double step = static_cast<double>(body_size - 1) / static_cast<double>(budget - 1);
    for (std::size_t i = 0; i < budget; ++i) {
      const long long index = std::llround(static_cast<double>(i) * step);
      kept_indices.push_back(static_cast<std::size_t>(index));
    }
  }

  // 2. Then every tail point.
  for (std::size_t k = body_size; k < size; ++k) {
    kept_indices.push_back(k);
  }

  SurvivalCurve result;
  result.n = curve.n;
  for (const std::size_t k : kept_indices) {
    result.x.push_back(curve.x[k]);
    result.sf.push_back(curve.sf[k]);
    result.lower.push_back(curve.lower[k]);
    result.upper.push_back(curve.upper[k]);
  }
  return result;
}

}  // namespace privaudit::stats
