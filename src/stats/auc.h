// Two-sample AUC estimators used for record-level and patient-level membership risk.
#pragma once

#include <cstddef>
#include <span>

namespace privaudit::stats {

// Mann-Whitney AUC: P(pos > neg) + 0.5 P(pos == neg) over all pairs. O((n1 + n2) log(n1 + n2)).
// Returns NaN when either sample is empty or contains NaN.
double mann_whitney_auc(std::span<const double> positives, std::span<const double> negatives);

// Binormal AUC: Phi((mean_pos - mean_neg) / sqrt(var_pos + var_neg)). Not floored at 0.5, so a
// signal that points the other way gives AUC < 0.5. With var_pos + var_neg == 0 the result is 1, 0
// or 0.5 by the sign of mean_pos - mean_neg.
double binormal_auc(double mean_pos, double var_pos, double mean_neg, double var_neg);

// Hanley and McNeil (1982) standard error of an AUC estimate from n_pos and n_neg samples.
// Returns NaN when either count is zero or auc is outside [0, 1].
double hanley_mcneil_se(double auc, std::size_t n_pos, std::size_t n_neg);

}  // namespace privaudit::stats
