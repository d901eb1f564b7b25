#include "models/layers.h"

#include <cblas.h>
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <string>

#include "core/error.h"

namespace privaudit::models {
namespace {

// cblas takes int dimensions.
blasint to_blas(std::size_t n) {
  PRIVAUDIT_CHECK(n <= static_cast<std::size_t>(INT_MAX),
                  fmt::format("matrix dimension {} does not fit a BLAS int", n));
  return static_cast<blasint>(n);
}

// Loss and d(loss)/d(logit) of binary cross-entropy with one logit s and label y in {0, 1}:
// loss = max(s, 0) - s y + log(1 + exp(-|s|)), gradient = sigmoid(s) - y.
double binary_loss(double s, int y, double* grad) {
  const double e = std::exp(-std::abs(s));
  const double sigmoid = s >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  *grad = sigmoid - y;
  return std::max(s, 0.0) - s * y + std::log1p(e);
}

// Softmax cross-entropy of one row z[k]: loss = logsumexp(z) - z[y]. Overwrites z with
// softmax(z) - onehot(y), scaled by `scale`.
double softmax_loss(float* z, std::size_t k, int y, double scale) {
  const float max_logit = *std::max_element(z, z + k);
  double sum = 0.0;
  for (std::size_t j = 0; j < k; ++j) {
    sum += std::exp(static_cast<double>(z[j]) - max_logit);
  }
  const double log_sum_exp = max_logit + std::log(sum);
  const double loss = log_sum_exp - z[y];
  for (std::size_t j = 0; j < k; ++j) {
    const double p = std::exp(static_cast<double>(z[j]) - log_sum_exp);
    z[j] = static_cast<float>(scale * (p - (static_cast<int>(j) == y ? 1.0 : 0.0)));
  }
  return loss;
}

}  // namespace

void dense_forward(const float* x, std::size_t batch, std::size_t in, std::size_t out,
                   const float* w, const float* b, float* y) {
  if (batch == 0) {
    return;
  }
  // Start from the bias in every row, then let sgemm add x w (beta = 1).
  for (std::size_t r = 0; r < batch; ++r) {
    std::copy(b, b + out, y + r * out);
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, to_blas(batch), to_blas(out),
              to_blas(in), 1.0f, x, to_blas(in), w, to_blas(out), 1.0f, y, to_blas(out));
}

void dense_backward(const float* x, const float* dy, std::size_t batch, std::size_t in,
                    std::size_t out, const float* w, float* dw, float* db, float* dx) {
  // 1. dw[in, out] = x^T dy.
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, to_blas(in), to_blas(out), to_blas(batch),
              1.0f, x, to_blas(in), dy, to_blas(out), 0.0f, dw, to_blas(out));

  // 2. db = column sums of dy.
  std::fill(db, db + out, 0.0f);
  for (std::size_t r = 0; r < batch; ++r) {
    const float* row = dy + r * out;
    for (std::size_t j = 0; j < out; ++j) {
      db[j] += row[j];
    }
  }

  // 3. dx[batch, in] = dy w^T.
  if (dx != nullptr) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, to_blas(batch), to_blas(in),
                to_blas(out), 1.0f, dy, to_blas(out), w, to_blas(out), 0.0f, dx, to_blas(in));
  }
}

void relu_forward(float* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    // NaN passes through (as in torch.relu), so a NaN input shows up in the logits and loss.
    x[i] = x[i] < 0.0f ? 0.0f : x[i];
  }
}

void relu_backward(float* dy, const float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
  }
}

void layer_norm_forward(const float* x, std::size_t batch, std::size_t dim, const float* gamma,
                        const float* beta, float* xhat, float* rstd, float* y) {
  const float inv_dim = 1.0f / static_cast<float>(dim);
  for (std::size_t r = 0; r < batch; ++r) {
    const float* xr = x + r * dim;
    float* xhat_r = xhat + r * dim;
    float* yr = y + r * dim;

    // Two passes (mean, then squared deviations) to avoid the cancellation of E[x^2] - E[x]^2.
    float mean = 0.0f;
#pragma omp simd reduction(+ : mean)
    for (std::size_t j = 0; j < dim; ++j) {
      mean += xr[j];
    }
    mean *= inv_dim;
    float var = 0.0f;
#pragma omp simd reduction(+ : var)
    for (std::size_t j = 0; j < dim; ++j) {
      const float d = xr[j] - mean;
      var += d * d;
    }
    var *= inv_dim;
    const float row_rstd = 1.0f / std::sqrt(var + kLayerNormEps);
    rstd[r] = row_rstd;

    for (std::size_t j = 0; j < dim; ++j) {
      const float h = (xr[j] - mean) * row_rstd;
      xhat_r[j] = h;
      yr[j] = gamma[j] * h + beta[j];
    }
  }
}

void layer_norm_backward(const float* dy, const float* xhat, const float* rstd,
                         std::size_t batch, std::size_t dim, const float* gamma, float* dgamma,
                         float* dbeta, float* dx) {
  std::fill(dgamma, dgamma + dim, 0.0f);
  std::fill(dbeta, dbeta + dim, 0.0f);
  const float inv_dim = 1.0f / static_cast<float>(dim);
  for (std::size_t r = 0; r < batch; ++r) {
    const float* dy_r = dy + r * dim;
    const float* xhat_r = xhat + r * dim;
    float* dx_r = dx + r * dim;

    // 1. Parameter gradients, and the two row means that the input gradient needs:
    // g = dy * gamma, mean(g) and mean(g * xhat).
    float mean_g = 0.0f;
    float mean_g_xhat = 0.0f;
#pragma omp simd reduction(+ : mean_g, mean_g_xhat)
    for (std::size_t j = 0; j < dim; ++j) {
      dgamma[j] += dy_r[j] * xhat_r[j];
      dbeta[j] += dy_r[j];
      const float g = dy_r[j] * gamma[j];
      mean_g += g;
      mean_g_xhat += g * xhat_r[j];
    }
    mean_g *= inv_dim;
    mean_g_xhat *= inv_dim;

    // 2. dx = rstd * (g - mean(g) - xhat * mean(g * xhat)).
    for (std::size_t j = 0; j < dim; ++j) {
      const float g = dy_r[j] * gamma[j];
      dx_r[j] += rstd[r] * (g - mean_g - xhat_r[j] * mean_g_xhat);
    }
  }
}

double logit_loss_backward(float* logits, const std::int32_t* y, const float* sample_weight,
                           std::size_t batch, std::size_t outputs) {
  PRIVAUDIT_CHECK(batch > 0, "the loss needs at least one record");
  PRIVAUDIT_CHECK(outputs > 0, "the loss needs at least one logit per record");

  // 1. Check labels and weights, and sum the weights that normalise the mean.
  const std::int32_t label_limit = outputs == 1 ? 2 : static_cast<std::int32_t>(outputs);
  double weight_sum = 0.0;
  for (std::size_t i = 0; i < batch; ++i) {
    if (y[i] < 0 || y[i] >= label_limit) {
      throw InputError(fmt::format(
          "invalid label {} for record {} of the batch: expected an integer in [0, {}]", y[i], i,
          label_limit - 1));
    }
    const float w = sample_weight != nullptr ? sample_weight[i] : 1.0f;
    if (!(w >= 0.0f) || !std::isfinite(w)) {
      throw UsageError(fmt::format(
          "invalid sample weight {} for record {} of the batch: expected a finite value >= 0", w,
          i));
    }
    weight_sum += w;
  }
  if (!(weight_sum > 0.0)) {
    throw UsageError(fmt::format(
        "the sample weights of a batch of {} records sum to 0: expected a positive sum", batch));
  }

  // 2. Loss and gradient per record. The gradient of the mean carries w_i / sum(w).
  double loss_sum = 0.0;
  for (std::size_t i = 0; i < batch; ++i) {
    const double w = sample_weight != nullptr ? sample_weight[i] : 1.0;
    const double scale = w / weight_sum;
    if (outputs == 1) {
      double grad = 0.0;
      loss_sum += w * binary_loss(logits[i], y[i], &grad);
      logits[i] = static_cast<float>(scale * grad);
    } else {
      loss_sum += w * softmax_loss(logits + i * outputs, outputs, y[i], scale);
    }
  }
  return loss_sum / weight_sum;
}

}  // namespace privaudit::models
