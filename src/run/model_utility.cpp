#include "run/model_utility.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/error.h"
#include "signals/signal.h"
#include "stats/roc.h"

namespace privaudit::run {

namespace {

double number_or_nan(const nlohmann::json& json, const char* key) {
  const auto& value = json.at(key);
  return value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
}

nlohmann::json nan_to_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

// Class predicted by one row of logits.
std::int32_t predicted_class(const float* logits, std::size_t outputs) {
  if (outputs == 1) return logits[0] > 0 ? 1 : 0;
  std::size_t best = 0;
  for (std::size_t k = 1; k < outputs; ++k) {
    if (logits[k] > logits[best]) best = k;
  }
  return static_cast<std::int32_t>(best);
}

}  // namespace

nlohmann::json ModelUtility::to_json() const {
  return {{"train_loss", nan_to_null(train_loss)},
          {"out_loss", nan_to_null(out_loss)},
          {"test_loss", nan_to_null(test_loss)},
          {"test_accuracy", nan_to_null(test_accuracy)},
          {"test_auroc", nan_to_null(test_auroc)}};
}

ModelUtility ModelUtility::from_json(const nlohmann::json& json) {
  ModelUtility utility;
  utility.train_loss = number_or_nan(json, "train_loss");
  utility.out_loss = number_or_nan(json, "out_loss");
  utility.test_loss = number_or_nan(json, "test_loss");
  utility.test_accuracy = number_or_nan(json, "test_accuracy");
  utility.test_auroc = number_or_nan(json, "test_auroc");
  return utility;
}

double mean_cross_entropy(std::span<const float> logits, std::size_t outputs,
                          std::span<const std::int32_t> labels) {
  PRIVAUDIT_CHECK(logits.size() == labels.size() * outputs, "logits and labels disagree in size");
  if (labels.empty()) return std::numeric_limits<double>::quiet_NaN();
  double total = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    total += signals::cross_entropy(logits.data() + i * outputs, outputs, labels[i]);
  }
  return total / static_cast<double>(labels.size());
}

double accuracy(std::span<const float> logits, std::size_t outputs,
                std::span<const std::int32_t> labels) {
  PRIVAUDIT_CHECK(logits.size() == labels.size() * outputs, "logits and labels disagree in size");
  if (labels.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::size_t correct = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    correct += predicted_class(logits.data() + i * outputs, outputs) == labels[i];
  }
  return static_cast<double>(correct) / static_cast<double>(labels.size());
}

double auroc(std::span<const float> logits, std::size_t outputs, std::size_t classes,
             std::span<const std::int32_t> labels) {
  PRIVAUDIT_CHECK(logits.size() == labels.size() * outputs, "logits and labels disagree in size");
  const std::size_t n = labels.size();
  std::vector<double> scores(n);
  std::vector<std::uint8_t> positive(n);
  if (outputs == 1) {
    for (std::size_t i = 0; i < n; ++i) {
      scores[i] = logits[i];
      positive[i] = labels[i] == 1;
    }
    return stats::roc_auc(stats::roc_curve(scores, positive));
  }
  // Macro one-vs-rest AUROC; the log-probability of class k ranks records like its probability.
  double sum = 0;
  std::size_t counted = 0;
  for (std::size_t k = 0; k < classes; ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      scores[i] = -signals::cross_entropy(logits.data() + i * outputs, outputs,
                                          static_cast<std::int32_t>(k));
      positive[i] = labels[i] == static_cast<std::int32_t>(k);
    }
    const double auc = stats::roc_auc(stats::roc_curve(scores, positive));
    if (std::isfinite(auc)) {
      sum += auc;
      ++counted;
    }
  }
  return counted > 0 ? sum / static_cast<double>(counted) : std::numeric_limits<double>::quiet_NaN();
}

double multi_label_loss(std::span<const float> logits, std::span<const float> targets) {
  PRIVAUDIT_CHECK(logits.size() == targets.size(), "logits and targets disagree in size");
  if (logits.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0.0;
  for (std::size_t k = 0; k < logits.size(); ++k) {
    const double z = logits[k];
    sum += std::max(z, 0.0) - z * targets[k] + std::log1p(std::exp(-std::abs(z)));
  }
  return sum / static_cast<double>(logits.size());
}

double multi_label_accuracy(std::span<const float> logits, std::span<const float> targets) {
  PRIVAUDIT_CHECK(logits.size() == targets.size(), "logits and targets disagree in size");
  if (logits.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::size_t right = 0;
  for (std::size_t k = 0; k < logits.size(); ++k) right += (logits[k] > 0.0f) == (targets[k] != 0.0f);
  return static_cast<double>(right) / static_cast<double>(logits.size());
}

double multi_label_auroc(std::span<const float> logits, std::span<const float> targets,
                         std::size_t labels) {
  PRIVAUDIT_CHECK(labels > 0 && logits.size() == targets.size() && logits.size() % labels == 0,
                  "logits and targets disagree in size");
  const std::size_t n = logits.size() / labels;
  std::vector<double> scores(n);
  std::vector<std::uint8_t> positive(n);
  double sum = 0.0;
  std::size_t counted = 0;
  for (std::size_t c = 0; c < labels; ++c) {
    for (std::size_t i = 0; i < n; ++i) {
      scores[i] = logits[i * labels + c];
      positive[i] = targets[i * labels + c] != 0.0f;
    }
    const double auc = stats::roc_auc(stats::roc_curve(scores, positive));
    if (std::isfinite(auc)) {
      sum += auc;
      ++counted;
    }
  }
  return counted > 0 ? sum / static_cast<double>(counted) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace privaudit::run
