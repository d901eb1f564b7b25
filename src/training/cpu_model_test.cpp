#include "training/cpu_model.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"
#include "models/network.h"
#include "core/random.h"

namespace privaudit::training {
namespace {

using models::ModelSpec;

TEST(CpuModel, PredictsAcrossBlocks) {
  // 2500 records span three prediction blocks; each record's logits must match a forward pass
  // over that record alone.
  const ModelSpec spec{ModelSpec::Kind::kResNet, 8, 2};
  const std::size_t n = 2 * CpuModel::kPredictBlockRows + 452;
  Rng rng(7);
  std::vector<float> x(n * 3);
  for (float& v : x) v = 2 * rng.uniform_float() - 1;
  models::Network network(spec, 3, 2, 8);
  CpuModel model(models::Network(spec, 3, 2, network.parameters()));
  std::vector<float> logits(n * 2);
  model.predict_logits(x.data(), n, logits.data());
  for (const std::size_t r : {std::size_t{0}, CpuModel::kPredictBlockRows - 1,
                              CpuModel::kPredictBlockRows, n - 1}) {
    float alone[2];
    network.forward(x.data() + r * 3, 1, alone);
    EXPECT_NEAR(logits[r * 2], alone[0], 1e-5f * (1 + std::abs(alone[0]))) << "record " << r;
    EXPECT_NEAR(logits[r * 2 + 1], alone[1], 1e-5f * (1 + std::abs(alone[1]))) << "record " << r;
  }
}

TEST(CpuModel, RebuiltFromParametersPredictsTheSame) {
  const ModelSpec spec{ModelSpec::Kind::kMlp, 5, 2};
  CpuModel original(models::Network(spec, 4, 3, 11));
  CpuModel rebuilt(spec, 4, 3, original.parameters());
  const std::vector<float> x = {0.1f, -0.2f, 0.3f, 0.4f, 1, 2, 3, 4};
  std::vector<float> a(6);
  std::vector<float> b(6);
  original.predict_logits(x.data(), 2, a.data());
  rebuilt.predict_logits(x.data(), 2, b.data());
  EXPECT_EQ(a, b);
  EXPECT_EQ(rebuilt.inputs(), 4u);
  EXPECT_EQ(rebuilt.outputs(), 3u);
}

TEST(CpuModel, RejectsWrongParameterCount) {
  const std::vector<float> p(10);
  EXPECT_THROW(CpuModel(ModelSpec{}, 4, 1, p), UsageError);
}

TEST(CpuModel, EmptyInputWritesNothing) {
  CpuModel model(models::Network(ModelSpec{}, 4, 1, 1));
  float out = 42;
  model.predict_logits(nullptr, 0, &out);
  EXPECT_EQ(out, 42);
}

}  // namespace
}  // namespace privaudit::training
