// Forward and backward kernels of the layers that tabular networks are built from. All matrices
// are row-major float arrays; `batch` rows are records. Dense layers call OpenBLAS cblas_sgemm,
// the element-wise layers are plain loops.
#pragma once

#include <cstddef>
#include <cstdint>

namespace privaudit::models {

// y[batch, out] = x[batch, in] w[in, out] + b[out].
void dense_forward(const float* x, std::size_t batch, std::size_t in, std::size_t out,
                   const float* w, const float* b, float* y);

// Gradients of a dense layer from dy[batch, out] and its input x[batch, in]: overwrites
// dw[in, out] = x^T dy and db[out] = column sums of dy, and, when dx is not null,
// dx[batch, in] = dy w^T.
void dense_backward(const float* x, const float* dy, std::size_t batch, std::size_t in,
                    std::size_t out, const float* w, float* dw, float* db, float* dx);

// x = max(x, 0) for n values; NaN stays NaN.
void relu_forward(float* x, std::size_t n);

// dy *= (y > 0) for n values, where y is the ReLU output.
void relu_backward(float* dy, const float* y, std::size_t n);

// Per-row LayerNorm (Ba, Kiros and Hinton 2016) over dim values, with the biased variance and
// kLayerNormEps inside the square root, as torch.nn.LayerNorm does:
// xhat = (x - mean) * rstd, rstd = 1 / sqrt(var + eps), y = gamma * xhat + beta.
// Stores xhat[batch, dim] and rstd[batch] for the backward pass.
inline constexpr float kLayerNormEps = 1e-5f;
void layer_norm_forward(const float* x, std::size_t batch, std::size_t dim, const float* gamma,
                        const float* beta, float* xhat, float* rstd, float* y);

// LayerNorm backward from dy[batch, dim]: overwrites dgamma[dim] and dbeta[dim] and ADDS the
// input gradient into dx[batch, dim], so a residual stream can collect it directly.
void layer_norm_backward(const float* dy, const float* xhat, const float* rstd,
                         std::size_t batch, std::size_t dim, const float* gamma, float* dgamma,
                         float* dbeta, float* dx);

// Mean loss of logits[batch, outputs] against labels y[batch], weighted by sample_weight[batch]
// when it is not null: sum_i w_i l_i / sum_i w_i (the normalisation of torch.nn.CrossEntropyLoss
// with class weights). outputs == 1: binary cross-entropy with logits, labels 0 or 1. outputs > 1:
// softmax cross-entropy, labels in [0, outputs). Both are computed from the logits with
// log-sum-exp, so large logits give finite losses. Overwrites logits with d(mean loss)/d(logits).
// Throws InputError for a label out of range and UsageError for a negative, non-finite or
// all-zero weight.
double logit_loss_backward(float* logits, const std::int32_t* y, const float* sample_weight,
                           std::size_t batch, std::size_t outputs);

}  // namespace privaudit::models
