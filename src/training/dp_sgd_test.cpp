#include "training/dp_sgd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/random.h"
#include "models/model_spec.h"
#include "models/network.h"

namespace privaudit::training {
namespace {

using models::ModelSpec;
using models::Network;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct Batch {
  std::vector<float> x;         // [rows, inputs]
  std::vector<std::int32_t> y;  // [rows]
};

Batch make_batch(std::size_t rows, std::size_t inputs, std::size_t outputs, std::uint64_t seed) {
  Rng rng(seed);
  Batch batch;
  batch.x.resize(rows * inputs);
  for (float& v : batch.x) {
    v = 4.0f * rng.uniform_float() - 2.0f;
  }
  const std::uint64_t classes = outputs == 1 ? 2 : outputs;
  for (std::size_t i = 0; i < rows; ++i) {
    batch.y.push_back(static_cast<std::int32_t>(rng.below(classes)));
  }
  return batch;
}

ModelSpec mlp_spec(std::size_t width, std::size_t depth) {
  ModelSpec spec;
  spec.kind = ModelSpec::Kind::kMlp;
  spec.width = width;
  spec.depth = depth;
  return spec;
}

ModelSpec logistic_spec() {
  ModelSpec spec;
  spec.kind = ModelSpec::Kind::kLogistic;
  return spec;
}

double norm(const std::vector<float>& v) {
  double sum = 0.0;
  for (const float value : v) {
    sum += static_cast<double>(value) * value;
  }
  return std::sqrt(sum);
}

// ||a - b|| / ||b||.
double relative_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double diff = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    const double d = static_cast<double>(a[k]) - b[k];
    diff += d * d;
  }
  return std::sqrt(diff) / norm(b);
}

// Slow reference: the summed gradient of the given rows from one forward_backward() call. That
// call returns the gradient of the mean loss, so multiplying by the row count gives the sum.
std::vector<float> summed_gradient(Network& network, const Batch& batch,
                                   const std::vector<std::size_t>& rows) {
  const std::size_t inputs = network.inputs();
  std::vector<float> x;
  std::vector<std::int32_t> y;
  for (const std::size_t r : rows) {
    x.insert(x.end(), batch.x.begin() + r * inputs, batch.x.begin() + (r + 1) * inputs);
    y.push_back(batch.y[r]);
  }
  network.forward_backward(x.data(), y.data(), nullptr, rows.size());
  std::vector<float> gradient(network.gradients().begin(), network.gradients().end());
  for (float& v : gradient) {
    v *= static_cast<float>(rows.size());
  }
  return gradient;
}

std::vector<float> clipped(std::vector<float> gradient, double clip_norm) {
  const double n = norm(gradient);
  if (n > clip_norm) {
    for (float& v : gradient) {
      v = static_cast<float>(v * (clip_norm / n));
    }
  }
  return gradient;
}

std::vector<std::vector<std::size_t>> rows_by_unit(const std::vector<std::int32_t>& unit_of_row,
                                                   std::size_t units) {
  std::vector<std::vector<std::size_t>> rows(units);
  for (std::size_t i = 0; i < unit_of_row.size(); ++i) {
    rows[static_cast<std::size_t>(unit_of_row[i])].push_back(i);
  }
  return rows;
}

// 11 rows in 4 units of 1, 2, 3 and 5 rows, interleaved. Take an MLP with 6 inputs, width 8 and 3
// outputs. Its first layer takes the pairwise norm for units of up to 3 rows and its output layer
// for units of up to 2 rows, so these units exercise both norm forms.
const std::vector<std::int32_t> kMixedUnits = {3, 1, 2, 3, 0, 2, 3, 1, 3, 2, 3};
constexpr std::size_t kMixedUnitCount = 4;

TEST(DpSgd, ClippedUnitNormsAtMostClip) {
  Network network(mlp_spec(8, 2), 6, 3, 11);
  const Batch batch = make_batch(kMixedUnits.size(), 6, 3, 12);
  const double clip = 0.5;
  const auto rows = rows_by_unit(kMixedUnits, kMixedUnitCount);

  std::vector<float> expected_sum(network.parameters().size(), 0.0f);
  for (std::size_t u = 0; u < kMixedUnitCount; ++u) {
    // This unit alone through the fast path: its contribution must have norm <= C.
    Batch unit_batch;
    for (const std::size_t r : rows[u]) {
      unit_batch.x.insert(unit_batch.x.end(), batch.x.begin() + r * 6,
                          batch.x.begin() + (r + 1) * 6);
      unit_batch.y.push_back(batch.y[r]);
    }
    const std::vector<std::int32_t> one_unit(rows[u].size(), 0);
    const std::vector<float> contribution = clipped_gradient_sum(
        network, unit_batch.x.data(), unit_batch.y.data(), one_unit.data(), rows[u].size(), 1,
        clip, nullptr);
    EXPECT_LE(norm(contribution), clip * (1.0 + 1e-5)) << "unit " << u;

    // The same unit through the slow path, clipped by hand.
    const std::vector<float> reference = clipped(summed_gradient(network, batch, rows[u]), clip);
    EXPECT_LE(norm(reference), clip * (1.0 + 1e-5)) << "unit " << u;
    EXPECT_LT(relative_difference(contribution, reference), 1e-4) << "unit " << u;
    for (std::size_t k = 0; k < reference.size(); ++k) {
      expected_sum[k] += reference[k];
    }
  }

  const std::vector<float> sum =
      clipped_gradient_sum(network, batch.x.data(), batch.y.data(), kMixedUnits.data(),
                           kMixedUnits.size(), kMixedUnitCount, clip, nullptr);
  EXPECT_LT(relative_difference(sum, expected_sum), 1e-4);
}

TEST(DpSgd, InfiniteClipEqualsSummedGradient) {
  struct Case {
    ModelSpec spec;
    std::size_t outputs;
  };
  const std::vector<Case> cases = {{logistic_spec(), 1}, {logistic_spec(), 3},
                                   {mlp_spec(8, 1), 1},  {mlp_spec(8, 3), 3}};
  for (const Case& c : cases) {
    Network network(c.spec, 6, c.outputs, 21);
    const Batch batch = make_batch(kMixedUnits.size(), 6, c.outputs, 22);
    std::vector<std::size_t> all(kMixedUnits.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
      all[i] = i;
    }
    const std::vector<float> expected = summed_gradient(network, batch, all);
    const std::vector<float> sum =
        clipped_gradient_sum(network, batch.x.data(), batch.y.data(), kMixedUnits.data(),
                             kMixedUnits.size(), kMixedUnitCount, kInfinity, nullptr);
    ASSERT_EQ(sum.size(), expected.size());
    EXPECT_LT(relative_difference(sum, expected), 1e-5)
        << to_string(c.spec.kind) << " with " << c.outputs << " outputs";
  }
}

TEST(DpSgd, PatientRowsClippedTogether) {
  Network network(mlp_spec(8, 1), 6, 1, 31);
  const Batch batch = make_batch(4, 6, 1, 32);
  // Rows 0 and 2 are patient 0, rows 1 and 3 patient 1: not contiguous.
  const std::vector<std::int32_t> patients = {0, 1, 0, 1};
  const std::vector<std::size_t> patient0 = {0, 2};
  const std::vector<std::size_t> patient1 = {1, 3};
  const double clip = 0.05;

  const std::vector<float> together0 = summed_gradient(network, batch, patient0);
  const std::vector<float> together1 = summed_gradient(network, batch, patient1);
  ASSERT_GT(norm(together0), clip);
  ASSERT_GT(norm(together1), clip);

  std::vector<double> unit_norms;
  const std::vector<float> sum = clipped_gradient_sum(
      network, batch.x.data(), batch.y.data(), patients.data(), 4, 2, clip, &unit_norms);
  ASSERT_EQ(unit_norms.size(), 2u);
  EXPECT_NEAR(unit_norms[0], norm(together0), 1e-4 * norm(together0));
  EXPECT_NEAR(unit_norms[1], norm(together1), 1e-4 * norm(together1));

  std::vector<float> expected = clipped(together0, clip);
  const std::vector<float> clipped1 = clipped(together1, clip);
  for (std::size_t k = 0; k < expected.size(); ++k) {
    expected[k] += clipped1[k];
  }
  EXPECT_LT(relative_difference(sum, expected), 1e-4);

  // Clipping each row separately gives a different sum.
  std::vector<float> per_row(expected.size(), 0.0f);
  for (std::size_t r = 0; r < 4; ++r) {
    const std::vector<float> row = clipped(summed_gradient(network, batch, {r}), clip);
    for (std::size_t k = 0; k < per_row.size(); ++k) {
      per_row[k] += row[k];
    }
  }
  EXPECT_GT(relative_difference(per_row, expected), 1e-2);
  EXPECT_GT(relative_difference(sum, per_row), 1e-2);
}

TEST(DpSgd, RecordUnitsClipEachRow) {
  Network network(mlp_spec(8, 1), 6, 3, 41);
  const Batch batch = make_batch(5, 6, 3, 42);
  const std::vector<std::int32_t> records = {0, 1, 2, 3, 4};
  const double clip = 0.05;

  std::vector<float> expected(network.parameters().size(), 0.0f);
  for (std::size_t r = 0; r < 5; ++r) {
    const std::vector<float> row = clipped(summed_gradient(network, batch, {r}), clip);
    for (std::size_t k = 0; k < expected.size(); ++k) {
      expected[k] += row[k];
    }
  }
  const std::vector<float> sum = clipped_gradient_sum(network, batch.x.data(), batch.y.data(),
                                                      records.data(), 5, 5, clip, nullptr);
  EXPECT_LT(relative_difference(sum, expected), 1e-4);
}

TEST(DpSgd, GhostNormsMatchSlowPath) {
  const std::vector<ModelSpec> specs = {logistic_spec(), mlp_spec(8, 1), mlp_spec(8, 3),
                                        mlp_spec(2, 2)};
  for (const ModelSpec& spec : specs) {
    Network network(spec, 6, 3, 51);
    const Batch batch = make_batch(kMixedUnits.size(), 6, 3, 52);
    std::vector<double> unit_norms;
    clipped_gradient_sum(network, batch.x.data(), batch.y.data(), kMixedUnits.data(),
                         kMixedUnits.size(), kMixedUnitCount, 1.0, &unit_norms);
    ASSERT_EQ(unit_norms.size(), kMixedUnitCount);
    const auto rows = rows_by_unit(kMixedUnits, kMixedUnitCount);
    for (std::size_t u = 0; u < kMixedUnitCount; ++u) {
      const double expected = norm(summed_gradient(network, batch, rows[u]));
      EXPECT_NEAR(unit_norms[u], expected, 1e-4 * expected)
          << to_string(spec.kind) << " width " << spec.width << " depth " << spec.depth
          << " unit " << u;
    }
  }
}

TEST(DpSgd, UnitWithoutRowsHasNormZero) {
  Network network(logistic_spec(), 6, 1, 61);
  const Batch batch = make_batch(2, 6, 1, 62);
  const std::vector<std::int32_t> units = {0, 2};
  std::vector<double> unit_norms;
  clipped_gradient_sum(network, batch.x.data(), batch.y.data(), units.data(), 2, 3, 1.0,
                       &unit_norms);
  ASSERT_EQ(unit_norms.size(), 3u);
  EXPECT_EQ(unit_norms[1], 0.0);
  EXPECT_GT(unit_norms[0], 0.0);
  EXPECT_GT(unit_norms[2], 0.0);
}

TEST(DpSgd, EmptyBatchGivesZeroSum) {
  Network network(mlp_spec(4, 1), 6, 1, 63);
  std::vector<double> unit_norms;
  const std::vector<float> sum =
      clipped_gradient_sum(network, nullptr, nullptr, nullptr, 0, 2, 1.0, &unit_norms);
  EXPECT_EQ(sum.size(), network.parameters().size());
  EXPECT_EQ(norm(sum), 0.0);
  EXPECT_EQ(unit_norms, std::vector<double>(2, 0.0));
}

TEST(DpSgd, LeavesNetworkUnchanged) {
  Network network(mlp_spec(4, 1), 6, 1, 64);
  const Batch batch = make_batch(3, 6, 1, 65);
  const std::vector<float> before(network.parameters().begin(), network.parameters().end());
  const std::vector<std::int32_t> units = {0, 0, 1};
  clipped_gradient_sum(network, batch.x.data(), batch.y.data(), units.data(), 3, 2, 1.0,
                       nullptr);
  EXPECT_EQ(std::vector<float>(network.parameters().begin(), network.parameters().end()),
            before);
}

TEST(DpSgd, RejectsResNet) {
  ModelSpec spec;
  spec.kind = ModelSpec::Kind::kResNet;
  spec.width = 4;
  Network network(spec, 6, 1, 71);
  const Batch batch = make_batch(2, 6, 1, 72);
  const std::vector<std::int32_t> units = {0, 1};
  try {
    clipped_gradient_sum(network, batch.x.data(), batch.y.data(), units.data(), 2, 2, 1.0,
                         nullptr);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("DP-SGD supports logistic and mlp models"),
              std::string::npos)
        << e.what();
  }
}

TEST(DpSgd, RejectsBadClipAndUnit) {
  Network network(logistic_spec(), 6, 1, 73);
  const Batch batch = make_batch(2, 6, 1, 74);
  const std::vector<std::int32_t> units = {0, 1};
  EXPECT_THROW(clipped_gradient_sum(network, batch.x.data(), batch.y.data(), units.data(), 2, 2,
                                    0.0, nullptr),
               UsageError);
  EXPECT_THROW(clipped_gradient_sum(network, batch.x.data(), batch.y.data(), units.data(), 2, 2,
                                    std::nan(""), nullptr),
               UsageError);
  const std::vector<std::int32_t> out_of_range = {0, 2};
  EXPECT_THROW(clipped_gradient_sum(network, batch.x.data(), batch.y.data(),
                                    out_of_range.data(), 2, 2, 1.0, nullptr),
               InternalError);
  const std::vector<std::int32_t> negative = {-1, 0};
  EXPECT_THROW(clipped_gradient_sum(network, batch.x.data(), batch.y.data(), negative.data(), 2,
                                    2, 1.0, nullptr),
               InternalError);
}

TEST(DpSgdNoise, StandardDeviation) {
  const double stddev = 2.5;
  std::vector<float> values(100000, 0.0f);
  Rng rng(81);
  add_gaussian_noise(values, stddev, rng);
  double sum = 0.0;
  double sum_squares = 0.0;
  for (const float v : values) {
    sum += v;
    sum_squares += static_cast<double>(v) * v;
  }
  const double n = static_cast<double>(values.size());
  const double mean = sum / n;
  const double sd = std::sqrt(sum_squares / n - mean * mean);
  EXPECT_NEAR(sd, stddev, 0.02 * stddev);
  // Five standard errors of the mean.
  EXPECT_NEAR(mean, 0.0, 5.0 * stddev / std::sqrt(n));
}

// Normal shape and independence of the pair members: P(|z| < 1) = 0.682689 and P(|z| > 2) =
// 0.0455003 (scipy 1.10.1 scipy.stats.norm), each within about 5 standard errors over 200k draws,
// and the correlation of each draw with the other member of its pair near 0.
TEST(DpSgdNoise, NormalShapeAndIndependentPairs) {
  std::vector<float> values(200000, 0.0f);
  Rng rng(85);
  add_gaussian_noise(values, 1.0, rng);
  std::size_t within_one = 0;
  std::size_t beyond_two = 0;
  double cross = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    within_one += std::abs(values[i]) < 1.0f;
    beyond_two += std::abs(values[i]) > 2.0f;
    if (i % 2 == 0) cross += static_cast<double>(values[i]) * values[i + 1];
  }
  const double n = static_cast<double>(values.size());
  EXPECT_NEAR(static_cast<double>(within_one) / n, 0.682689, 0.005);
  EXPECT_NEAR(static_cast<double>(beyond_two) / n, 0.0455003, 0.0024);
  EXPECT_NEAR(cross / (n / 2.0), 0.0, 0.015);
}

TEST(DpSgdNoise, OddLengthAndOffset) {
  std::vector<float> values(3, 10.0f);
  Rng rng(82);
  add_gaussian_noise(values, 1.0, rng);
  for (const float v : values) {
    EXPECT_NE(v, 10.0f);
    EXPECT_LT(std::abs(v - 10.0f), 8.0f);
  }
}

TEST(DpSgdNoise, ZeroStddevLeavesGradient) {
  std::vector<float> values = {1.0f, -2.0f};
  Rng rng(83);
  add_gaussian_noise(values, 0.0, rng);
  EXPECT_EQ(values, (std::vector<float>{1.0f, -2.0f}));
}

TEST(DpSgdNoise, RejectsBadStddev) {
  std::vector<float> values(2, 0.0f);
  Rng rng(84);
  EXPECT_THROW(add_gaussian_noise(values, -1.0, rng), UsageError);
  EXPECT_THROW(add_gaussian_noise(values, std::nan(""), rng), UsageError);
  EXPECT_THROW(add_gaussian_noise(values, kInfinity, rng), UsageError);
}

}  // namespace
}  // namespace privaudit::training
