// Loss (confidence-threshold) attack of Yeom et al. 2018: a model fits its training records
// better, so a higher confidence in the true label points to a member.
#pragma once

#include <cstddef>
#include <vector>

#include "attacks/signal_matrix.h"

namespace privaudit::attacks {

// Scores [records] of model `target`: score = phi[target, i]. phi = log(p / (1 - p)) is
// increasing in p, and the cross-entropy loss -log p is decreasing in p, so this ranks records
// the same as the negative loss. Uses no reference model. Throws UsageError for a target index
// out of range.
std::vector<double> loss_attack(const SignalView& view, std::size_t target);

}  // namespace privaudit::attacks
