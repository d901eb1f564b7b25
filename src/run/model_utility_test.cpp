#include "run/model_utility.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace privaudit::run {
namespace {

TEST(ModelUtility, BinaryAurocMatchesSklearn) {
  // sklearn 1.2.1 roc_auc_score([1, 0, 1, 0, 0], [0.3, -1.2, 2.0, 0.3, -0.5]) = 0.9166666666666667
  // (one tie between a positive and a negative counts half).
  const std::vector<float> logits = {0.3f, -1.2f, 2.0f, 0.3f, -0.5f};
  const std::vector<std::int32_t> labels = {1, 0, 1, 0, 0};
  EXPECT_NEAR(auroc(logits, 1, 2, labels), 0.9166666666666667, 1e-12);
  EXPECT_NEAR(accuracy(logits, 1, labels), 0.8, 1e-12);
}

TEST(ModelUtility, MulticlassMatchesSklearn) {
  // sklearn 1.2.1: roc_auc_score(y, softmax(z), multi_class="ovr", average="macro") and
  // log_loss(y, softmax(z)) for the values below.
  const std::vector<float> logits = {2.0f, 0.1f, -1.0f, 0.5f, 0.4f, 0.3f, -1.0f, 2.0f, 0.5f,
                                     0.1f, 0.2f, 3.0f,  1.0f, -1.0f, 0.0f, 0.0f, 0.3f, 0.2f};
  const std::vector<std::int32_t> labels = {0, 1, 1, 2, 2, 1};
  EXPECT_NEAR(auroc(logits, 3, 3, labels), 0.9166666666666666, 1e-12);
  EXPECT_NEAR(mean_cross_entropy(logits, 3, labels), 0.6691941620945031, 1e-6);
  EXPECT_NEAR(accuracy(logits, 3, labels), 4.0 / 6.0, 1e-12);
}

TEST(ModelUtility, EmptySplitGivesNaN) {
  const std::vector<float> logits;
  const std::vector<std::int32_t> labels;
  EXPECT_TRUE(std::isnan(mean_cross_entropy(logits, 1, labels)));
  EXPECT_TRUE(std::isnan(accuracy(logits, 1, labels)));
}

TEST(ModelUtility, JsonRoundTripKeepsNaN) {
  ModelUtility utility;
  utility.test_auroc = std::nan("");
  utility.train_loss = 0.25;
  const ModelUtility back = ModelUtility::from_json(utility.to_json());
  EXPECT_TRUE(std::isnan(back.test_auroc));
  EXPECT_DOUBLE_EQ(back.train_loss, 0.25);
}

}  // namespace
}  // namespace privaudit::run

namespace privaudit::run {
namespace {

// Two records, two labels. BCE with logits by hand: z = 0 gives ln 2 for either target; z = 2
// with target 1 gives ln(1 + e^-2) = 0.126928; z = -1 with target 1 gives ln(1 + e) = 1.313262.
TEST(MultiLabelUtility, LossAccuracyAuroc) {
  const std::vector<float> logits = {0.0f, 2.0f, -1.0f, -3.0f};
  const std::vector<float> targets = {1.0f, 1.0f, 1.0f, 0.0f};
  const double expected = (std::log(2.0) + std::log1p(std::exp(-2.0)) + std::log1p(std::exp(1.0)) +
                           std::log1p(std::exp(-3.0))) / 4.0;
  EXPECT_NEAR(multi_label_loss(logits, targets), expected, 1e-9);
  // Right: (z 2, t 1) and (z -3, t 0); wrong: (0, 1) since 0 is not > 0, and (-1, 1).
  EXPECT_DOUBLE_EQ(multi_label_accuracy(logits, targets), 0.5);
  // Label 0 has only positives (no AUROC); label 1 ranks its positive above its negative.
  EXPECT_DOUBLE_EQ(multi_label_auroc(logits, targets, 2), 1.0);
}

}  // namespace
}  // namespace privaudit::run
