// Descriptive statistics with numpy's conventions.
#pragma once

#include <span>
#include <vector>

namespace privaudit::stats {

struct MeanSd {
  double mean = 0.0;
  double sd = 0.0;
};

// Mean and standard deviation with the given delta degrees of freedom (0: population SD, as
// numpy.std). Returns NaN fields for an empty sample or when n <= ddof.
MeanSd mean_sd(std::span<const double> values, int ddof = 0);

// Median of a sample (copied, not reordered). NaN for an empty sample or one that contains NaN.
double median(std::span<const double> values);

// Quantile q in [0, 1] of an ascending sorted sample with numpy's default "linear" method. NaN for
// an empty sample. Throws InternalError for q outside [0, 1].
double quantile_sorted(std::span<const double> sorted, double q);

}  // namespace privaudit::stats
