#include "training/cpu_trainer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.h"
#include "models/network.h"
#include "core/random.h"

// Counts every global operator new in this test binary, so that a test can show that the batch
// loop does not allocate.
namespace {
std::atomic<std::size_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) {
    return p;
  }
  throw std::bad_alloc();
}
// GCC 12 flags free() in a replaced operator delete as mismatched; the pair above and below is
// consistent because this operator new allocates with malloc().
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace privaudit::training {
namespace {

using models::ModelSpec;

// A feature table with all rows selected for training.
struct Table {
  std::size_t width = 0;
  std::size_t classes = 2;
  std::vector<float> x;
  std::vector<std::int32_t> y;
  std::vector<std::uint32_t> rows;

  void add(const std::vector<float>& features, std::int32_t label) {
    rows.push_back(static_cast<std::uint32_t>(y.size()));
    x.insert(x.end(), features.begin(), features.end());
    y.push_back(label);
  }
  TrainingSet set() const { return {x.data(), width, y.data(), classes, rows, y.size()}; }
};

// 400 records with 5 features in U(-1, 1), labelled by the sign of w . x with
// w = [1, -2, 0.5, 1.5, -1]. Records within 0.2 of the boundary are skipped to leave a margin.
Table separable_table() {
  const std::vector<float> w = {1, -2, 0.5f, 1.5f, -1};
  Rng rng(101);
  Table t;
  t.width = 5;
  while (t.y.size() < 400) {
    std::vector<float> f(5);
    float score = 0;
    for (std::size_t j = 0; j < 5; ++j) {
      f[j] = 2 * rng.uniform_float() - 1;
      score += w[j] * f[j];
    }
    if (std::abs(score) >= 0.2f) {
      t.add(f, score > 0 ? 1 : 0);
    }
  }
  return t;
}

// 200 records near the corners (+-1, +-1) with U(-0.2, 0.2) noise, labelled by XOR of the signs.
Table xor_table() {
  Rng rng(102);
  Table t;
  t.width = 2;
  for (int i = 0; i < 200; ++i) {
    const float a = (i % 2 == 0) ? 1.0f : -1.0f;
    const float b = (i / 2 % 2 == 0) ? 1.0f : -1.0f;
    t.add({a + 0.4f * rng.uniform_float() - 0.2f, b + 0.4f * rng.uniform_float() - 0.2f},
          (a > 0) != (b > 0) ? 1 : 0);
  }
  return t;
}

// 300 records around three centres, one class each.
Table blobs_table() {
  const float centres[3][2] = {{0, 2}, {-2, -1}, {2, -1}};
  Rng rng(103);
  Table t;
  t.width = 2;
  t.classes = 3;
  for (int i = 0; i < 300; ++i) {
    const int c = i % 3;
    t.add({centres[c][0] + 1.4f * rng.uniform_float() - 0.7f,
           centres[c][1] + 1.4f * rng.uniform_float() - 0.7f},
          c);
  }
  return t;
}

double training_accuracy(const Model& model, const Table& t) {
  const std::size_t n = t.y.size();
  const std::size_t k = model.outputs();
  std::vector<float> logits(n * k);
  model.predict_logits(t.x.data(), n, logits.data());
  std::size_t correct = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::int32_t predicted = 0;
    if (k == 1) {
      predicted = logits[i] > 0 ? 1 : 0;
    } else {
      for (std::size_t c = 1; c < k; ++c) {
        if (logits[i * k + c] > logits[i * k + predicted]) predicted = static_cast<int>(c);
      }
    }
    correct += predicted == t.y[i] ? 1 : 0;
  }
  return static_cast<double>(correct) / static_cast<double>(n);
}

TrainOptions adam(double lr, std::size_t epochs, std::size_t batch) {
  TrainOptions options;
  options.learning_rate = lr;
  options.epochs = epochs;
  options.batch_size = batch;
  return options;
}

TEST(CpuTrainer, LogisticSeparatesLinearData) {
  const Table t = separable_table();
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kLogistic, 1, 1});
  const TrainResult result = trainer.train(t.set(), adam(0.05, 60, 32), 1, nullptr);
  EXPECT_GT(training_accuracy(*result.model, t), 0.99);
  EXPECT_EQ(result.model->outputs(), 1u);
  EXPECT_EQ(result.model->inputs(), 5u);
}

TEST(CpuTrainer, LossDecreases) {
  const Table t = separable_table();
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kLogistic, 1, 1});
  const TrainResult result = trainer.train(t.set(), adam(0.05, 10, 32), 1, nullptr);
  ASSERT_EQ(result.epoch_loss.size(), 10u);
  EXPECT_LT(result.epoch_loss.back(), 0.5 * result.epoch_loss.front());
  EXPECT_LT(result.epoch_loss[5], result.epoch_loss[0]);
}

TEST(CpuTrainer, MlpLearnsXor) {
  const Table t = xor_table();
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kMlp, 16, 1});
  const TrainResult result = trainer.train(t.set(), adam(0.02, 100, 16), 2, nullptr);
  EXPECT_EQ(training_accuracy(*result.model, t), 1.0);
}

TEST(CpuTrainer, ResNetLearnsXor) {
  const Table t = xor_table();
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kResNet, 16, 2});
  const TrainResult result = trainer.train(t.set(), adam(0.01, 60, 16), 3, nullptr);
  EXPECT_EQ(training_accuracy(*result.model, t), 1.0);
}

TEST(CpuTrainer, SoftmaxLearnsThreeClasses) {
  const Table t = blobs_table();
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kMlp, 8, 1});
  const TrainResult result = trainer.train(t.set(), adam(0.02, 40, 32), 4, nullptr);
  EXPECT_EQ(result.model->outputs(), 3u);
  EXPECT_GT(training_accuracy(*result.model, t), 0.99);
}

TEST(CpuTrainer, SgdTrainsToo) {
  const Table t = separable_table();
  TrainOptions options = adam(0.1, 40, 32);
  options.optimizer = TrainOptions::Optimizer::kSgd;
  options.warmup_epochs = 2;
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kLogistic, 1, 1});
  EXPECT_GT(training_accuracy(*trainer.train(t.set(), options, 5, nullptr).model, t), 0.98);
}

TEST(CpuTrainer, SameSeedSameParameters) {
  const Table t = xor_table();
  TrainOptions options = adam(0.01, 3, 32);
  options.weight_decay = 1e-3;
  options.class_weighting = TrainOptions::ClassWeighting::kBalanced;
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kResNet, 8, 2});
  const TrainResult a = trainer.train(t.set(), options, 42, nullptr);
  const TrainResult b = trainer.train(t.set(), options, 42, nullptr);
  const TrainResult c = trainer.train(t.set(), options, 43, nullptr);
  const auto pa = a.model->parameters();
  const auto pb = b.model->parameters();
  const auto pc = c.model->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  EXPECT_TRUE(std::equal(pa.begin(), pa.end(), pb.begin()));
  EXPECT_EQ(a.epoch_loss, b.epoch_loss);
  EXPECT_FALSE(std::equal(pa.begin(), pa.end(), pc.begin()));
}

TEST(CpuTrainer, StopFlagThrowsInterrupted) {
  const Table t = xor_table();
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kMlp, 4, 1});
  std::atomic<bool> stop{true};
  EXPECT_THROW(trainer.train(t.set(), adam(0.01, 2, 16), 1, &stop), Interrupted);
  stop = false;
  EXPECT_NO_THROW(trainer.train(t.set(), adam(0.01, 2, 16), 1, &stop));
}

TEST(BalancedClassWeights, HandComputed) {
  Table t;
  t.width = 1;
  t.classes = 3;
  for (const std::int32_t label : {0, 0, 0, 1}) {
    t.add({0.0f}, label);
  }
  // N = 4 and 3 classes give w_0 = 4 / (3 * 3) and w_1 = 4 / (3 * 1). Class 2 is absent.
  const std::vector<float> w = balanced_class_weights(t.set());
  ASSERT_EQ(w.size(), 3u);
  EXPECT_FLOAT_EQ(w[0], 4.0f / 9.0f);
  EXPECT_FLOAT_EQ(w[1], 4.0f / 3.0f);
  EXPECT_EQ(w[2], 0.0f);
}

TEST(CpuTrainer, ClassWeightingChangesLossByHand) {
  // Four records, labels [0, 0, 0, 1], one batch, one epoch at a learning rate too small to
  // matter: the epoch loss is the loss of the initial network. Balanced weights are
  // 4 / (2 * 3) = 2/3 for class 0 and 4 / (2 * 1) = 2 for class 1.
  Table t;
  t.width = 2;
  t.add({0.5f, -1.0f}, 0);
  t.add({1.0f, 0.25f}, 0);
  t.add({-0.75f, 0.5f}, 0);
  t.add({0.1f, 0.9f}, 1);
  const ModelSpec spec{ModelSpec::Kind::kMlp, 3, 1};
  const std::uint64_t seed = 9;
  TrainOptions options = adam(1e-12, 1, 4);
  options.optimizer = TrainOptions::Optimizer::kSgd;
  CpuTrainer trainer(spec);
  const double plain = trainer.train(t.set(), options, seed, nullptr).epoch_loss.at(0);
  options.class_weighting = TrainOptions::ClassWeighting::kBalanced;
  const double balanced = trainer.train(t.set(), options, seed, nullptr).epoch_loss.at(0);

  // Per-record binary cross-entropy of the initial network's logits.
  models::Network initial(spec, 2, 1, derive_seed(seed, CpuTrainer::kInitStream, 0));
  std::vector<float> logits(4);
  initial.forward(t.x.data(), 4, logits.data());
  std::vector<double> loss(4);
  for (std::size_t i = 0; i < 4; ++i) {
    const double s = logits[i];
    loss[i] = std::log1p(std::exp(t.y[i] == 1 ? -s : s));
  }
  const double expected_plain = (loss[0] + loss[1] + loss[2] + loss[3]) / 4;
  const double w0 = 2.0 / 3.0;
  const double w1 = 2.0;
  const double expected_balanced =
      (w0 * (loss[0] + loss[1] + loss[2]) + w1 * loss[3]) / (3 * w0 + w1);
  EXPECT_NEAR(plain, expected_plain, 1e-6);
  EXPECT_NEAR(balanced, expected_balanced, 1e-6);
  EXPECT_GT(std::abs(balanced - plain), 1e-3);
}

TEST(CpuTrainer, BatchLoopDoesNotAllocate) {
  // Allocations happen before the first batch and after the last, so they must not grow with
  // the number of epochs (and hence of batches).
  const Table t = xor_table();
  TrainOptions options = adam(0.01, 1, 16);
  options.class_weighting = TrainOptions::ClassWeighting::kBalanced;
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kResNet, 8, 2});
  const auto count_allocations = [&](std::size_t epochs) {
    options.epochs = epochs;
    const std::size_t before = g_allocations.load();
    const TrainResult result = trainer.train(t.set(), options, 1, nullptr);
    return g_allocations.load() - before;
  };
  EXPECT_EQ(count_allocations(1), count_allocations(5));
}

TEST(CpuTrainer, RejectsLabelOutOfRange) {
  Table t = xor_table();
  t.y[7] = 2;
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kLogistic, 1, 1});
  EXPECT_THROW(trainer.train(t.set(), adam(0.01, 1, 16), 1, nullptr), InputError);
}

TEST(CpuTrainer, RejectsRowOutsideTable) {
  Table t = xor_table();
  t.rows.push_back(static_cast<std::uint32_t>(t.y.size()));
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kLogistic, 1, 1});
  EXPECT_THROW(trainer.train(t.set(), adam(0.01, 1, 16), 1, nullptr), UsageError);
}

TEST(CpuTrainer, RejectsDegenerateSets) {
  Table t = xor_table();
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kLogistic, 1, 1});
  TrainingSet one_class = t.set();
  one_class.classes = 1;
  EXPECT_THROW(trainer.train(one_class, adam(0.01, 1, 16), 1, nullptr), UsageError);
  TrainingSet no_rows = t.set();
  no_rows.rows = {};
  EXPECT_THROW(trainer.train(no_rows, adam(0.01, 1, 16), 1, nullptr), UsageError);
  EXPECT_THROW(trainer.train(t.set(), adam(-1, 1, 16), 1, nullptr), UsageError);
}

TEST(CpuTrainer, RejectsNanFeature) {
  Table t = xor_table();
  t.x[3] = NAN;
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kMlp, 4, 1});
  try {
    trainer.train(t.set(), adam(0.01, 1, 16), 1, nullptr);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("table row 1, column 1"), std::string::npos) << e.what();
  }
}

TEST(CpuTrainer, ReportsDivergence) {
  const Table t = separable_table();
  TrainOptions options = adam(1e30, 3, 32);
  options.optimizer = TrainOptions::Optimizer::kSgd;
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kMlp, 4, 1});
  EXPECT_THROW(trainer.train(t.set(), options, 1, nullptr), InputError);
}

TEST(CpuTrainer, WarnsOnFiniteDivergence) {
  // Adam at --lr 1e6 moves every weight by about 1e6 per step: the losses stay finite but end
  // hundreds of times above chance level ln 2.
  const Table t = separable_table();
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kLogistic, 1, 1});
  const TrainResult result = trainer.train(t.set(), adam(1e6, 3, 32), 1, nullptr);
  ASSERT_EQ(result.epoch_loss.size(), 3u);
  EXPECT_GT(result.epoch_loss.back(), kDivergedLossFactor * std::log(2.0));
  ASSERT_EQ(result.warnings.size(), 1u);
  const std::string& warning = result.warnings[0];
  EXPECT_NE(warning.find("training with seed 1 diverged: final epoch loss"), std::string::npos)
      << warning;
  EXPECT_NE(warning.find("far above chance level 0.69"), std::string::npos) << warning;
  EXPECT_NE(warning.find("Lower --lr"), std::string::npos) << warning;
  ASSERT_NE(result.model, nullptr);
}

TEST(CpuTrainer, DivergenceUsesLnOfClasses) {
  const Table t = blobs_table();
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kMlp, 4, 1});
  const TrainResult result = trainer.train(t.set(), adam(1e6, 3, 32), 1, nullptr);
  ASSERT_EQ(result.warnings.size(), 1u);
  // ln 3 = 1.0986.
  EXPECT_NE(result.warnings[0].find("chance level 1.10"), std::string::npos) << result.warnings[0];
}

TEST(CpuTrainer, NoWarningWhenTrainingConverges) {
  const Table t = separable_table();
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kLogistic, 1, 1});
  EXPECT_TRUE(trainer.train(t.set(), adam(0.05, 10, 32), 1, nullptr).warnings.empty());
  // SGD at --lr 1e4 ends above chance level (about 1.5) but below the factor: no warning.
  TrainOptions options = adam(1e4, 3, 32);
  options.optimizer = TrainOptions::Optimizer::kSgd;
  const TrainResult high = trainer.train(t.set(), options, 1, nullptr);
  EXPECT_GT(high.epoch_loss.back(), std::log(2.0));
  EXPECT_LT(high.epoch_loss.back(), kDivergedLossFactor * std::log(2.0));
  EXPECT_TRUE(high.warnings.empty());
}

TEST(CpuTrainer, TrainsOnSubsetOfRows) {
  // Rows outside the subset carry labels that would make XOR unlearnable; the model must not see
  // them.
  Table t = xor_table();
  const std::size_t n = t.y.size();
  for (std::size_t i = 0; i < n; ++i) {
    t.add({t.x[2 * i], t.x[2 * i + 1]}, 1 - t.y[i]);
  }
  t.rows.resize(n);
  CpuTrainer trainer(ModelSpec{ModelSpec::Kind::kMlp, 16, 1});
  const TrainResult result = trainer.train(t.set(), adam(0.02, 100, 16), 2, nullptr);
  Table first = t;
  first.x.resize(2 * n);
  first.y.resize(n);
  EXPECT_EQ(training_accuracy(*result.model, first), 1.0);
}

}  // namespace
}  // namespace privaudit::training
