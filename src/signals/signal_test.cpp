#include "signals/signal.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"

namespace privaudit::signals {
namespace {

TEST(LogitConfidence, BinaryLogitSign) {
  const float logit = 2.5f;
  EXPECT_DOUBLE_EQ(logit_confidence(&logit, 1, 1), 2.5);
  EXPECT_DOUBLE_EQ(logit_confidence(&logit, 1, 0), -2.5);
}

TEST(LogitConfidence, MulticlassMatchesScipy) {
  // scipy 1.10.1: z[y] - scipy.special.logsumexp(numpy.delete(z, y)) for z = [2, -1, 0.5], y = 2;
  // equal to log(p / (1 - p)) with p = scipy.special.softmax(z)[2].
  const float logits[] = {2.0f, -1.0f, 0.5f};
  EXPECT_NEAR(logit_confidence(logits, 3, 2), -1.548587351573742, 1e-12);
  EXPECT_NEAR(cross_entropy(logits, 3, 2), 1.7413112966571571, 1e-12);
}

TEST(LogitConfidence, ConfidentModelStaysFinite) {
  // p_y = 1 - 2e-18 rounds to 1.0 in float and double; the logit form keeps phi = 40.
  const float logits[] = {40.0f, -40.0f, 0.0f};
  const double phi = logit_confidence(logits, 3, 0);
  EXPECT_TRUE(std::isfinite(phi));
  EXPECT_NEAR(phi, 40.0, 1e-12);
  const float big = 1000.0f;
  EXPECT_DOUBLE_EQ(logit_confidence(&big, 1, 0), -1000.0);
  EXPECT_NEAR(cross_entropy(&big, 1, 0), 1000.0, 1e-9);
  EXPECT_NEAR(cross_entropy(&big, 1, 1), 0.0, 1e-300);
}

TEST(LogitConfidence, TwoLogitsEqualOneLogitDifference) {
  const float pair[] = {0.3f, 1.7f};
  const float difference = 1.7f - 0.3f;
  EXPECT_NEAR(logit_confidence(pair, 2, 1), logit_confidence(&difference, 1, 1), 1e-6);
}

TEST(TrueLabelProbability, SigmoidOfSignal) {
  const float logit = 0.0f;
  EXPECT_DOUBLE_EQ(true_label_probability(&logit, 1, 1), 0.5);
  const float large = -800.0f;
  EXPECT_LT(true_label_probability(&large, 1, 1), 1e-300);
  EXPECT_DOUBLE_EQ(true_label_probability(&large, 1, 0), 1.0);
}

TEST(LogitConfidence, LabelOutOfRangeIsInternalError) {
  const float logits[] = {1.0f, 2.0f};
  EXPECT_THROW(logit_confidence(logits, 2, 2), InternalError);
  EXPECT_THROW(logit_confidence(logits, 1, -1), InternalError);
}

}  // namespace
}  // namespace privaudit::signals

namespace privaudit::signals {
namespace {

// logits [2, -1], targets [1, 0]: P = sigmoid(2) and 1 - sigmoid(-1) = sigmoid(1), p = their mean
// 0.8059281, phi = log(p / (1 - p)) = 1.4237641 (Python's math module).
TEST(MultiLabelConfidence, HandComputed) {
  const float logits[] = {2.0f, -1.0f};
  const float targets[] = {1.0f, 0.0f};
  EXPECT_NEAR(multi_label_confidence(logits, targets, 2), 1.4237640865169587, 1e-12);
}

TEST(MultiLabelConfidence, OneLabelIsBinarySignal) {
  const float logit[] = {1.75f};
  const float one[] = {1.0f};
  const float zero[] = {0.0f};
  EXPECT_NEAR(multi_label_confidence(logit, one, 1), logit_confidence(logit, 1, 1), 1e-12);
  EXPECT_NEAR(multi_label_confidence(logit, zero, 1), logit_confidence(logit, 1, 0), 1e-12);
}

// Confident labels stay finite: P = sigmoid(30), sigmoid(-25), sigmoid(0.5) with targets 1, 1, 1;
// phi = 0.1636433 (Python's math module).
TEST(MultiLabelConfidence, LargeLogitsFinite) {
  const float logits[] = {30.0f, -25.0f, 0.5f};
  const float targets[] = {1.0f, 1.0f, 1.0f};
  const double phi = multi_label_confidence(logits, targets, 3);
  EXPECT_TRUE(std::isfinite(phi));
  EXPECT_NEAR(phi, 0.16364331854790704, 1e-9);
}

}  // namespace
}  // namespace privaudit::signals
