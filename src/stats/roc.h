// ROC curves for aggregate membership attacks: members are positives, larger score = member.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace privaudit::stats {

// One point per distinct score threshold, sorted by increasing FPR, starting at (0, 0) and ending
// at (1, 1); tied scores form one point. The points are the same as those of sklearn's roc_curve
// with drop_intermediate=False, which also starts at (0, 0).
struct RocCurve {
  std::vector<double> fpr;
  std::vector<double> tpr;
  std::vector<double> thresholds;  // score at or above which a record is called a member; +inf
                                   // at the leading (0, 0), where no record is called a member
};

// Builds the ROC curve. labels[i] != 0 marks a member. Throws InternalError on size mismatch.
// Without members every TPR is NaN, and without non-members every FPR is NaN (0 / 0); the
// thresholds are still filled. Any NaN score gives the single point (NaN, NaN) with threshold NaN.
RocCurve roc_curve(std::span<const double> scores, std::span<const std::uint8_t> labels);

// Area under the ROC curve by the trapezoidal rule (equals the Mann-Whitney AUC with ties half).
// Returns NaN if either class is absent, a score is NaN, or the curve has fewer than 2 points.
double roc_auc(const RocCurve& curve);

// TPR at a given FPR, linearly interpolated between ROC points (numpy.interp on the curve). When
// several points share that FPR, the highest TPR among them is used. An fpr outside [0, 1] is
// clamped to it, so a negative fpr gives the TPR at FPR 0, where numpy.interp gives tpr[0] = 0.
// Returns NaN for a NaN fpr, an empty curve, or a curve whose rates are NaN (a missing class or a
// NaN score).
double tpr_at_fpr(const RocCurve& curve, double fpr);

// `points` FPR values spaced evenly in log10 from min_fpr to 1 (both included). Requires
// 0 < min_fpr < 1 and points >= 2, and throws InternalError otherwise.
std::vector<double> log_fpr_grid(double min_fpr, std::size_t points);

// tpr_at_fpr() at each grid value.
std::vector<double> interpolate_tpr(const RocCurve& curve, std::span<const double> fpr_grid);

}  // namespace privaudit::stats
