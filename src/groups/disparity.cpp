#include "groups/disparity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "core/error.h"
#include "stats/chi_square.h"

namespace privaudit::groups {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Relative allowance for binary rounding in fraction * N before rounding down.
constexpr double kTopCountTolerance = 1e-12;

}  // namespace

Disparity top_fraction_disparity(const Grouping& grouping, std::span<const double> auc,
                                 double fraction) {
  if (!(fraction > 0.0 && fraction <= 1.0)) {
    throw UsageError(fmt::format(
        "top fraction {} is invalid: expected a value in (0, 1], for example 0.01 for the top 1%",
        fraction));
  }
  const std::span<const std::int32_t> group_of_unit = grouping.group_of_unit;
  PRIVAUDIT_CHECK(auc.size() == group_of_unit.size(),
                  fmt::format("top_fraction_disparity: {} AUCs for {} units of attribute \"{}\"",
                              auc.size(), group_of_unit.size(), grouping.attribute));
  const std::size_t group_count = grouping.groups();

  // 1. Units with a finite AUC, counted per group.
  Disparity result;
  result.groups.resize(group_count);
  std::vector<std::size_t> ranked;
  for (std::size_t unit = 0; unit < auc.size(); ++unit) {
    const std::int32_t group = group_of_unit[unit];
    PRIVAUDIT_CHECK(group >= 0 && static_cast<std::size_t>(group) < group_count,
                    fmt::format("top_fraction_disparity: unit {} has group {}, expected [0, {})",
                                unit, group, group_count));
    if (std::isfinite(auc[unit])) {
      ranked.push_back(unit);
      ++result.groups[static_cast<std::size_t>(group)].units;
    }
  }
  result.units = ranked.size();
  const auto units = static_cast<double>(result.units);
  const double top_count = std::floor(fraction * units * (1.0 + kTopCountTolerance));
  result.top_n = std::min(static_cast<std::size_t>(top_count), result.units);

  // 2. The top_n units: largest AUC first, then lower index. The order is total, so the selected
  // set is the same for any correct selection algorithm.
  const auto higher = [&](std::size_t a, std::size_t b) {
    return auc[a] > auc[b] || (auc[a] == auc[b] && a < b);
  };
  const auto top_end = ranked.begin() + static_cast<std::ptrdiff_t>(result.top_n);
  std::nth_element(ranked.begin(), top_end, ranked.end(), higher);
  for (auto it = ranked.begin(); it != top_end; ++it) {
    ++result.groups[static_cast<std::size_t>(group_of_unit[*it])].observed;
  }

  // 3. Expected counts, residuals and the chi-square sum over groups with E > 0.
  const auto top_n = static_cast<double>(result.top_n);
  double chi_square = 0.0;
  std::size_t tested_groups = 0;
  for (GroupCount& count : result.groups) {
    count.share = result.units > 0 ? static_cast<double>(count.units) / units : kNaN;
    count.expected = result.units > 0 ? count.share * top_n : 0.0;
    const double difference = static_cast<double>(count.observed) - count.expected;
    if (count.expected > 0.0) {
      count.residual = difference / std::sqrt(count.expected);
      count.relative_difference = difference / count.expected;
      chi_square += difference * difference / count.expected;
      ++tested_groups;
    } else {
      count.residual = kNaN;
      count.relative_difference = kNaN;
    }
  }

  // 4. The test, or NaN when no unit is in the top.
  result.dof = tested_groups > 0 ? tested_groups - 1 : 0;
  if (result.top_n == 0) {
    result.chi_square = kNaN;
    result.p_value = kNaN;
    return result;
  }
  result.chi_square = chi_square;
  result.p_value = stats::chi_square_sf(chi_square, static_cast<double>(result.dof));
  return result;
}

std::vector<double> bonferroni(std::span<const double> p_values) {
  const auto tests = static_cast<double>(
      std::count_if(p_values.begin(), p_values.end(), [](double p) { return !std::isnan(p); }));
  std::vector<double> adjusted;
  adjusted.reserve(p_values.size());
  for (const double p : p_values) {
    adjusted.push_back(std::isnan(p) ? p : std::min(1.0, p * tests));
  }
  return adjusted;
}

}  // namespace privaudit::groups
