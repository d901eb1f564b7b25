#include "stats/auc.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "core/error.h"
#include "stats/normal.h"

namespace privaudit::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool contains_nan(std::span<const double> values) {
  return std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
}

std::vector<double> sorted_copy(std::span<const double> values) {
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

}  // namespace

double mann_whitney_auc(std::span<const double> positives, std::span<const double> negatives) {
  // 1. Degenerate inputs. A NaN has no rank, and it would also break the sort's ordering.
  if (positives.empty() || negatives.empty()) {
    return kNaN;
  }
  if (contains_nan(positives) || contains_nan(negatives)) {
    return kNaN;
  }

  // 2. Sort both samples, then merge them one distinct value at a time. A tie group with p
  // positives and q negatives, above `negatives_below` strictly smaller negatives, adds
  // p * (negatives_below + q / 2) to the Mann-Whitney U, which equals the mid-rank sum formula.
  // Twice U is an integer, so it is summed exactly in 64 bits.
  const std::vector<double> pos = sorted_copy(positives);
  const std::vector<double> neg = sorted_copy(negatives);
  std::uint64_t twice_u = 0;
  std::uint64_t negatives_below = 0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < pos.size()) {
    const double value = pos[i];
    while (j < neg.size() && neg[j] < value) {
      ++j;
      ++negatives_below;
    }
    std::uint64_t tied_pos = 0;
    while (i < pos.size() && pos[i] == value) {
      ++i;
      ++tied_pos;
    }
    std::uint64_t tied_neg = 0;
    while (j < neg.size() && neg[j] == value) {
      ++j;
      ++tied_neg;
    }
    twice_u += tied_pos * (2 * negatives_below + tied_neg);
    negatives_below += tied_neg;
  }

  // 3. AUC = U / (n1 n2).
  const double pairs = static_cast<double>(pos.size()) * static_cast<double>(neg.size());
  return static_cast<double>(twice_u) / (2.0 * pairs);
}

double binormal_auc(double mean_pos, double var_pos, double mean_neg, double var_neg) {
  // NaN inputs propagate. A negative variance is a caller bug.
  PRIVAUDIT_CHECK(!(var_pos < 0.0) && !(var_neg < 0.0),
                  fmt::format("binormal_auc needs variances >= 0, got var_pos = {}, var_neg = {}",
                              var_pos, var_neg));
  const double difference = mean_pos - mean_neg;
  const double variance = var_pos + var_neg;
  if (std::isnan(difference) || std::isnan(variance)) {
    return kNaN;
  }

  // Zero total variance: the two samples are point masses, so the AUC is a step in the difference.
  if (variance == 0.0) {
    if (difference > 0.0) {
      return 1.0;
    }
    return difference < 0.0 ? 0.0 : 0.5;
  }
  return normal_cdf(difference / std::sqrt(variance));
}

double hanley_mcneil_se(double auc, std::size_t n_pos, std::size_t n_neg) {
  // Hanley and McNeil (1982): Q1 = A / (2 - A), Q2 = 2 A^2 / (1 + A),
  // SE^2 = [A (1 - A) + (n1 - 1)(Q1 - A^2) + (n2 - 1)(Q2 - A^2)] / (n1 n2).
  if (n_pos == 0 || n_neg == 0 || !(auc >= 0.0 && auc <= 1.0)) {
    return kNaN;
  }
  const double a2 = auc * auc;
  const double q1 = auc / (2.0 - auc);
  const double q2 = 2.0 * a2 / (1.0 + auc);
  const double n1 = static_cast<double>(n_pos);
  const double n2 = static_cast<double>(n_neg);
  const double variance =
      (auc * (1.0 - auc) + (n1 - 1.0) * (q1 - a2) + (n2 - 1.0) * (q2 - a2)) / (n1 * n2);

  // At AUC 0 or 1 the exact variance is 0, but rounding can leave a tiny negative value.
  return std::sqrt(std::max(variance, 0.0));
}

}  // namespace privaudit::stats
