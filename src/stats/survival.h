// Empirical survival function of risk values (record or patient AUCs), with a pointwise
// confidence band, for "fraction of records with AUC above x" plots on a log y-axis.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace privaudit::stats {

// Two-sided 95% standard normal quantile, Phi^-1(0.975).
inline constexpr double kZ95 = 1.959963984540054;

// Number of points at the low end of the survival function (the largest values, where sf is
// smallest) that downsample() always keeps, because the tail is what the log-scale plot shows.
inline constexpr std::size_t kSurvivalTailPoints = 200;

// Empirical survival function without censoring. All vectors have one entry per distinct value.
struct SurvivalCurve {
  std::size_t n = 0;          // number of finite values the curve was computed from
  std::vector<double> x;      // distinct finite values, ascending
  std::vector<double> sf;     // fraction of the n values that are strictly greater than x[k]
  std::vector<double> lower;  // sf - z SE, clipped to [0, 1]
  std::vector<double> upper;  // sf + z SE, clipped to [0, 1]
};

// Kaplan-Meier estimate and Greenwood's variance at each event time.
struct ProductLimit {
  // S(t_k) = prod over j <= k of (1 - d_j / n_j), with d events and n units at risk.
  std::vector<double> survival;
  // S(t_k)^2 sum over j <= k of d_j / (n_j (n_j - d_j)).
  std::vector<double> variance;
};

// Computes the Kaplan-Meier product-limit estimate with Greenwood's variance (Greenwood 1926)
// from the number of units at risk just before each distinct event time and the number of events
// at that time, both [times] in time order. Censoring is implied where at_risk drops by more than
// the previous events. Once every unit at risk has had its event, S is 0 and the Greenwood term
// divides by zero, so the variance is set to 0 there and at every later time.
// Throws InternalError for mismatched lengths, events > at_risk, or at_risk that grows or drops by
// less than the previous events.
ProductLimit product_limit(std::span<const std::size_t> at_risk,
                           std::span<const std::size_t> events);

// Computes the empirical survival function of `values` (each value is an uncensored event time).
// NaN and infinite values are dropped. The band is sf +- z SE, with SE from Greenwood's variance.
// Without censoring, Greenwood's sum telescopes to (1 - S) / (n S), so the variance reduces to
// the binomial variance S (1 - S) / n and the band is the Wald band of a proportion. The function
// computes that closed form directly. Throws InternalError when z is negative or not finite.
// O(n log n) for n values.
SurvivalCurve survival_function(std::span<const double> values, double z = kZ95);

// Thins a curve for plotting to at most max_points points. The last kSurvivalTailPoints points
// (largest x, smallest sf) are all kept. The points before them are thinned evenly by index,
// always keeping the first point. A curve with at most max_points points is returned unchanged,
// and n is kept. Throws InternalError when max_points <= kSurvivalTailPoints.
SurvivalCurve downsample(const SurvivalCurve& curve, std::size_t max_points);

}  // namespace privaudit::stats
