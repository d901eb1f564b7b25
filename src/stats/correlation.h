// Rank correlation between two paired samples.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace privaudit::stats {

struct Correlation {
  double rho = 0.0;      // Spearman's rank correlation in [-1, 1]
  double p_value = 0.0;  // two-sided p-value of rho = 0
  std::size_t n = 0;     // number of pairs
};

// Ranks of `values` from 1 to n in ascending order, ties given the mean of the ranks they span
// (mid-ranks, scipy.stats.rankdata method "average"). NaN values must be removed by the caller,
// because they have no place in the order.
std::vector<double> mid_ranks(std::span<const double> values);

// Spearman's rank correlation: the Pearson correlation of the mid-ranks of x and y. The p-value is
// two-sided, from t = rho sqrt((n - 2) / (1 - rho^2)) with Student's t distribution on n - 2
// degrees of freedom, as scipy.stats.spearmanr computes it (scipy 1.10). It is 0 when |rho| = 1.
// rho and p_value are NaN when n < 3, when x or y is constant, or when either contains NaN.
// Throws InternalError when x and y differ in length. O(n log n).
Correlation spearman(std::span<const double> x, std::span<const double> y);

}  // namespace privaudit::stats
