// Top-fraction disparity: which groups are over-represented among the units (records or
// patients) with the highest membership-inference AUC.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "groups/grouping.h"

namespace privaudit::groups {

// Observed and expected count of one group among the top units.
struct GroupCount {
  std::size_t units = 0;     // units of the group with a finite AUC
  double share = 0.0;        // units / (all units with a finite AUC), NaN when there are none
  std::size_t observed = 0;  // O: units of the group among the top_n
  double expected = 0.0;     // E = share * top_n
  double residual = 0.0;     // Pearson residual (O - E) / sqrt(E), NaN when E = 0
  double relative_difference = 0.0;  // (O - E) / E, NaN when E = 0
};

// Disparity of one attribute at one top fraction.
struct Disparity {
  std::size_t units = 0;  // N: units with a finite AUC
  std::size_t top_n = 0;  // floor(fraction * N)
  std::vector<GroupCount> groups;  // [groups], by group index of the Grouping
  // Pearson chi-square goodness-of-fit statistic sum (O - E)^2 / E over the groups with E > 0.
  // NaN when top_n is 0, because then no unit is in the top and there is nothing to test.
  double chi_square = 0.0;
  std::size_t dof = 0;  // (groups with E > 0) - 1, or 0 when no group has E > 0
  // Upper-tail chi-square p-value of chi_square on dof degrees of freedom. NaN when top_n is 0 or
  // dof is 0 (a single group with units, where O = E by construction).
  // NOTE: the chi-square approximation is rough when expected counts are below about 5, which is
  // common for small groups at a top fraction of 1%.
  double p_value = 0.0;
};

// Computes the disparity of `grouping` among the top `fraction` of units by AUC, [units].
// top_n = floor(fraction * N) over the N units with a finite AUC. The product is rounded down
// after a relative allowance of 1e-12, so that 0.29 * 100 gives 29 even though it evaluates to
// 28.999999999999996 in binary. The top units are those with the largest AUC, ties broken by the
// lower unit index. Units with a non-finite (NaN or infinite) AUC are never in the top and count
// neither in N nor in their group's units.
// Throws UsageError when fraction is not in (0, 1], and InternalError when auc and
// grouping.group_of_unit differ in length or a group index is out of range. O(units).
Disparity top_fraction_disparity(const Grouping& grouping, std::span<const double> auc,
                                 double fraction);

// Bonferroni-adjusted p-values, min(1, p m), where m is the number of p-values that are not NaN
// (the tests actually performed, for example one per attribute). NaN stays NaN.
std::vector<double> bonferroni(std::span<const double> p_values);

}  // namespace privaudit::groups
