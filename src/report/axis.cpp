#include "report/axis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

namespace privaudit::report {

namespace {

// Relative slack for comparisons of tick positions with domain ends, so that 0.1 * 3 counts as
// 0.3 and log10(1e-4) counts as -4.
constexpr double kTickTolerance = 1e-9;

// Exactly the double nearest to mantissa x 10^exponent, as the C++ literal "<m>e<e>" would be.
double decimal_value(int mantissa, int exponent) {
  return std::stod(fmt::format("{}e{}", mantissa, exponent));
}

std::string superscript(int exponent) {
  static const char* const kDigits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string out = exponent < 0 ? "⁻" : "";
  for (const char digit : std::to_string(std::abs(exponent))) out += kDigits[digit - '0'];
  return out;
}

}  // namespace

double nice_step(double raw_step) {
  PRIVAUDIT_CHECK(std::isfinite(raw_step) && raw_step > 0.0,
                  fmt::format("nice_step needs a finite positive step, got {}", raw_step));
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw_step)));
  const double fraction = raw_step / magnitude;
  for (const double candidate : {1.0, 2.0, 5.0}) {
    if (fraction <= candidate * (1.0 + kTickTolerance)) return candidate * magnitude;
  }
  return 10.0 * magnitude;
}

TickSet linear_ticks(double lo, double hi, int target_ticks, bool extend) {
  PRIVAUDIT_CHECK(std::isfinite(lo) && std::isfinite(hi) && lo <= hi,
                  fmt::format("linear_ticks needs finite lo <= hi, got [{}, {}]", lo, hi));
  PRIVAUDIT_CHECK(target_ticks >= 1, fmt::format("linear_ticks needs target_ticks >= 1, got {}", target_ticks));

  // 1. Widen an empty domain around its value.
  if (lo == hi) {
    const double half_width = lo == 0.0 ? 1.0 : std::fabs(lo) * 0.1;
    lo -= half_width;
    hi += half_width;
  }

  // 2. Step and domain.
  const double step = nice_step((hi - lo) / target_ticks);
  TickSet ticks;
  ticks.domain_min = lo;
  ticks.domain_max = hi;
  if (extend) {
    ticks.domain_min = std::floor(lo / step + kTickTolerance) * step;
    ticks.domain_max = std::ceil(hi / step - kTickTolerance) * step;
  }

  // 3. Multiples of the step inside the domain.
  const auto first = static_cast<long long>(std::ceil(ticks.domain_min / step - kTickTolerance));
  const auto last = static_cast<long long>(std::floor(ticks.domain_max / step + kTickTolerance));
  for (long long k = first; k <= last; ++k) {
    const double value = static_cast<double>(k) * step;
    ticks.major.push_back(value);
    ticks.labels.push_back(format_linear_tick(value, step));
  }
  return ticks;
}

TickSet log10_ticks(double lo, double hi, bool extend) {
  PRIVAUDIT_CHECK(std::isfinite(lo) && std::isfinite(hi) && lo > 0.0 && lo <= hi,
                  fmt::format("log10_ticks needs finite 0 < lo <= hi, got [{}, {}]", lo, hi));

  // 1. Domain: whole decades with `extend`; an empty domain is widened by half a decade each way.
  TickSet ticks;
  ticks.domain_min = lo;
  ticks.domain_max = hi;
  if (extend) {
    const int low_exponent = static_cast<int>(std::floor(std::log10(lo) + kTickTolerance));
    int high_exponent = static_cast<int>(std::ceil(std::log10(hi) - kTickTolerance));
    if (high_exponent == low_exponent) ++high_exponent;
    ticks.domain_min = decimal_value(1, low_exponent);
    ticks.domain_max = decimal_value(1, high_exponent);
  } else if (lo == hi) {
    ticks.domain_min = lo / std::sqrt(10.0);
    ticks.domain_max = hi * std::sqrt(10.0);
  }
  const auto inside = [&](double value) {
    return value >= ticks.domain_min * (1.0 - kTickTolerance) && value <= ticks.domain_max * (1.0 + kTickTolerance);
  };

  // 2. Powers of ten as major ticks, 2..9 times each decade as minor ticks.
  const int first_decade = static_cast<int>(std::floor(std::log10(ticks.domain_min) + kTickTolerance));
  const int last_decade = static_cast<int>(std::floor(std::log10(ticks.domain_max) + kTickTolerance));
  for (int exponent = first_decade; exponent <= last_decade; ++exponent) {
    const double decade = decimal_value(1, exponent);
    if (inside(decade)) ticks.major.push_back(decade);
    for (int mantissa = 2; mantissa <= 9; ++mantissa) {
      const double value = decimal_value(mantissa, exponent);
      if (inside(value)) ticks.minor.push_back(value);
    }
  }

  // 3. A domain narrower than a decade also labels its 2x and 5x ticks.
  if (ticks.major.size() < 2) {
    std::vector<double> minor;
    for (const double value : ticks.minor) {
      const double mantissa = value / std::pow(10.0, std::floor(std::log10(value) + kTickTolerance));
      const bool promoted = std::fabs(mantissa - 2.0) < 1e-6 || std::fabs(mantissa - 5.0) < 1e-6;
      (promoted ? ticks.major : minor).push_back(value);
    }
    ticks.minor = std::move(minor);
    std::sort(ticks.major.begin(), ticks.major.end());
  }
  // 4. One label style for the whole axis.
  const auto outside_plain_range = [](double value) { return value < 1e-4 * (1.0 - kTickTolerance) || value > 1e4 * (1.0 + kTickTolerance); };
  const bool power_notation = std::any_of(ticks.major.begin(), ticks.major.end(), outside_plain_range);
  for (const double value : ticks.major) ticks.labels.push_back(format_log10_tick(value, power_notation));
  return ticks;
}

std::string format_linear_tick(double value, double step) {
  if (std::fabs(value) < step * kTickTolerance) value = 0.0;
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + kTickTolerance)));
  return fmt::format("{:.{}f}", value, decimals);
}

std::string format_log10_tick(double value, bool power_notation) {
  const int exponent = static_cast<int>(std::floor(std::log10(value) + kTickTolerance));
  if (!power_notation) return fmt::format("{:.{}f}", value, std::max(0, -exponent));
  const long long mantissa = std::llround(value / std::pow(10.0, exponent));
  const std::string power = "10" + superscript(exponent);
  return mantissa == 1 ? power : fmt::format("{}×{}", mantissa, power);
}

Scale::Scale(ScaleKind kind, double domain_min, double domain_max, double pixel_start, double pixel_end)
    : kind_(kind), domain_min_(domain_min), domain_max_(domain_max), pixel_start_(pixel_start), pixel_end_(pixel_end) {
  PRIVAUDIT_CHECK(std::isfinite(domain_min) && std::isfinite(domain_max) && domain_min < domain_max,
                  fmt::format("scale domain must be finite with min < max, got [{}, {}]", domain_min, domain_max));
  PRIVAUDIT_CHECK(kind != ScaleKind::log10 || domain_min > 0.0,
                  fmt::format("log10 scale domain must be positive, got [{}, {}]", domain_min, domain_max));
}

double Scale::transform(double value) const { return kind_ == ScaleKind::log10 ? std::log10(value) : value; }

bool Scale::drawable(double value) const {
  return std::isfinite(value) && (kind_ == ScaleKind::linear || value > 0.0);
}

double Scale::map(double value) const {
  if (!drawable(value)) return std::numeric_limits<double>::quiet_NaN();
  const double start = transform(domain_min_);
  const double fraction = (transform(value) - start) / (transform(domain_max_) - start);
  return pixel_start_ + fraction * (pixel_end_ - pixel_start_);
}

double Scale::map_clamped(double value) const {
  if (std::isnan(value)) return std::numeric_limits<double>::quiet_NaN();
  if (kind_ == ScaleKind::log10 && value <= 0.0) return map(domain_min_);
  return map(std::clamp(value, domain_min_, domain_max_));
}

}  // namespace privaudit::report
