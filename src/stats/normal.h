// Standard normal distribution helpers, in double precision.
#pragma once

namespace privaudit::stats {

// Returns Phi(x), the standard normal CDF; accurate in both tails (uses erfc).
double normal_cdf(double x);

// Returns log N(x; mean, sd^2). Requires sd > 0, and throws InternalError for sd <= 0.
double normal_logpdf(double x, double mean, double sd);

// Returns Phi^-1(p) for p in (0, 1); -inf at 0, +inf at 1, and NaN outside [0, 1].
double normal_quantile(double p);

}  // namespace privaudit::stats
