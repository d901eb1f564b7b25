#include "models/network.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "core/random.h"

namespace privaudit::models {
namespace {

const ModelSpec kLogistic{ModelSpec::Kind::kLogistic, 1, 1};
const ModelSpec kMlp2{ModelSpec::Kind::kMlp, 6, 2};
const ModelSpec kResNet2{ModelSpec::Kind::kResNet, 6, 2};

std::vector<float> random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<float> x(rows * cols);
  for (float& v : x) {
    v = 2.0f * rng.uniform_float() - 1.0f;
  }
  return x;
}

std::vector<std::int32_t> random_labels(std::size_t rows, std::size_t classes,
                                        std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::int32_t> y(rows);
  for (auto& v : y) {
    v = static_cast<std::int32_t>(rng.below(classes));
  }
  return y;
}

// Central finite differences of the loss against the analytic gradient, for every parameter.
// The network runs in float, so the step is large and the tolerance loose.
void expect_gradient_matches(const ModelSpec& spec, std::size_t inputs, std::size_t outputs,
                             bool weighted) {
  const std::size_t batch = 5;
  Network net(spec, inputs, outputs, 11);
  const std::vector<float> x = random_matrix(batch, inputs, 12);
  const std::vector<std::int32_t> y = random_labels(batch, std::max<std::size_t>(outputs, 2), 13);
  const std::vector<float> w = {1.0f, 0.5f, 2.0f, 0.25f, 1.5f};
  const float* weights = weighted ? w.data() : nullptr;

  net.forward_backward(x.data(), y.data(), weights, batch);
  const std::vector<float> analytic(net.gradients().begin(), net.gradients().end());

  const float step = 1e-2f;
  std::span<float> p = net.parameters();
  for (std::size_t i = 0; i < p.size(); ++i) {
    const float saved = p[i];
    p[i] = saved + step;
    const double loss_plus = net.forward_backward(x.data(), y.data(), weights, batch);
    p[i] = saved - step;
    const double loss_minus = net.forward_backward(x.data(), y.data(), weights, batch);
    p[i] = saved;
    const double numeric = (loss_plus - loss_minus) / (2.0 * step);
    EXPECT_NEAR(analytic[i], numeric, 2e-3 + 2e-2 * std::abs(numeric))
        << to_string(spec.kind) << " parameter " << i << " of " << p.size();
  }
}

TEST(NetworkGradient, Logistic) {
  expect_gradient_matches(kLogistic, 4, 1, false);
  expect_gradient_matches(kLogistic, 4, 3, true);
}

TEST(NetworkGradient, MlpDepth2) {
  expect_gradient_matches(kMlp2, 4, 1, false);
  expect_gradient_matches(kMlp2, 4, 3, true);
}

TEST(NetworkGradient, ResNet2Blocks) {
  expect_gradient_matches(kResNet2, 4, 1, true);
  expect_gradient_matches(kResNet2, 4, 3, false);
}

// Logistic model with W = [0.5, -1] and b = 0.25 on three records. References from numpy 1.24.2:
// np.logaddexp(0, s) - s * y and its gradient.
class HandSetLogistic : public ::testing::Test {
 protected:
  HandSetLogistic() : net(kLogistic, 2, 1, std::vector<float>{0.5f, -1.0f, 0.25f}) {}
  Network net;
  const std::vector<float> x = {1, 0, 2, 1, 0, 3};
  const std::vector<std::int32_t> y = {1, 0, 1};
};

TEST_F(HandSetLogistic, Logits) {
  std::vector<float> logits(3);
  net.forward(x.data(), 3, logits.data());
  EXPECT_FLOAT_EQ(logits[0], 0.75f);
  EXPECT_FLOAT_EQ(logits[1], 0.25f);
  EXPECT_FLOAT_EQ(logits[2], -2.75f);
}

TEST_F(HandSetLogistic, LossAndGradient) {
  EXPECT_NEAR(net.forward_backward(x.data(), y.data(), nullptr, 3), 1.3415926716656472, 1e-6);
  EXPECT_NEAR(net.gradients()[0], 0.26784390031566302, 1e-6);
  EXPECT_NEAR(net.gradients()[1], -0.75252118286405967, 1e-6);
  EXPECT_NEAR(net.gradients()[2], -0.23285271658826712, 1e-6);
}

TEST_F(HandSetLogistic, WeightedLoss) {
  const std::vector<float> w = {1, 2, 0.5f};
  EXPECT_NEAR(net.forward_backward(x.data(), y.data(), w.data(), 3), 0.98420961153548192, 1e-6);
}

TEST(Network, ParameterCountMatches) {
  for (const ModelSpec& spec : {kLogistic, kMlp2, kResNet2, ModelSpec{}}) {
    for (const std::size_t outputs : {1u, 4u}) {
      Network net(spec, 7, outputs, 1);
      EXPECT_EQ(net.parameters().size(), parameter_count(spec, 7, outputs))
          << to_string(spec.kind) << " outputs " << outputs;
      EXPECT_EQ(net.gradients().size(), net.parameters().size());
    }
  }
}

TEST(Network, RecordAloneEqualsRecordInBatch) {
  const std::size_t batch = 9;
  const std::size_t inputs = 5;
  const std::vector<float> x = random_matrix(batch, inputs, 21);
  for (const ModelSpec& spec : {kMlp2, kResNet2}) {
    Network net(spec, inputs, 3, 22);
    std::vector<float> together(batch * 3);
    net.forward(x.data(), batch, together.data());
    for (std::size_t r = 0; r < batch; ++r) {
      float alone[3];
      net.forward(x.data() + r * inputs, 1, alone);
      for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_NEAR(alone[k], together[r * 3 + k], 1e-5f * (1.0f + std::abs(alone[k])))
            << to_string(spec.kind) << " record " << r << " logit " << k;
      }
    }
  }
}

// Plain double-precision forward pass written from the architecture description in network.h and
// the documented parameter layout, for a single record.
std::vector<double> reference_forward(const ModelSpec& spec, std::span<const float> p,
                                      const float* x, std::size_t inputs, std::size_t outputs) {
  std::size_t offset = 0;
  const auto dense = [&](const std::vector<double>& in, std::size_t out) {
    std::vector<double> y(out);
    const std::size_t bias = offset + in.size() * out;
    for (std::size_t j = 0; j < out; ++j) {
      y[j] = p[bias + j];
      for (std::size_t i = 0; i < in.size(); ++i) {
        y[j] += in[i] * p[offset + i * out + j];
      }
    }
    offset = bias + out;
    return y;
  };
  const auto layer_norm = [&](const std::vector<double>& in) {
    const std::size_t n = in.size();
    double mean = 0;
    for (double v : in) mean += v / n;
    double var = 0;
    for (double v : in) var += (v - mean) * (v - mean) / n;
    std::vector<double> y(n);
    for (std::size_t j = 0; j < n; ++j) {
      y[j] = (in[j] - mean) / std::sqrt(var + 1e-5) * p[offset + j] + p[offset + n + j];
    }
    offset += 2 * n;
    return y;
  };
  const auto relu = [](std::vector<double> v) {
    for (double& e : v) e = std::max(e, 0.0);
    return v;
  };

  std::vector<double> h(x, x + inputs);
  if (spec.kind == ModelSpec::Kind::kMlp) {
    for (std::size_t l = 0; l < spec.depth; ++l) {
      h = relu(dense(h, spec.width));
    }
  } else if (spec.kind == ModelSpec::Kind::kResNet) {
    h = dense(h, spec.width);
    for (std::size_t j = 0; j < spec.depth; ++j) {
      const std::vector<double> inner = relu(dense(layer_norm(h), spec.width));
      const std::vector<double> block = dense(inner, spec.width);
      for (std::size_t i = 0; i < h.size(); ++i) h[i] += block[i];
    }
    h = relu(layer_norm(h));
  }
  return dense(h, outputs);
}

TEST(Network, MatchesReferenceForward) {
  const std::size_t batch = 4;
  const std::size_t inputs = 3;
  const std::vector<float> x = random_matrix(batch, inputs, 31);
  for (const ModelSpec& spec : {kLogistic, kMlp2, ModelSpec{ModelSpec::Kind::kMlp, 5, 3},
                                kResNet2, ModelSpec{ModelSpec::Kind::kResNet, 4, 3}}) {
    Network net(spec, inputs, 2, 32);
    // Move LayerNorm gamma and beta away from 1 and 0 so that their layout is checked too.
    for (float& v : net.parameters()) {
      if (v == 1.0f || v == 0.0f) v += 0.3f;
    }
    std::vector<float> logits(batch * 2);
    net.forward(x.data(), batch, logits.data());
    for (std::size_t r = 0; r < batch; ++r) {
      const std::vector<double> expected =
          reference_forward(spec, net.parameters(), x.data() + r * inputs, inputs, 2);
      for (std::size_t k = 0; k < 2; ++k) {
        EXPECT_NEAR(logits[r * 2 + k], expected[k], 1e-4 * (1 + std::abs(expected[k])))
            << to_string(spec.kind) << " depth " << spec.depth << " record " << r;
      }
    }
  }
}

TEST(Network, InferenceBuffersMatchTrainingBuffers) {
  // forward() with a fresh Workspace shares buffers between layers. After forward_backward(), the
  // internal workspace keeps one buffer per layer. Both must give the same logits.
  const std::size_t batch = 6;
  const std::vector<float> x = random_matrix(batch, 4, 41);
  const std::vector<std::int32_t> y = random_labels(batch, 2, 42);
  for (const ModelSpec& spec : {ModelSpec{ModelSpec::Kind::kMlp, 5, 3}, kResNet2}) {
    Network net(spec, 4, 1, 43);
    std::vector<float> shared(batch);
    Network::Workspace workspace;
    net.forward(x.data(), batch, shared.data(), workspace);
    net.forward_backward(x.data(), y.data(), nullptr, batch);
    std::vector<float> per_layer(batch);
    net.forward(x.data(), batch, per_layer.data());
    EXPECT_EQ(shared, per_layer) << to_string(spec.kind);
  }
}

TEST(Network, SameSeedSameParameters) {
  for (const ModelSpec& spec : {kLogistic, kMlp2, kResNet2}) {
    Network a(spec, 5, 2, 99);
    Network b(spec, 5, 2, 99);
    Network c(spec, 5, 2, 100);
    EXPECT_TRUE(std::equal(a.parameters().begin(), a.parameters().end(),
                           b.parameters().begin()))
        << to_string(spec.kind);
    EXPECT_FALSE(std::equal(a.parameters().begin(), a.parameters().end(),
                            c.parameters().begin()))
        << to_string(spec.kind);
  }
}

TEST(Network, InitialisationBounds) {
  // ResNet width 4, 2 blocks, 9 inputs: the input layer's W and b lie in [-1/3, 1/3], the first
  // block's LayerNorm starts at gamma 1, beta 0, and its Dense layers in [-1/2, 1/2].
  Network net(ModelSpec{ModelSpec::Kind::kResNet, 4, 2}, 9, 1, 5);
  const std::span<const float> p = net.parameters();
  const std::size_t input_layer = 9 * 4 + 4;
  for (std::size_t i = 0; i < input_layer; ++i) {
    EXPECT_LE(std::abs(p[i]), 1.0f / 3.0f) << "parameter " << i;
  }
  for (std::size_t i = input_layer; i < input_layer + 4; ++i) {
    EXPECT_EQ(p[i], 1.0f) << "gamma " << i;
    EXPECT_EQ(p[i + 4], 0.0f) << "beta " << i;
  }
  float max_abs = 0;
  for (std::size_t i = input_layer + 8; i < input_layer + 8 + 2 * 20; ++i) {
    EXPECT_LE(std::abs(p[i]), 0.5f) << "parameter " << i;
    max_abs = std::max(max_abs, std::abs(p[i]));
  }
  EXPECT_GT(max_abs, 0.25f);
}

TEST(Network, RejectsBadShapes) {
  EXPECT_THROW(Network(kMlp2, 0, 1, 1), UsageError);
  EXPECT_THROW(Network(kMlp2, 3, 0, 1), UsageError);
  EXPECT_THROW(Network(kLogistic, 2, 1, std::vector<float>{1.0f, 2.0f}), UsageError);
}

TEST(Network, RejectsLabelOutOfRange) {
  Network net(kMlp2, 2, 3, 1);
  const std::vector<float> x = {0.5f, 0.5f};
  const std::vector<std::int32_t> y = {3};
  EXPECT_THROW(net.forward_backward(x.data(), y.data(), nullptr, 1), InputError);
}

TEST(Network, ForwardGrowsBuffers) {
  Network net(kResNet2, 3, 2, 1);
  const std::vector<float> small = random_matrix(2, 3, 51);
  const std::vector<float> large = random_matrix(300, 3, 52);
  std::vector<float> out_small(4);
  std::vector<float> out_large(600);
  net.forward(small.data(), 2, out_small.data());
  net.forward(large.data(), 300, out_large.data());
  net.forward(large.data(), 2, out_small.data());
  EXPECT_NEAR(out_small[0], out_large[0], 1e-5f * (1 + std::abs(out_large[0])));
  EXPECT_TRUE(std::all_of(out_large.begin(), out_large.end(),
                          [](float v) { return std::isfinite(v); }));
}

}  // namespace
}  // namespace privaudit::models
