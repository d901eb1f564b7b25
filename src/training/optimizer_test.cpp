#include "training/optimizer.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"

namespace privaudit::training {
namespace {

// Two parameters p = [1, -2] take two steps with gradients [0.5, 0.1] and then [-0.25, 0.3], at
// learning rate 0.1. References: the torch.optim update rules written out in numpy 1.24.2
// (float64).
const std::vector<float> kStart = {1.0f, -2.0f};
const std::vector<float> kGrad1 = {0.5f, 0.1f};
const std::vector<float> kGrad2 = {-0.25f, 0.3f};

TEST(Adam, TwoStepsHandComputed) {
  Adam adam(2, 0.9, 0.999, 1e-8, 0.0);
  std::vector<float> p = kStart;
  adam.step(p, kGrad1, 0.1);
  // The first bias-corrected step moves each parameter by lr * sign(g).
  EXPECT_NEAR(p[0], 0.90000000199999997, 1e-6);
  EXPECT_NEAR(p[1], -2.099999990000001, 1e-6);
  adam.step(p, kGrad2, 0.1);
  EXPECT_NEAR(p[0], 0.87336629870784632, 1e-6);
  EXPECT_NEAR(p[1], -2.1917780977944101, 1e-6);
}

TEST(Adam, WeightDecayAddsToGradient) {
  Adam adam(2, 0.9, 0.999, 1e-8, 0.1);
  std::vector<float> p = kStart;
  adam.step(p, kGrad1, 0.1);
  // g = [0.5 + 0.1, 0.1 - 0.2]: the second parameter now moves up.
  EXPECT_NEAR(p[0], 0.9000000016666666, 1e-6);
  EXPECT_NEAR(p[1], -1.900000009999999, 1e-6);
  adam.step(p, kGrad2, 0.1);
  EXPECT_NEAR(p[0], 0.85444136746176247, 1e-6);
  EXPECT_NEAR(p[1], -1.9100134862701348, 1e-6);
}

TEST(Sgd, MomentumTwoStepsHandComputed) {
  Sgd sgd(2, 0.9, 0.01);
  std::vector<float> p = kStart;
  // Step 1: g = [0.51, 0.08], buf = g, p = [1 - 0.051, -2 - 0.008].
  sgd.step(p, kGrad1, 0.1);
  EXPECT_NEAR(p[0], 0.94899999999999995, 1e-6);
  EXPECT_NEAR(p[1], -2.008, 1e-6);
  sgd.step(p, kGrad2, 0.1);
  EXPECT_NEAR(p[0], 0.92715099999999995, 1e-6);
  EXPECT_NEAR(p[1], -2.0431919999999999, 1e-6);
}

TEST(Sgd, ZeroMomentumIsPlainGradientStep) {
  Sgd sgd(2, 0.0, 0.0);
  std::vector<float> p = kStart;
  sgd.step(p, kGrad1, 0.1);
  sgd.step(p, kGrad2, 0.1);
  EXPECT_FLOAT_EQ(p[0], 1.0f - 0.05f + 0.025f);
  EXPECT_FLOAT_EQ(p[1], -2.0f - 0.01f - 0.03f);
}

TEST(Optimizer, ZeroLearningRateKeepsParameters) {
  Adam adam(2, 0.9, 0.999, 1e-8, 0.0);
  std::vector<float> p = kStart;
  adam.step(p, kGrad1, 0.0);
  EXPECT_EQ(p, kStart);
}

TEST(Optimizer, SizeMismatchIsInternalError) {
  Sgd sgd(3, 0.9, 0.0);
  std::vector<float> p = kStart;
  EXPECT_THROW(sgd.step(p, kGrad1, 0.1), InternalError);
}

TEST(MakeOptimizer, FollowsOptions) {
  TrainOptions options;
  options.optimizer = TrainOptions::Optimizer::kSgd;
  options.momentum = 0.0;
  const auto sgd = make_optimizer(options, 2);
  std::vector<float> p = kStart;
  sgd->step(p, kGrad1, 1.0);
  EXPECT_FLOAT_EQ(p[0], 0.5f);
  options.optimizer = TrainOptions::Optimizer::kAdam;
  EXPECT_NE(dynamic_cast<Adam*>(make_optimizer(options, 2).get()), nullptr);
}

}  // namespace
}  // namespace privaudit::training
