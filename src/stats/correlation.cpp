#include "stats/correlation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/distributions/students_t.hpp>
#include <boost/math/policies/policy.hpp>
#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Makes Boost.Math return NaN instead of throwing its own exception types on a domain error.
using StudentsTPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>>;

bool contains_nan(std::span<const double> values) {
  return std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
}

// Pearson correlation of two equally long samples, or NaN when either is constant.
double pearson(std::span<const double> x, std::span<const double> y) {
  const auto n = static_cast<double>(x.size());
  const double mean_x = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double mean_y = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0.0;
  double sxx = 0.0;
  double syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - mean_x;
    const double dy = y[i] - mean_y;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx == 0.0 || syy == 0.0) {
    return kNaN;
  }

  // Rounding can push |r| a hair above 1, which would make the t statistic NaN.
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

}  // namespace

std::vector<double> mid_ranks(std::span<const double> values) {
  // 1. Order the indices by value. The index breaks ties, so the order is deterministic.
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return values[a] < values[b] || (values[a] == values[b] && a < b);
  });

  // 2. Give each run of equal values the mean of the 1-based ranks first + 1 .. last + 1.
  std::vector<double> ranks(values.size());
  std::size_t first = 0;
  while (first < order.size()) {
    std::size_t last = first;
    while (last + 1 < order.size() && values[order[last + 1]] == values[order[first]]) {
      ++last;
    }
    const double rank = (static_cast<double>(first + last) / 2.0) + 1.0;
    for (std::size_t k = first; k <= last; ++k) {
      ranks[order[k]] = rank;
    }
    first = last + 1;
  }
  return ranks;
}

Correlation spearman(std::span<const double> x, std::span<const double> y) {
  PRIVAUDIT_CHECK(x.size() == y.size(),
                  fmt::format("spearman needs samples of equal length, got {} and {}", x.size(),
                              y.size()));
  Correlation result{kNaN, kNaN, x.size()};
  if (x.size() < 3 || contains_nan(x) || contains_nan(y)) {
    return result;
  }

  // 1. Pearson correlation of the mid-ranks.
  const std::vector<double> rank_x = mid_ranks(x);
  const std::vector<double> rank_y = mid_ranks(y);
  result.rho = pearson(rank_x, rank_y);
  if (std::isnan(result.rho)) {
    return result;
  }

  // 2. Two-sided p-value from Student's t on n - 2 degrees of freedom. At |rho| = 1 the statistic
  // is infinite and the p-value 0, as in scipy.
  const double dof = static_cast<double>(x.size() - 2);
  const double one_minus_rho_squared = (1.0 + result.rho) * (1.0 - result.rho);
  if (one_minus_rho_squared <= 0.0) {
    result.p_value = 0.0;
    return result;
  }
  const double t = std::abs(result.rho) * std::sqrt(dof / one_minus_rho_squared);
  const boost::math::students_t_distribution<double, StudentsTPolicy> distribution(dof);
  result.p_value = 2.0 * boost::math::cdf(boost::math::complement(distribution, t));
  return result;
}

}  // namespace privaudit::stats
