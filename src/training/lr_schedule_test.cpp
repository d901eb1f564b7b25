#include "training/lr_schedule.h"

#include <gtest/gtest.h>

#include <cmath>

namespace privaudit::training {
namespace {

constexpr auto kCosine = TrainOptions::Schedule::kCosine;
constexpr auto kConstant = TrainOptions::Schedule::kConstant;

TEST(LrSchedule, CosineWithWarmup) {
  // 100 steps, 10 of warm-up, peak 0.1.
  EXPECT_EQ(scheduled_learning_rate(0.1, kCosine, 0, 100, 10), 0.0);
  EXPECT_NEAR(scheduled_learning_rate(0.1, kCosine, 5, 100, 10), 0.05, 1e-15);
  EXPECT_NEAR(scheduled_learning_rate(0.1, kCosine, 10, 100, 10), 0.1, 1e-15);
  EXPECT_NEAR(scheduled_learning_rate(0.1, kCosine, 55, 100, 10), 0.05, 1e-15);
  // Last step taken: 0.05 * (1 + cos(pi * 89 / 90)), computed with Python 3.11 math.cos.
  EXPECT_NEAR(scheduled_learning_rate(0.1, kCosine, 99, 100, 10), 3.0458649045211895e-05, 1e-15);
  EXPECT_NEAR(scheduled_learning_rate(0.1, kCosine, 100, 100, 10), 0.0, 1e-15);
  EXPECT_NEAR(scheduled_learning_rate(0.1, kCosine, 150, 100, 10), 0.0, 1e-15);
}

TEST(LrSchedule, CosineWithoutWarmupStartsAtPeak) {
  EXPECT_EQ(scheduled_learning_rate(0.1, kCosine, 0, 100, 0), 0.1);
  EXPECT_NEAR(scheduled_learning_rate(0.1, kCosine, 50, 100, 0), 0.05, 1e-15);
}

TEST(LrSchedule, ConstantWithWarmup) {
  EXPECT_EQ(scheduled_learning_rate(0.1, kConstant, 0, 100, 4), 0.0);
  EXPECT_NEAR(scheduled_learning_rate(0.1, kConstant, 1, 100, 4), 0.025, 1e-15);
  EXPECT_EQ(scheduled_learning_rate(0.1, kConstant, 4, 100, 4), 0.1);
  EXPECT_EQ(scheduled_learning_rate(0.1, kConstant, 99, 100, 4), 0.1);
}

TEST(LrSchedule, WarmupOverAllSteps) {
  EXPECT_NEAR(scheduled_learning_rate(0.1, kCosine, 9, 10, 10), 0.09, 1e-15);
  EXPECT_EQ(scheduled_learning_rate(0.1, kCosine, 10, 10, 10), 0.0);
}

}  // namespace
}  // namespace privaudit::training
