#include "signals/signal.h"

#include <algorithm>
#include <cmath>
#include <vector>
#include <limits>

#include "core/error.h"

namespace privaudit::signals {

namespace {

// log(1 + exp(x)) without overflow.
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

// logsumexp of the logits, skipping index `skip` (pass outputs to skip nothing).
double logsumexp(const float* logits, std::size_t outputs, std::size_t skip) {
  double max_value = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < outputs; ++k) {
    if (k != skip) max_value = std::max(max_value, static_cast<double>(logits[k]));
  }
  if (!std::isfinite(max_value)) return max_value;
  double sum = 0.0;
  for (std::size_t k = 0; k < outputs; ++k) {
    if (k != skip) sum += std::exp(static_cast<double>(logits[k]) - max_value);
  }
  return max_value + std::log(sum);
}

void check_label(std::size_t outputs, std::int32_t label) {
  const std::size_t classes = outputs == 1 ? 2 : outputs;
  PRIVAUDIT_CHECK(label >= 0 && static_cast<std::size_t>(label) < classes,
                  "label outside the model's classes");
}

}  // namespace

double logit_confidence(const float* logits, std::size_t outputs, std::int32_t label) {
  check_label(outputs, label);
  if (outputs == 1) {
    const double s = logits[0];
    return label == 1 ? s : -s;
  }
  const auto y = static_cast<std::size_t>(label);
  return static_cast<double>(logits[y]) - logsumexp(logits, outputs, y);
}

double true_label_probability(const float* logits, std::size_t outputs, std::int32_t label) {
  const double phi = logit_confidence(logits, outputs, label);
  // p = sigmoid(phi), written to avoid overflow for large |phi|.
  return phi >= 0 ? 1.0 / (1.0 + std::exp(-phi)) : std::exp(phi) / (1.0 + std::exp(phi));
}

double cross_entropy(const float* logits, std::size_t outputs, std::int32_t label) {
  // -log p_y = -log sigmoid(phi) = softplus(-phi) for both the binary and the softmax case.
  return softplus(-logit_confidence(logits, outputs, label));
}

namespace {

// log(sigmoid(x)) = -log(1 + exp(-x)), stable for large |x|.
double log_sigmoid(double x) {
  return x >= 0.0 ? -std::log1p(std::exp(-x)) : x - std::log1p(std::exp(x));
}

// log(sum_k exp(v_k)) over a non-empty list.
double log_sum_exp(const std::vector<double>& values) {
  const double top = *std::max_element(values.begin(), values.end());
  double sum = 0.0;
  for (const double v : values) sum += std::exp(v - top);
  return top + std::log(sum);
}

}  // namespace

double multi_label_confidence(const float* logits, const float* targets, std::size_t labels) {
  std::vector<double> log_true(labels);
  std::vector<double> log_false(labels);
  for (std::size_t c = 0; c < labels; ++c) {
    // The log-probability of the true value of label c and of its opposite.
    const double signed_logit = targets[c] != 0.0f ? logits[c] : -static_cast<double>(logits[c]);
    log_true[c] = log_sigmoid(signed_logit);
    log_false[c] = log_sigmoid(-signed_logit);
  }
  return log_sum_exp(log_true) - log_sum_exp(log_false);
}

}  // namespace privaudit::signals
