// The chi-square distribution's upper tail, for goodness-of-fit tests.
#pragma once

namespace privaudit::stats {

// Returns P(X > statistic) for X ~ chi-square with `dof` degrees of freedom, the p-value of a
// chi-square test (scipy.stats.chi2.sf). Computed as the regularised upper incomplete gamma
// function Q(dof / 2, statistic / 2). Returns 1 for statistic <= 0 and 0 for statistic = +inf.
// Returns NaN when statistic is NaN, when dof is not finite, or when dof <= 0, where no test is
// possible (for example a goodness-of-fit test over one group). A fractional dof is accepted.
double chi_square_sf(double statistic, double dof);

}  // namespace privaudit::stats
