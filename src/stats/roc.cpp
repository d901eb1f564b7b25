#include "stats/roc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// count / total, or NaN when the class is absent (total == 0).
double rate(std::size_t count, std::size_t total) {
  if (total == 0) {
    return kNaN;
  }
  return static_cast<double>(count) / static_cast<double>(total);
}

void check_curve(const RocCurve& curve) {
  PRIVAUDIT_CHECK(curve.fpr.size() == curve.tpr.size(),
                  fmt::format("ROC curve has {} FPR values but {} TPR values", curve.fpr.size(),
                              curve.tpr.size()));
}

}  // namespace

RocCurve roc_curve(std::span<const double> scores, std::span<const std::uint8_t> labels) {
  PRIVAUDIT_CHECK(scores.size() == labels.size(),
                  fmt::format("roc_curve got {} scores but {} labels", scores.size(),
                              labels.size()));

  // 1. A NaN score cannot be ranked, so the whole curve is undefined.
  RocCurve curve;
  if (std::any_of(scores.begin(), scores.end(), [](double s) { return std::isnan(s); })) {
    curve.fpr.push_back(kNaN);
    curve.tpr.push_back(kNaN);
    curve.thresholds.push_back(kNaN);
    return curve;
  }

  // 2. Pair each score with its label and sort by descending score: O(n log n).
  std::vector<std::pair<double, bool>> ranked(scores.size());
  std::size_t n_pos = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const bool member = labels[i] != 0;
    ranked[i] = {scores[i], member};
    n_pos += member ? 1 : 0;
  }
  const std::size_t n_neg = scores.size() - n_pos;
  std::sort(ranked.begin(), ranked.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });

  // 3. The leading point calls no record a member.
  curve.fpr.push_back(rate(0, n_neg));
  curve.tpr.push_back(rate(0, n_pos));
  curve.thresholds.push_back(kInf);

  // 4. Lower the threshold one distinct score at a time, so each tie group adds one point.
  std::size_t true_pos = 0;
  std::size_t false_pos = 0;
  std::size_t i = 0;
  while (i < ranked.size()) {
    const double threshold = ranked[i].first;
    while (i < ranked.size() && ranked[i].first == threshold) {
      if (ranked[i].second) {
        ++true_pos;
      } else {
        ++false_pos;
      }
      ++i;
    }
    curve.fpr.push_back(rate(false_pos, n_neg));
    curve.tpr.push_back(rate(true_pos, n_pos));
    curve.thresholds.push_back(threshold);
  }
  return curve;
}

double roc_auc(const RocCurve& curve) {
  check_curve(curve);
  if (curve.fpr.size() < 2) {
    return kNaN;
  }

  // Trapezoidal rule. A missing class leaves NaN rates, which propagate into the sum.
  double area = 0.0;
  for (std::size_t k = 0; k + 1 < curve.fpr.size(); ++k) {
    area += (curve.fpr[k + 1] - curve.fpr[k]) * (curve.tpr[k] + curve.tpr[k + 1]) * 0.5;
  }
  return area;
}

double tpr_at_fpr(const RocCurve& curve, double fpr) {
  // 1. Undefined cases. A curve from roc_curve() has NaN in every entry of a rate or in none.
  check_curve(curve);
  if (curve.fpr.empty() || std::isnan(fpr) || std::isnan(curve.fpr.front()) ||
      std::isnan(curve.tpr.front())) {
    return kNaN;
  }

  // 2. Find the last point with FPR <= fpr. Among points that share an FPR it has the highest
  // TPR, because TPR never decreases along the curve.
  const double x = std::clamp(fpr, 0.0, 1.0);
  const auto upper = std::upper_bound(curve.fpr.begin(), curve.fpr.end(), x);
  if (upper == curve.fpr.begin()) {
    return curve.tpr.front();
  }
  const auto j = static_cast<std::size_t>(upper - curve.fpr.begin()) - 1;
  if (j + 1 == curve.fpr.size()) {
    return curve.tpr[j];
  }

  // 3. Interpolate towards the next point, which has a strictly larger FPR, with the same
  // expression as numpy.interp (numpy 1.24).
  const double slope = (curve.tpr[j + 1] - curve.tpr[j]) / (curve.fpr[j + 1] - curve.fpr[j]);
  return slope * (x - curve.fpr[j]) + curve.tpr[j];
}

std::vector<double> log_fpr_grid(double min_fpr, std::size_t points) {
  PRIVAUDIT_CHECK(min_fpr > 0.0 && min_fpr < 1.0,
                  fmt::format("log_fpr_grid needs min_fpr in (0, 1), got {}", min_fpr));
  PRIVAUDIT_CHECK(points >= 2,
                  fmt::format("log_fpr_grid needs at least 2 points, got {}", points));

  // Exponents evenly spaced from log10(min_fpr) to 0, as in numpy.logspace. The ends are set
  // afterwards so that the grid contains min_fpr and 1 exactly.
  const double low = std::log10(min_fpr);
  const double step = -low / static_cast<double>(points - 1);
  std::vector<double> grid(points);
  for (std::size_t k = 0; k < points; ++k) {
    grid[k] = std::pow(10.0, low + static_cast<double>(k) * step);
  }
  grid.front() = min_fpr;
  grid.back() = 1.0;
  return grid;
}

std::vector<double> interpolate_tpr(const RocCurve& curve, std::span<const double> fpr_grid) {
  std::vector<double> tpr(fpr_grid.size());
  for (std::size_t k = 0; k < fpr_grid.size(); ++k) {
    tpr[k] = tpr_at_fpr(curve, fpr_grid[k]);
  }
  return tpr;
}

}  // namespace privaudit::stats
