// Diagnostic performance of one trained model: the utility side of the privacy-utility trade-off.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include <nlohmann/json.hpp>

namespace privaudit::run {

struct ModelUtility {
  double train_loss = 0;     // mean cross-entropy on the model's own training (IN) pool records
  double out_loss = 0;       // mean cross-entropy on the pool records it did not train on
  double test_loss = 0;      // mean cross-entropy on the held-out test split
  double test_accuracy = 0;  // fraction of test records whose arg-max class is the label
  // Binary: ROC AUC of the logit on the test split. Multiclass: macro average of the one-vs-rest
  // ROC AUC of each class's log-probability, over the classes that occur in the test split (a rare
  // class may be absent from it). NaN when no class can be scored.
  double test_auroc = 0;

  nlohmann::json to_json() const;
  static ModelUtility from_json(const nlohmann::json& json);
};

// logits: [records, outputs] (outputs 1 for a binary model). labels: [records].
double mean_cross_entropy(std::span<const float> logits, std::size_t outputs,
                          std::span<const std::int32_t> labels);
double accuracy(std::span<const float> logits, std::size_t outputs,
                std::span<const std::int32_t> labels);
double auroc(std::span<const float> logits, std::size_t outputs, std::size_t classes,
             std::span<const std::int32_t> labels);

// Multi-label versions. logits and targets: [records, labels], targets 0 or 1. The loss is the
// mean over records and labels of the binary cross-entropy with logits. Accuracy is the fraction
// of (record, label) pairs whose logit sign matches the target. AUROC is the macro average over
// the labels that have both values in the split, NaN when none has.
double multi_label_loss(std::span<const float> logits, std::span<const float> targets);
double multi_label_accuracy(std::span<const float> logits, std::span<const float> targets);
double multi_label_auroc(std::span<const float> logits, std::span<const float> targets,
                         std::size_t labels);

}  // namespace privaudit::run
