// Axis scales and tick placement for the SVG charts: linear axes with "nice" 1-2-5 steps and
// log10 axes with decade ticks and minor ticks at 2..9 times each decade.
#pragma once

#include <limits>
#include <string>
#include <vector>

namespace privaudit::report {

enum class ScaleKind {
  linear,
  log10,  // positive values only; zero and negative values are not drawn
};

// Domain and tick marks of one axis, in data units.
struct TickSet {
  double domain_min = 0.0;          // data value at the start of the axis
  double domain_max = 1.0;          // data value at the end of the axis, > domain_min
  std::vector<double> major;        // labelled ticks inside the domain, ascending
  std::vector<std::string> labels;  // one label per major tick
  std::vector<double> minor;        // unlabelled ticks inside the domain, ascending
};

// Returns the smallest step of the form {1, 2, 5} x 10^k that is >= `raw_step` (> 0, finite).
double nice_step(double raw_step);

// Linear ticks at multiples of a nice step for about `target_ticks` intervals over [lo, hi].
// With `extend` the domain grows outward to the nearest multiples of the step, so [0, 0.93]
// becomes [0, 1] with ticks 0, 0.2, ..., 1. Without it the domain stays [lo, hi] and only the
// multiples inside it are ticks. lo == hi is widened around the value first. Requires finite
// lo <= hi and target_ticks >= 1.
TickSet linear_ticks(double lo, double hi, int target_ticks = 5, bool extend = true);

// Log10 ticks: a major tick at each power of ten inside [lo, hi], minor ticks at 2..9 times each
// decade. When fewer than two powers of ten fall inside the domain, the 2x and 5x minor ticks
// are labelled as well, so the axis keeps at least two labels. With `extend` the domain grows to
// whole decades. Requires 0 < lo <= hi, both finite.
TickSet log10_ticks(double lo, double hi, bool extend = false);

// Label of a linear tick with as many decimals as the step needs ("0.2", "15", "-0.5").
std::string format_linear_tick(double value, double step);

// Label of a log tick: plain decimals ("0.001", "1", "200"), or with `power_notation` a power of
// ten with a Unicode superscript exponent ("10⁻⁵") and a mantissa where needed ("2×10⁻⁵").
// log10_ticks() uses plain decimals when every major tick lies in [1e-4, 1e4].
std::string format_log10_tick(double value, bool power_notation);

// Maps data values to pixel positions along one axis.
class Scale {
 public:
  // Requires `domain_min` < `domain_max`, both > 0 for log10. The pixel range may run backwards,
  // because y axes grow upward.
  Scale(ScaleKind kind, double domain_min, double domain_max, double pixel_start, double pixel_end);

  // Pixel position of `value`, or NaN when the value cannot be drawn (NaN, infinite, or <= 0 on a
  // log axis). Values outside the domain map outside the pixel range.
  double map(double value) const;

  // Like map(), but clamps finite values into the domain first (a non-positive value goes to the
  // domain minimum of a log axis). Used for bands and error bars, whose ends may leave the plot.
  double map_clamped(double value) const;

  // Whether map() returns a finite position for `value`.
  bool drawable(double value) const;

  ScaleKind kind() const { return kind_; }
  double domain_min() const { return domain_min_; }
  double domain_max() const { return domain_max_; }
  double pixel_start() const { return pixel_start_; }
  double pixel_end() const { return pixel_end_; }

 private:
  double transform(double value) const;

  ScaleKind kind_;
  double domain_min_;
  double domain_max_;
  double pixel_start_;
  double pixel_end_;
};

}  // namespace privaudit::report
