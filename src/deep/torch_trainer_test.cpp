#include "deep/torch_trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/random.h"

namespace privaudit::deep {
namespace {

using training::TrainingSet;
using training::TrainOptions;

// A feature table of flat records with every row selected for training.
struct Table {
  std::size_t width = 0;
  std::size_t classes = 2;
  std::vector<float> x;
  std::vector<std::int32_t> y;
  std::vector<std::uint32_t> rows;

  void add(const std::vector<float>& record, std::int32_t label) {
    rows.push_back(static_cast<std::uint32_t>(y.size()));
    x.insert(x.end(), record.begin(), record.end());
    y.push_back(label);
  }
  TrainingSet set() const { return {x.data(), width, y.data(), classes, rows, y.size()}; }
};

const InputShape kImage{1, 8, 8};

// `count` 8x8 one-channel images with noise U(0, 0.3): label 1 adds 0.7 to the left half, label
// 0 to the right half. Labels alternate unless `ones` sets how many come first as label 1.
Table halves_table(std::size_t count, std::uint64_t seed, std::size_t ones = SIZE_MAX) {
  Rng rng(seed);
  Table t;
  t.width = kImage.size();
  for (std::size_t i = 0; i < count; ++i) {
    const bool left = ones == SIZE_MAX ? i % 2 == 1 : i < ones;
    std::vector<float> image(t.width);
    for (std::size_t y = 0; y < 8; ++y) {
      for (std::size_t x = 0; x < 8; ++x) {
        const bool bright = (x < 4) == left;
        image[y * 8 + x] = 0.3f * rng.uniform_float() + (bright ? 0.7f : 0.0f);
      }
    }
    t.add(image, left ? 1 : 0);
  }
  return t;
}

// ECG-like records [2 leads, 32 samples]: sin(2 pi f t / 32 + phase) per lead with random phase
// and noise U(-0.2, 0.2); f = 1 for label 0 and f = 4 for label 1.
Table frequency_table(std::size_t count, std::uint64_t seed) {
  const InputShape shape{2, 1, 32};
  Rng rng(seed);
  Table t;
  t.width = shape.size();
  for (std::size_t i = 0; i < count; ++i) {
    const int label = static_cast<int>(i % 2);
    const double frequency = label == 1 ? 4.0 : 1.0;
    std::vector<float> record(t.width);
    for (std::size_t lead = 0; lead < 2; ++lead) {
      const double phase = 2.0 * std::numbers::pi * rng.uniform();
      for (std::size_t s = 0; s < 32; ++s) {
        const double angle = 2.0 * std::numbers::pi * frequency * static_cast<double>(s) / 32.0;
        record[lead * 32 + s] =
            static_cast<float>(std::sin(angle + phase) + 0.4 * (rng.uniform() - 0.5));
      }
    }
    t.add(record, label);
  }
  return t;
}

TrainOptions quick_options(std::size_t epochs) {
  TrainOptions options;
  options.learning_rate = 0.01;
  options.epochs = epochs;
  options.batch_size = 32;
  return options;
}

// Fraction of the table's records whose predicted class is the label.
double training_accuracy(const training::Model& model, const Table& t) {
  const std::size_t n = t.y.size();
  const std::size_t k = model.outputs();
  std::vector<float> logits(n * k);
  model.predict_logits(t.x.data(), n, logits.data());
  std::size_t correct = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::int32_t predicted = 0;
    if (k == 1) {
      predicted = logits[i] > 0.0f ? 1 : 0;
    } else {
      predicted = static_cast<std::int32_t>(
          std::max_element(logits.begin() + static_cast<long>(i * k),
                           logits.begin() + static_cast<long>((i + 1) * k)) -
          (logits.begin() + static_cast<long>(i * k)));
    }
    correct += predicted == t.y[i] ? 1 : 0;
  }
  return static_cast<double>(correct) / static_cast<double>(n);
}

std::vector<float> parameters_of(const training::TrainResult& result) {
  const std::span<const float> p = result.model->parameters();
  return {p.begin(), p.end()};
}

// Expects UsageError whose message contains `part`.
template <typename Action>
void expect_usage_error(Action action, const std::string& part) {
  try {
    action();
    ADD_FAILURE() << "expected UsageError containing \"" << part << "\"";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
  }
}

TEST(TorchTrainer, SmallCnnLearnsBrightHalf) {
  const Table t = halves_table(200, 1);
  TorchTrainer trainer(ConvSpec::small_cnn(), kImage, TorchOptions{});
  const training::TrainResult result = trainer.train(t.set(), quick_options(15), 42, nullptr);
  ASSERT_EQ(result.epoch_loss.size(), 15u);
  EXPECT_LT(result.epoch_loss.back(), result.epoch_loss.front());
  EXPECT_TRUE(result.warnings.empty());
  EXPECT_EQ(result.model->outputs(), 1u);
  EXPECT_EQ(result.model->parameters().size(), parameter_count(ConvSpec::small_cnn(), kImage, 1));
  EXPECT_GT(training_accuracy(*result.model, t), 0.95);
}

TEST(TorchTrainer, SameSeedSameParameters) {
  const Table t = halves_table(64, 2);
  TorchTrainer trainer(ConvSpec::small_cnn(), kImage, TorchOptions{});
  const training::TrainResult first = trainer.train(t.set(), quick_options(2), 7, nullptr);
  const training::TrainResult second = trainer.train(t.set(), quick_options(2), 7, nullptr);
  EXPECT_EQ(parameters_of(first), parameters_of(second));
  EXPECT_EQ(first.epoch_loss, second.epoch_loss);
}

TEST(TorchTrainer, DifferentSeedsDiffer) {
  const Table t = halves_table(64, 2);
  TorchTrainer trainer(ConvSpec::small_cnn(), kImage, TorchOptions{});
  const training::TrainResult first = trainer.train(t.set(), quick_options(1), 7, nullptr);
  const training::TrainResult second = trainer.train(t.set(), quick_options(1), 8, nullptr);
  EXPECT_NE(parameters_of(first), parameters_of(second));
}

TEST(TorchTrainer, StopFlagInterrupts) {
  const Table t = halves_table(64, 3);
  TorchTrainer trainer(ConvSpec::small_cnn(), kImage, TorchOptions{});
  const std::atomic<bool> stop{true};
  try {
    trainer.train(t.set(), quick_options(2), 9, &stop);
    ADD_FAILURE() << "training ignored the stop flag";
  } catch (const Interrupted& error) {
    EXPECT_NE(std::string(error.what()).find("seed 9 interrupted at epoch 1 of 2, batch 1 of 2"),
              std::string::npos)
        << error.what();
  }
}

TEST(TorchTrainer, ClassWeightingWeighsLoss) {
  // 60 records of label 1 and 20 of label 0. With a learning rate of 1e-12 and one full batch the
  // parameters barely move, so the epoch loss is the loss of the returned model.
  const Table t = halves_table(80, 4, 60);
  TrainOptions options = quick_options(1);
  options.learning_rate = 1e-12;
  options.batch_size = 80;
  TorchTrainer trainer(ConvSpec::small_cnn(), kImage, TorchOptions{});
  const training::TrainResult plain = trainer.train(t.set(), options, 5, nullptr);
  options.class_weighting = TrainOptions::ClassWeighting::kBalanced;
  const training::TrainResult balanced = trainer.train(t.set(), options, 5, nullptr);

  // Per-record binary cross-entropy of the trained model.
  std::vector<float> logits(80);
  plain.model->predict_logits(t.x.data(), 80, logits.data());
  double plain_sum = 0.0;
  double weighted_sum = 0.0;
  double weight_sum = 0.0;
  for (std::size_t i = 0; i < 80; ++i) {
    const double z = logits[i];
    const double loss =
        std::max(z, 0.0) - z * t.y[i] + std::log1p(std::exp(-std::abs(z)));
    // Balanced weights N / (classes n_c): 80 / (2 * 60) for label 1, 80 / (2 * 20) for label 0.
    const double weight = t.y[i] == 1 ? 80.0 / 120.0 : 80.0 / 40.0;
    plain_sum += loss;
    weighted_sum += weight * loss;
    weight_sum += weight;
  }
  EXPECT_NEAR(plain.epoch_loss[0], plain_sum / 80.0, 1e-5);
  EXPECT_NEAR(balanced.epoch_loss[0], weighted_sum / weight_sum, 1e-5);
  EXPECT_GT(std::abs(balanced.epoch_loss[0] - plain.epoch_loss[0]), 1e-3);
}

// Parameters after one full-batch step of `options` (epochs 1, batch_size = all rows), and the
// initial parameters of the same seed (a warm-up over that step runs it at learning rate 0).
struct OneStep {
  std::vector<float> initial;
  std::vector<float> stepped;
};

OneStep one_step(const Table& t, TrainOptions options) {
  options.epochs = 1;
  options.batch_size = t.y.size();
  options.schedule = TrainOptions::Schedule::kConstant;
  TorchTrainer trainer(ConvSpec::small_cnn(), kImage, TorchOptions{});
  OneStep result;
  result.stepped = parameters_of(trainer.train(t.set(), options, 21, nullptr));
  options.warmup_epochs = 1.0;
  result.initial = parameters_of(trainer.train(t.set(), options, 21, nullptr));
  return result;
}

TEST(TorchTrainer, WarmupStartsAtZero) {
  const Table t = halves_table(32, 14);
  TrainOptions options = quick_options(1);
  options.learning_rate = 0.1;
  const OneStep fast = one_step(t, options);
  options.learning_rate = 0.001;
  const OneStep slow = one_step(t, options);
  EXPECT_EQ(fast.initial, slow.initial);
  EXPECT_NE(fast.stepped, fast.initial);
}

TEST(TorchTrainer, AdamFirstStepIsLearningRate) {
  // Adam's bias-corrected first step is lr * g / (|g| + eps), so every parameter moves by at
  // most lr and, where the gradient is not tiny, by nearly lr. Weight decay 1000 dominates the
  // gradient g + 1000 p but, added to the gradient (torch.optim semantics rather than decoupled
  // AdamW decay), cannot make the step longer than lr.
  const Table t = halves_table(32, 15);
  TrainOptions options = quick_options(1);
  options.learning_rate = 1e-3;
  for (const double weight_decay : {0.0, 1000.0}) {
    options.weight_decay = weight_decay;
    const OneStep step = one_step(t, options);
    ASSERT_EQ(step.initial.size(), step.stepped.size());
    std::size_t near_lr = 0;
    for (std::size_t i = 0; i < step.initial.size(); ++i) {
      const double moved = std::abs(step.stepped[i] - step.initial[i]);
      ASSERT_LE(moved, 1.001e-3) << "parameter " << i << ", weight decay " << weight_decay;
      near_lr += moved > 0.99e-3 ? 1 : 0;
    }
    EXPECT_GT(near_lr, step.initial.size() * 9 / 10) << "weight decay " << weight_decay;
  }
}

TEST(TorchTrainer, SgdWeightDecayAddsToGradient) {
  // One SGD step is p - lr (g + weight_decay p), so the steps with and without decay differ by
  // -lr * weight_decay * p.
  const Table t = halves_table(32, 16);
  TrainOptions options = quick_options(1);
  options.optimizer = TrainOptions::Optimizer::kSgd;
  options.learning_rate = 0.1;
  options.momentum = 0.9;
  const OneStep plain = one_step(t, options);
  options.weight_decay = 0.5;
  const OneStep decayed = one_step(t, options);
  ASSERT_EQ(plain.initial, decayed.initial);
  for (std::size_t i = 0; i < plain.initial.size(); ++i) {
    const double difference = static_cast<double>(decayed.stepped[i]) - plain.stepped[i];
    ASSERT_NEAR(difference, -0.1 * 0.5 * plain.initial[i], 1e-6) << "parameter " << i;
  }
}

TEST(TorchTrainer, HugeLearningRateDiverges) {
  const Table t = halves_table(32, 17);
  TrainOptions options = quick_options(3);
  options.optimizer = TrainOptions::Optimizer::kSgd;
  options.learning_rate = 1e30;
  TorchTrainer trainer(ConvSpec::small_cnn(), kImage, TorchOptions{});
  try {
    const training::TrainResult result = trainer.train(t.set(), options, 18, nullptr);
    ADD_FAILURE() << "trained without error, final loss " << result.epoch_loss.back();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("training with seed 18 diverged"), std::string::npos)
        << error.what();
  }
}

TEST(TorchTrainer, CudaWithoutGpuRejected) {
  if (torch_cuda_available()) {
    GTEST_SKIP() << "a GPU is visible";
  }
  TorchOptions options;
  options.device = "cuda";
  try {
    TorchTrainer trainer(ConvSpec::small_cnn(), kImage, options);
    ADD_FAILURE() << "accepted device cuda without a GPU";
  } catch (const UsageError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("device \"cuda\" is not available"), std::string::npos) << message;
    EXPECT_NE(message.find("no CUDA support, or no GPU"), std::string::npos) << message;
    EXPECT_NE(message.find("CMAKE_PREFIX_PATH"), std::string::npos) << message;
  }
}

TEST(TorchTrainer, CudaMatchesCpu) {
  if (!torch_cuda_available()) {
    GTEST_SKIP() << "no GPU visible to LibTorch";
  }
  const Table t = halves_table(64, 6);
  TorchOptions cuda;
  cuda.device = "cuda";
  const training::TrainResult on_cpu =
      TorchTrainer(ConvSpec::small_cnn(), kImage, TorchOptions{}).train(t.set(), quick_options(2), 3, nullptr);
  const training::TrainResult on_gpu =
      TorchTrainer(ConvSpec::small_cnn(), kImage, cuda).train(t.set(), quick_options(2), 3, nullptr);
  const std::vector<float> a = parameters_of(on_cpu);
  const std::vector<float> b = parameters_of(on_gpu);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_NEAR(a[i], b[i], 1e-3) << "parameter " << i;
  }
}

TEST(TorchTrainer, ResNet1dLearnsFrequency) {
  const Table t = frequency_table(96, 7);
  TorchTrainer trainer(ConvSpec::resnet1d(1), InputShape{2, 1, 32}, TorchOptions{});
  const training::TrainResult result = trainer.train(t.set(), quick_options(6), 11, nullptr);
  EXPECT_LT(result.epoch_loss.back(), result.epoch_loss.front());
  EXPECT_GT(training_accuracy(*result.model, t), 0.9);
}

TEST(TorchTrainer, MulticlassSoftmax) {
  // Three classes: bright left half, bright right half, and bright top half. (A dimmed copy of
  // an image would not do as a class: GroupNorm removes the scale of each record.)
  Table t = halves_table(90, 8);
  t.classes = 3;
  Rng rng(80);
  for (std::size_t i = 0; i < 90; i += 3) {
    for (std::size_t j = 0; j < kImage.size(); ++j) {
      const bool top = j / 8 < 4;
      t.x[i * kImage.size() + j] = 0.3f * rng.uniform_float() + (top ? 0.7f : 0.0f);
    }
    t.y[i] = 2;
  }
  TorchTrainer trainer(ConvSpec::small_cnn(), kImage, TorchOptions{});
  const training::TrainResult result = trainer.train(t.set(), quick_options(15), 12, nullptr);
  EXPECT_EQ(result.model->outputs(), 3u);
  EXPECT_LT(result.epoch_loss.back(), 0.5 * result.epoch_loss.front());
  EXPECT_GT(training_accuracy(*result.model, t), 0.95);
}

TEST(TorchTrainer, AugmentationRuns) {
  const Table t = halves_table(64, 9);
  TorchOptions augmented;
  augmented.augment_max_shift = 2;
  TorchTrainer plain_trainer(ConvSpec::small_cnn(), kImage, TorchOptions{});
  TorchTrainer augmented_trainer(ConvSpec::small_cnn(), kImage, augmented);
  const training::TrainResult plain = plain_trainer.train(t.set(), quick_options(2), 13, nullptr);
  const training::TrainResult first = augmented_trainer.train(t.set(), quick_options(2), 13, nullptr);
  const training::TrainResult second = augmented_trainer.train(t.set(), quick_options(2), 13, nullptr);
  for (const double loss : first.epoch_loss) {
    EXPECT_TRUE(std::isfinite(loss));
  }
  // Augmentation changes the training inputs, and its draws come from the seed.
  EXPECT_NE(parameters_of(first), parameters_of(plain));
  EXPECT_EQ(parameters_of(first), parameters_of(second));
}

TEST(TorchTrainer, AugmentationRejectedForEcgAndLargeShift) {
  TorchOptions options;
  options.augment_max_shift = 2;
  expect_usage_error(
      [&] { TorchTrainer(ConvSpec::small_cnn(), InputShape{2, 1, 32}, options); },
      "invalid augment_max_shift 2: flips and shifts apply to images");
  options.augment_max_shift = 8;
  expect_usage_error([&] { TorchTrainer(ConvSpec::small_cnn(), kImage, options); },
                     "invalid augment_max_shift 8: expected a shift below the image height 8");
}

TEST(TorchTrainer, WidthMismatchRejected) {
  const Table t = halves_table(8, 10);
  TorchTrainer trainer(ConvSpec::small_cnn(), InputShape{1, 4, 4}, TorchOptions{});
  expect_usage_error([&] { trainer.train(t.set(), quick_options(1), 1, nullptr); },
                     "training set has 64 features per record, but input shape 1x4x4");
}

TEST(TorchTrainer, PrivacyRejected) {
  const Table t = halves_table(8, 10);
  TorchTrainer trainer(ConvSpec::small_cnn(), kImage, TorchOptions{});
  TrainOptions options = quick_options(1);
  options.privacy = TrainOptions::Privacy::kRecord;
  expect_usage_error([&] { trainer.train(t.set(), options, 1, nullptr); },
                     "--dp record is not available for convolutional models");
}

TEST(TorchTrainer, InvalidSpecOrOptionsRejected) {
  expect_usage_error([] { TorchTrainer(ConvSpec::wide_resnet(15, 2), InputShape{3, 8, 8}, {}); },
                     "depth 15");
  expect_usage_error([] { TorchTrainer(ConvSpec::resnet1d(), InputShape{3, 8, 8}, {}); },
                     "resnet1d takes ECGs");
  TorchOptions options;
  options.intra_op_threads = 0;
  expect_usage_error([&] { TorchTrainer(ConvSpec::small_cnn(), kImage, options); },
                     "intra_op_threads 0");
}

TEST(TorchTrainer, NonFiniteFeatureRejected) {
  Table t = halves_table(8, 10);
  t.x[5] = NAN;
  TorchTrainer trainer(ConvSpec::small_cnn(), kImage, TorchOptions{});
  EXPECT_THROW(trainer.train(t.set(), quick_options(1), 1, nullptr), InputError);
}

}  // namespace
}  // namespace privaudit::deep
