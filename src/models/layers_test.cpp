#include "models/layers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.h"

namespace privaudit::models {
namespace {

TEST(DenseForward, HandComputed) {
  // x [2, 2], w [2, 3], b [3].
  const std::vector<float> x = {1, 2, -1, 0.5f};
  const std::vector<float> w = {1, 0, 2, -1, 3, 0.5f};
  const std::vector<float> b = {0.5f, -1, 0};
  std::vector<float> y(6);
  dense_forward(x.data(), 2, 2, 3, w.data(), b.data(), y.data());
  const std::vector<float> expected = {1 - 2 + 0.5f, 6 - 1, 2 + 1, -1 - 0.5f + 0.5f, 1.5f - 1,
                                       -2 + 0.25f};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_FLOAT_EQ(y[i], expected[i]) << "element " << i;
  }
}

TEST(DenseBackward, HandComputed) {
  const std::vector<float> x = {1, 2, -1, 0.5f};    // [2, 2]
  const std::vector<float> w = {1, 0, 2, -1, 3, 0.5f};  // [2, 3]
  const std::vector<float> dy = {1, 0, -1, 2, 1, 0};    // [2, 3]
  std::vector<float> dw(6);
  std::vector<float> db(3);
  std::vector<float> dx(4);
  dense_backward(x.data(), dy.data(), 2, 2, 3, w.data(), dw.data(), db.data(), dx.data());
  // dw = x^T dy.
  const std::vector<float> expected_dw = {1 - 2, -1, -1, 2 + 1, 0.5f, -2};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_FLOAT_EQ(dw[i], expected_dw[i]) << "dw element " << i;
  }
  EXPECT_FLOAT_EQ(db[0], 3);
  EXPECT_FLOAT_EQ(db[1], 1);
  EXPECT_FLOAT_EQ(db[2], -1);
  // dx = dy w^T: row 0 = [1 - 2, -1 - 0.5], row 1 = [2, -2 + 3].
  EXPECT_FLOAT_EQ(dx[0], -1);
  EXPECT_FLOAT_EQ(dx[1], -1.5f);
  EXPECT_FLOAT_EQ(dx[2], 2);
  EXPECT_FLOAT_EQ(dx[3], 1);
}

TEST(Relu, ForwardAndBackward) {
  std::vector<float> x = {-1, 0, 2};
  relu_forward(x.data(), 3);
  EXPECT_EQ(x, (std::vector<float>{0, 0, 2}));
  std::vector<float> dy = {5, 5, 5};
  relu_backward(dy.data(), x.data(), 3);
  EXPECT_EQ(dy, (std::vector<float>{0, 0, 5}));
}

TEST(Relu, NanPropagates) {
  std::vector<float> x = {NAN, -NAN};
  relu_forward(x.data(), 2);
  EXPECT_TRUE(std::isnan(x[0]));
  EXPECT_TRUE(std::isnan(x[1]));
}

TEST(LayerNormForward, HandComputed) {
  // Mean 2.5 and biased variance 1.25. Reference from numpy 1.24.2:
  // (x - x.mean()) / np.sqrt(x.var() + 1e-5).
  const std::vector<float> x = {1, 2, 3, 4};
  const std::vector<float> gamma = {1, 1, 2, 1};
  const std::vector<float> beta = {0, 0, 0, 10};
  std::vector<float> xhat(4);
  std::vector<float> y(4);
  float rstd = 0;
  layer_norm_forward(x.data(), 1, 4, gamma.data(), beta.data(), xhat.data(), &rstd, y.data());
  EXPECT_NEAR(xhat[0], -1.34163542f, 1e-6);
  EXPECT_NEAR(xhat[1], -0.447211807f, 1e-6);
  EXPECT_NEAR(xhat[2], 0.447211807f, 1e-6);
  EXPECT_NEAR(xhat[3], 1.34163542f, 1e-6);
  EXPECT_NEAR(rstd, 1.0 / std::sqrt(1.25 + 1e-5), 1e-6);
  EXPECT_NEAR(y[2], 2 * 0.447211807f, 1e-6);
  EXPECT_NEAR(y[3], 10 + 1.34163542f, 1e-6);
}

TEST(LayerNormForward, ConstantRowIsFinite) {
  const std::vector<float> x = {3, 3, 3};
  const std::vector<float> gamma = {1, 1, 1};
  const std::vector<float> beta = {0, 0, 0};
  std::vector<float> xhat(3);
  std::vector<float> y(3);
  float rstd = 0;
  layer_norm_forward(x.data(), 1, 3, gamma.data(), beta.data(), xhat.data(), &rstd, y.data());
  EXPECT_EQ(y, (std::vector<float>{0, 0, 0}));
  EXPECT_TRUE(std::isfinite(rstd));
}

TEST(LayerNormBackward, AddsIntoInputGradient) {
  // The input gradient of LayerNorm sums to zero over a row (the mean is removed), so adding it
  // to a row of ones keeps the row sum at 3.
  const std::vector<float> x = {0.5f, -1, 2};
  const std::vector<float> gamma = {1, 2, 0.5f};
  const std::vector<float> beta = {0, 0, 0};
  std::vector<float> xhat(3);
  std::vector<float> y(3);
  float rstd = 0;
  layer_norm_forward(x.data(), 1, 3, gamma.data(), beta.data(), xhat.data(), &rstd, y.data());
  const std::vector<float> dy = {1, -2, 0.25f};
  std::vector<float> dgamma(3);
  std::vector<float> dbeta(3);
  std::vector<float> dx = {1, 1, 1};
  layer_norm_backward(dy.data(), xhat.data(), &rstd, 1, 3, gamma.data(), dgamma.data(),
                      dbeta.data(), dx.data());
  EXPECT_NEAR(dx[0] + dx[1] + dx[2], 3.0f, 1e-5);
  EXPECT_NE(dx[0], 1.0f);
  EXPECT_FLOAT_EQ(dbeta[1], -2);
  EXPECT_FLOAT_EQ(dgamma[1], -2 * xhat[1]);
}

TEST(LogitLoss, SoftmaxHandComputed) {
  // Logits [1, 2, 3] give loss = logsumexp - z_y. Reference from scipy 1.10.1
  // scipy.special.logsumexp and scipy.special.softmax.
  std::vector<float> z = {1, 2, 3, 1, 2, 3};
  const std::vector<std::int32_t> y = {0, 2};
  const double loss = logit_loss_backward(z.data(), y.data(), nullptr, 2, 3);
  EXPECT_NEAR(loss, (2.4076059644443806 + 0.40760596444438058) / 2, 1e-6);
  // Gradient of the mean: (softmax - onehot) / 2.
  EXPECT_NEAR(z[0], (0.090030573170380435 - 1) / 2, 1e-7);
  EXPECT_NEAR(z[1], 0.24472847105479767 / 2, 1e-7);
  EXPECT_NEAR(z[5], (0.66524095577482178 - 1) / 2, 1e-7);
}

TEST(LogitLoss, LargeLogitsStayFinite) {
  std::vector<float> binary = {1000, -1000};
  const std::vector<std::int32_t> binary_y = {0, 1};
  EXPECT_NEAR(logit_loss_backward(binary.data(), binary_y.data(), nullptr, 2, 1), 1000, 1e-9);
  EXPECT_FLOAT_EQ(binary[0], 0.5f);
  EXPECT_FLOAT_EQ(binary[1], -0.5f);

  std::vector<float> multi = {1000, 0, -1000};
  const std::vector<std::int32_t> multi_y = {1};
  EXPECT_NEAR(logit_loss_backward(multi.data(), multi_y.data(), nullptr, 1, 3), 1000, 1e-9);
  EXPECT_FLOAT_EQ(multi[0], 1);
  EXPECT_FLOAT_EQ(multi[1], -1);

  std::vector<float> right = {1000};
  const std::vector<std::int32_t> right_y = {1};
  EXPECT_EQ(logit_loss_backward(right.data(), right_y.data(), nullptr, 1, 1), 0.0);
}

TEST(LogitLoss, WeightsNormaliseBySum) {
  // Binary logits 0 (loss log 2) and 2 (loss log(1 + e^-2)), both with label 1, weights 3 and 1.
  std::vector<float> z = {0, 2};
  const std::vector<std::int32_t> y = {1, 1};
  const std::vector<float> w = {3, 1};
  const double loss = logit_loss_backward(z.data(), y.data(), w.data(), 2, 1);
  EXPECT_NEAR(loss, (3 * std::log(2.0) + std::log1p(std::exp(-2.0))) / 4, 1e-12);
  EXPECT_NEAR(z[0], 3.0 / 4 * (0.5 - 1), 1e-7);
}

TEST(LogitLoss, RejectsLabelOutOfRange) {
  std::vector<float> z = {0};
  const std::vector<std::int32_t> two = {2};
  EXPECT_THROW(logit_loss_backward(z.data(), two.data(), nullptr, 1, 1), InputError);
  const std::vector<std::int32_t> negative = {-1};
  EXPECT_THROW(logit_loss_backward(z.data(), negative.data(), nullptr, 1, 1), InputError);
  std::vector<float> z3 = {0, 0, 0};
  const std::vector<std::int32_t> three = {3};
  EXPECT_THROW(logit_loss_backward(z3.data(), three.data(), nullptr, 1, 3), InputError);
}

TEST(LogitLoss, RejectsBadWeights) {
  std::vector<float> z = {0, 0};
  const std::vector<std::int32_t> y = {0, 1};
  const std::vector<float> negative = {1, -1};
  EXPECT_THROW(logit_loss_backward(z.data(), y.data(), negative.data(), 2, 1), UsageError);
  const std::vector<float> zeros = {0, 0};
  EXPECT_THROW(logit_loss_backward(z.data(), y.data(), zeros.data(), 2, 1), UsageError);
  const std::vector<float> nan = {NAN, 1};
  EXPECT_THROW(logit_loss_backward(z.data(), y.data(), nan.data(), 2, 1), UsageError);
}

}  // namespace
}  // namespace privaudit::models
