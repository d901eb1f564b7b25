// The membership signal: logit-scaled confidence of the true label, phi = log(p_y / (1 - p_y)),
// computed from logits in double precision so that a confident model gives a large finite value
// instead of the infinity that log(p / (1 - p)) of a rounded p = 1.0f would give.
#pragma once

#include <cstddef>
#include <cstdint>

namespace privaudit::signals {

// Returns phi for one record. logits: [outputs]. With one output (a binary model's logit s) phi is s
// for label 1 and -s for label 0; with K >= 2 outputs phi = z_y - logsumexp_{k != y} z_k.
double logit_confidence(const float* logits, std::size_t outputs, std::int32_t label);

// Returns phi for one record of a multi-label task with one sigmoid per label. logits and
// targets (0 or 1) are [labels]. p is the true-label probability mass, the mean over labels c of
// P(y_c), where P(y_c) = sigmoid(z_c) when y_c = 1 and 1 - sigmoid(z_c) when y_c = 0, and
// phi = log(p / (1 - p)) = logsumexp_c log P(y_c) - logsumexp_c log(1 - P(y_c)), computed in log
// space. With one label this is logit_confidence of a binary model.
double multi_label_confidence(const float* logits, const float* targets, std::size_t labels);

// Returns the probability of the true label (the softmax or sigmoid output), for utility metrics.
double true_label_probability(const float* logits, std::size_t outputs, std::int32_t label);

// Returns the cross-entropy loss -log p_y, computed stably from logits.
double cross_entropy(const float* logits, std::size_t outputs, std::int32_t label);

}  // namespace privaudit::signals
