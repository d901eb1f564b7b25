// DP-SGD training path of CpuTrainer.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <functional>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/random.h"
#include "training/cpu_trainer.h"

namespace privaudit::training {
namespace {

using models::ModelSpec;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// 120 records with 4 features in U(-1, 1), labelled by the sign of x0 - x1 + 0.5 x2, and a
// patient id per record: records 2k and 2k + 1 belong to patient k.
struct Data {
  std::size_t width = 4;
  std::vector<float> x;
  std::vector<std::int32_t> y;
  std::vector<std::uint32_t> rows;
  std::vector<std::int32_t> patient;

  Data() {
    Rng rng(7);
    for (std::uint32_t i = 0; i < 120; ++i) {
      float f[4];
      for (float& v : f) v = 2 * rng.uniform_float() - 1;
      x.insert(x.end(), f, f + 4);
      y.push_back(f[0] - f[1] + 0.5f * f[2] > 0 ? 1 : 0);
      rows.push_back(i);
      patient.push_back(static_cast<std::int32_t>(i / 2));
    }
  }
  TrainingSet set(bool with_patients) const {
    TrainingSet s{x.data(), width, y.data(), 2, rows, y.size()};
    if (with_patients) s.unit_of_row = patient.data();
    return s;
  }
};

ModelSpec mlp() {
  ModelSpec spec;
  spec.kind = ModelSpec::Kind::kMlp;
  spec.width = 8;
  spec.depth = 1;
  return spec;
}

std::vector<float> parameters(const TrainResult& result) {
  const auto p = result.model->parameters();
  return {p.begin(), p.end()};
}

double max_abs_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, std::abs(static_cast<double>(a[i]) - b[i]));
  }
  return worst;
}

// Full-batch training: DP-SGD with q = 1 samples every unit every step, and with C infinite and
// sigma 0 the step is the summed gradient over n units divided by q n, the plain mean gradient.
TrainOptions full_batch(const Data& data, TrainOptions::Optimizer optimizer) {
  TrainOptions options;
  options.optimizer = optimizer;
  options.learning_rate = optimizer == TrainOptions::Optimizer::kSgd ? 0.5 : 0.01;
  options.momentum = 0.0;
  options.epochs = 25;
  options.batch_size = data.rows.size();
  options.schedule = TrainOptions::Schedule::kConstant;
  return options;
}

TEST(DpTraining, NoClipNoNoiseEqualsPlainSgd) {
  const Data data;
  TrainOptions plain = full_batch(data, TrainOptions::Optimizer::kSgd);
  TrainOptions dp = plain;
  dp.privacy = TrainOptions::Privacy::kRecord;
  dp.dp_clip = kInfinity;
  dp.dp_noise = 0.0;
  dp.dp_sampling_rate = 1.0;
  CpuTrainer trainer(mlp());
  const TrainResult a = trainer.train(data.set(false), plain, 11, nullptr);
  const TrainResult b = trainer.train(data.set(false), dp, 11, nullptr);
  ASSERT_EQ(a.epoch_loss.size(), 25u);
  ASSERT_EQ(b.epoch_loss.size(), 25u);
  // Only the order of the float sums differs.
  EXPECT_LT(max_abs_difference(parameters(a), parameters(b)), 1e-5);
  EXPECT_NEAR(a.epoch_loss.back(), b.epoch_loss.back(), 1e-6);
  // Training did something: the loss fell from about ln 2.
  EXPECT_LT(b.epoch_loss.back(), 0.6);
}

TEST(DpTraining, NoClipNoNoiseEqualsPlainAdamPatientUnits) {
  const Data data;
  TrainOptions plain = full_batch(data, TrainOptions::Optimizer::kAdam);
  TrainOptions dp = plain;
  dp.privacy = TrainOptions::Privacy::kPatient;
  dp.dp_clip = kInfinity;
  dp.dp_noise = 0.0;
  dp.dp_sampling_rate = 1.0;
  CpuTrainer trainer(mlp());
  const TrainResult a = trainer.train(data.set(true), plain, 12, nullptr);
  const TrainResult b = trainer.train(data.set(true), dp, 12, nullptr);
  EXPECT_LT(max_abs_difference(parameters(a), parameters(b)), 1e-4);
}

TEST(DpTraining, ClippingChangesTraining) {
  const Data data;
  TrainOptions plain = full_batch(data, TrainOptions::Optimizer::kSgd);
  TrainOptions dp = plain;
  dp.privacy = TrainOptions::Privacy::kRecord;
  dp.dp_clip = 0.01;
  dp.dp_noise = 0.0;
  dp.dp_sampling_rate = 1.0;
  CpuTrainer trainer(mlp());
  const TrainResult a = trainer.train(data.set(false), plain, 11, nullptr);
  const TrainResult b = trainer.train(data.set(false), dp, 11, nullptr);
  EXPECT_GT(max_abs_difference(parameters(a), parameters(b)), 1e-3);
}

TEST(DpTraining, SameSeedSameModelAndNoiseMatters) {
  const Data data;
  TrainOptions dp;
  dp.privacy = TrainOptions::Privacy::kPatient;
  dp.epochs = 3;
  dp.batch_size = 10;
  dp.dp_clip = 1.0;
  dp.dp_noise = 1.0;
  CpuTrainer trainer(mlp());
  const TrainResult a = trainer.train(data.set(true), dp, 5, nullptr);
  const TrainResult b = trainer.train(data.set(true), dp, 5, nullptr);
  EXPECT_EQ(parameters(a), parameters(b));
  const TrainResult c = trainer.train(data.set(true), dp, 6, nullptr);
  EXPECT_NE(parameters(a), parameters(c));
  TrainOptions quiet = dp;
  quiet.dp_noise = 0.0;
  const TrainResult d = trainer.train(data.set(true), quiet, 5, nullptr);
  EXPECT_GT(max_abs_difference(parameters(a), parameters(d)), 1e-4);
}

TEST(DpTraining, EpochHasRoundInverseRateSteps) {
  EXPECT_EQ(dp_steps_per_epoch(1.0), 1u);
  EXPECT_EQ(dp_steps_per_epoch(0.5), 2u);
  EXPECT_EQ(dp_steps_per_epoch(0.3), 3u);       // 3.33 rounds to 3
  EXPECT_EQ(dp_steps_per_epoch(0.0342), 29u);   // 29.24
  EXPECT_EQ(dp_steps_per_epoch(0.8), 1u);       // 1.25 rounds to 1
}

TEST(DpTraining, LogisticTrains) {
  const Data data;
  TrainOptions dp;
  dp.privacy = TrainOptions::Privacy::kRecord;
  dp.epochs = 20;
  dp.batch_size = 30;
  dp.learning_rate = 0.05;
  dp.dp_noise = 0.5;
  ModelSpec spec;
  spec.kind = ModelSpec::Kind::kLogistic;
  CpuTrainer trainer(spec);
  const TrainResult r = trainer.train(data.set(false), dp, 3, nullptr);
  ASSERT_EQ(r.epoch_loss.size(), 20u);
  EXPECT_LT(r.epoch_loss.back(), r.epoch_loss.front());
}

void expect_usage_error(const std::function<void()>& call, const std::string& part) {
  try {
    call();
    ADD_FAILURE() << "expected UsageError containing " << part;
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(DpTraining, RejectsResNetAndUncalibratedTarget) {
  const Data data;
  TrainOptions dp;
  dp.privacy = TrainOptions::Privacy::kPatient;
  dp.epochs = 1;
  ModelSpec resnet;
  resnet.kind = ModelSpec::Kind::kResNet;
  expect_usage_error([&] { CpuTrainer(resnet).train(data.set(true), dp, 1, nullptr); },
                     "not resnet");
  dp.dp_target_epsilon = 8.0;
  expect_usage_error([&] { CpuTrainer(mlp()).train(data.set(true), dp, 1, nullptr); },
                     "--target-epsilon 8 reached the trainer uncalibrated");
}

TEST(DpTraining, InterruptStops) {
  const Data data;
  TrainOptions dp;
  dp.privacy = TrainOptions::Privacy::kPatient;
  dp.epochs = 2;
  const std::atomic<bool> stop{true};
  EXPECT_THROW(CpuTrainer(mlp()).train(data.set(true), dp, 1, &stop), Interrupted);
}

}  // namespace
}  // namespace privaudit::training
