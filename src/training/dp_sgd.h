// The per-step core of differentially private SGD (DP-SGD). Each privacy unit's gradient is
// clipped to L2 norm C, the clipped gradients are summed, and Gaussian noise with standard
// deviation sigma * C is added to the sum. The privacy unit is a patient (all of a patient's
// records together) or a single record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/random.h"
#include "models/network.h"

namespace privaudit::training {

// Returns the sum over units of each unit's gradient clipped to L2 norm clip_norm, laid out as
// Network::gradients(). A unit's gradient is the sum, not the mean, of the per-record loss
// gradients of its rows. The network's parameters and gradients() are not changed.
//
// x is [batch, network.inputs()], y is [batch], and unit_of_row[batch] gives each row's unit in
// [0, units). A unit's rows need not be contiguous, and a unit may have no rows (norm 0).
// clip_norm may be +infinity (no clipping). When unit_norms is not null it receives each unit's
// gradient norm before clipping, [units]. When loss_sum is not null it receives the sum over rows of
// each row's loss at the current parameters.
//
// Works for logistic and MLP networks, whose layers are all Dense. It runs one forward and
// backward pass with per-row loss gradients and takes each unit's norm from the layer inputs a_i
// and output errors g_i. A Dense layer's weight gradient for unit U is sum_{i in U} a_i g_i^T,
// whose squared Frobenius norm is sum_{i,j in U} (a_i . a_j)(g_i . g_j), and the bias gradient is
// sum_{i in U} g_i ("ghost clipping"). A final weighted backward step, with every row scaled by
// its unit's clip factor min(1, C / norm), gives the clipped sum.
//
// Throws UsageError for a ResNet or for clip_norm <= 0 or NaN, InputError for a label out of
// range, and InternalError for a unit index outside [0, units).
std::vector<float> clipped_gradient_sum(models::Network& network, const float* x,
                                        const std::int32_t* y, const std::int32_t* unit_of_row,
                                        std::size_t batch, std::size_t units, double clip_norm,
                                        std::vector<double>* unit_norms,
                                        double* loss_sum = nullptr);

// Adds independent N(0, stddev^2) draws to every value of gradient, drawn with Marsaglia's polar
// transform from rng.uniform(). stddev == 0 leaves gradient unchanged and draws nothing. Throws
// UsageError for a negative or non-finite stddev.
void add_gaussian_noise(std::span<float> gradient, double stddev, Rng& rng);

}  // namespace privaudit::training
