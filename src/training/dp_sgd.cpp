#include "training/dp_sgd.h"

#include <fmt/format.h>

#include <cmath>
#include <numbers>
#include <utility>

#include "core/error.h"
#include "models/layers.h"

namespace privaudit::training {
namespace {

// Offsets of one Dense layer's tensors in the flat parameter vector.
struct DenseOffsets {
  std::size_t in;
  std::size_t out;
  std::size_t weight;  // W [in, out], row-major
  std::size_t bias;    // b [out]
};

// Dense layers of a logistic or MLP network in network order, following the layout documented
// in models/network.h: each layer's W, then its b.
std::vector<DenseOffsets> dense_layout(const models::Network& network) {
  const models::ModelSpec& spec = network.spec();
  std::vector<std::size_t> widths;  // layer boundaries: inputs, hidden widths, outputs
  widths.push_back(network.inputs());
  switch (spec.kind) {
    case models::ModelSpec::Kind::kLogistic:
      break;
    case models::ModelSpec::Kind::kMlp:
      widths.insert(widths.end(), spec.depth, spec.width);
      break;
    case models::ModelSpec::Kind::kResNet:
    case models::ModelSpec::Kind::kCnn:
    case models::ModelSpec::Kind::kResNet1d:
    case models::ModelSpec::Kind::kWideResNet:
      throw UsageError(
          fmt::format("DP-SGD supports logistic and mlp models, not {}: choose --model logistic "
                      "or mlp for a DP-SGD run",
                      models::to_string(spec.kind)));
  }
  widths.push_back(network.outputs());

  std::vector<DenseOffsets> layers;
  std::size_t offset = 0;
  for (std::size_t l = 0; l + 1 < widths.size(); ++l) {
    const std::size_t in = widths[l];
    const std::size_t out = widths[l + 1];
    layers.push_back({in, out, offset, offset + in * out});
    offset += in * out + out;
  }
  PRIVAUDIT_CHECK(offset == network.parameters().size(),
                  fmt::format("DP-SGD layer layout holds {} parameters, the network has {}",
                              offset, network.parameters().size()));
  return layers;
}

// Rows of each unit in compressed form: unit u owns rows[start[u]] .. rows[start[u + 1] - 1].
struct UnitRows {
  std::vector<std::size_t> start;  // [units + 1]
  std::vector<std::size_t> rows;   // [batch]
};

UnitRows group_rows(const std::int32_t* unit_of_row, std::size_t batch, std::size_t units) {
  UnitRows grouped;
  grouped.start.assign(units + 1, 0);
  for (std::size_t i = 0; i < batch; ++i) {
    const std::int32_t u = unit_of_row[i];
    PRIVAUDIT_CHECK(u >= 0 && static_cast<std::size_t>(u) < units,
                    fmt::format("row {} of the batch has unit {}, expected a unit in [0, {})", i,
                                u, units));
    ++grouped.start[static_cast<std::size_t>(u) + 1];
  }
  for (std::size_t u = 0; u < units; ++u) {
    grouped.start[u + 1] += grouped.start[u];
  }
  std::vector<std::size_t> next(grouped.start.begin(), grouped.start.end() - 1);
  grouped.rows.resize(batch);
  for (std::size_t i = 0; i < batch; ++i) {
    grouped.rows[next[static_cast<std::size_t>(unit_of_row[i])]++] = i;
  }
  return grouped;
}

// Dot product in double with four independent partial sums, so the additions do not wait on each
// other (one running sum made this the largest cost of a DP-SGD step on wide layers).
double dot(const float* a, const float* b, std::size_t n) {
  double sum[4] = {0.0, 0.0, 0.0, 0.0};
  std::size_t k = 0;
  for (; k + 4 <= n; k += 4) {
    for (std::size_t j = 0; j < 4; ++j) {
      sum[j] += static_cast<double>(a[k + j]) * static_cast<double>(b[k + j]);
    }
  }
  for (; k < n; ++k) {
    sum[0] += static_cast<double>(a[k]) * static_cast<double>(b[k]);
  }
  return (sum[0] + sum[1]) + (sum[2] + sum[3]);
}

// Adds one Dense layer's squared gradient norm for each unit to squared_norms[units], from the
// layer inputs a[batch, in] and the errors g[batch, out] (d(per-row loss)/d(layer output)).
//
// For a unit of k rows the pairwise ("ghost") form costs about k^2 (in + out) operations and
// forming the unit's gradient explicitly costs about k in out, so each unit takes the cheaper
// form. Records as units (k = 1) always take the pairwise form, and large patients in narrow
// layers take the explicit one.
void add_layer_squared_norms(const float* a, const float* g, std::size_t in, std::size_t out,
                             const UnitRows& grouped, std::vector<double>& squared_norms) {
  std::vector<double> explicit_weight;  // [in, out], only for units that take the explicit form
  std::vector<double> explicit_bias;    // [out]
  for (std::size_t u = 0; u + 1 < grouped.start.size(); ++u) {
    const std::size_t* rows = grouped.rows.data() + grouped.start[u];
    const std::size_t k = grouped.start[u + 1] - grouped.start[u];
    if (k == 0) {
      continue;
    }

    if (k * (in + out) <= in * out) {
      // sum_{i,j} (a_i . a_j + 1)(g_i . g_j): the +1 is the bias, whose input is constant 1.
      double sum = 0.0;
      for (std::size_t p = 0; p < k; ++p) {
        const float* a_p = a + rows[p] * in;
        const float* g_p = g + rows[p] * out;
        sum += (dot(a_p, a_p, in) + 1.0) * dot(g_p, g_p, out);
        for (std::size_t r = p + 1; r < k; ++r) {
          const float* a_r = a + rows[r] * in;
          const float* g_r = g + rows[r] * out;
          sum += 2.0 * (dot(a_p, a_r, in) + 1.0) * dot(g_p, g_r, out);
        }
      }
      squared_norms[u] += sum;
      continue;
    }

    explicit_weight.assign(in * out, 0.0);
    explicit_bias.assign(out, 0.0);
    for (std::size_t p = 0; p < k; ++p) {
      const float* a_p = a + rows[p] * in;
      const float* g_p = g + rows[p] * out;
      for (std::size_t c = 0; c < in; ++c) {
        const double a_c = a_p[c];
        double* w_row = explicit_weight.data() + c * out;
        for (std::size_t o = 0; o < out; ++o) {
          w_row[o] += a_c * g_p[o];
        }
      }
      for (std::size_t o = 0; o < out; ++o) {
        explicit_bias[o] += g_p[o];
      }
    }
    double sum = 0.0;
    for (const double v : explicit_weight) {
      sum += v * v;
    }
    for (const double v : explicit_bias) {
      sum += v * v;
    }
    squared_norms[u] += sum;
  }
}

}  // namespace

std::vector<float> clipped_gradient_sum(models::Network& network, const float* x,
                                        const std::int32_t* y, const std::int32_t* unit_of_row,
                                        std::size_t batch, std::size_t units, double clip_norm,
                                        std::vector<double>* unit_norms, double* loss_sum) {
  if (!(clip_norm > 0.0)) {
    throw UsageError(fmt::format(
        "invalid DP-SGD clipping norm {}: expected a value > 0 (or infinity for no clipping)",
        clip_norm));
  }
  const std::vector<DenseOffsets> layers = dense_layout(network);
  const UnitRows grouped = group_rows(unit_of_row, batch, units);
  std::vector<float> sum(network.parameters().size(), 0.0f);
  std::vector<double> squared_norms(units, 0.0);
  if (batch == 0) {
    if (unit_norms != nullptr) {
      unit_norms->assign(units, 0.0);
    }
    if (loss_sum != nullptr) {
      *loss_sum = 0.0;
    }
    return sum;
  }
  const float* p = network.parameters().data();
  const std::size_t count = layers.size();

  // 1. Forward pass, keeping each layer's input: inputs[0] = x, inputs[l] = ReLU output of layer
  //    l - 1, [batch, layers[l].in].
  std::vector<std::vector<float>> hidden(count - 1);
  std::vector<const float*> inputs(count);
  inputs[0] = x;
  for (std::size_t l = 0; l + 1 < count; ++l) {
    const DenseOffsets& d = layers[l];
    hidden[l].resize(batch * d.out);
    models::dense_forward(inputs[l], batch, d.in, d.out, p + d.weight, p + d.bias,
                          hidden[l].data());
    models::relu_forward(hidden[l].data(), batch * d.out);
    inputs[l + 1] = hidden[l].data();
  }
  const DenseOffsets& last = layers.back();
  std::vector<std::vector<float>> errors(count);  // errors[l]: [batch, layers[l].out]
  errors[count - 1].resize(batch * last.out);
  models::dense_forward(inputs[count - 1], batch, last.in, last.out, p + last.weight,
                        p + last.bias, errors[count - 1].data());

  // 2. Per-row loss gradients. logit_loss_backward() returns the gradient of the mean loss, which
  //    carries a factor 1 / batch, so multiplying by batch gives each row's own loss gradient.
  const double mean_loss =
      models::logit_loss_backward(errors[count - 1].data(), y, nullptr, batch, last.out);
  if (loss_sum != nullptr) {
    *loss_sum = mean_loss * static_cast<double>(batch);
  }
  const float rows = static_cast<float>(batch);
  for (float& v : errors[count - 1]) {
    v *= rows;
  }

  // 3. Backward pass for the errors of the hidden layers. dense_backward() also writes the
  //    weight and bias gradients, which this step does not need, into scratch buffers.
  std::vector<float> scratch;
  for (std::size_t l = count - 1; l > 0; --l) {
    const DenseOffsets& d = layers[l];
    scratch.resize(d.in * d.out + d.out);
    errors[l - 1].resize(batch * d.in);
    models::dense_backward(inputs[l], errors[l].data(), batch, d.in, d.out, p + d.weight,
                           scratch.data(), scratch.data() + d.in * d.out, errors[l - 1].data());
    models::relu_backward(errors[l - 1].data(), hidden[l - 1].data(), batch * d.in);
  }

  // 4. Each unit's squared norm, summed over layers, and its clip factor min(1, C / norm).
  for (std::size_t l = 0; l < count; ++l) {
    add_layer_squared_norms(inputs[l], errors[l].data(), layers[l].in, layers[l].out, grouped,
                            squared_norms);
  }
  std::vector<double> norms(units);
  std::vector<float> row_factor(batch);
  for (std::size_t u = 0; u < units; ++u) {
    const double norm = std::sqrt(squared_norms[u]);
    norms[u] = norm;
    const double factor = norm > clip_norm ? clip_norm / norm : 1.0;
    for (std::size_t r = grouped.start[u]; r < grouped.start[u + 1]; ++r) {
      row_factor[grouped.rows[r]] = static_cast<float>(factor);
    }
  }

  // 5. Clipped sum: scale every row's errors by its unit's factor, then one weight-gradient step
  //    per layer gives sum_i factor_i a_i g_i^T and sum_i factor_i g_i.
  for (std::size_t l = 0; l < count; ++l) {
    const DenseOffsets& d = layers[l];
    float* g = errors[l].data();
    for (std::size_t i = 0; i < batch; ++i) {
      for (std::size_t o = 0; o < d.out; ++o) {
        g[i * d.out + o] *= row_factor[i];
      }
    }
    models::dense_backward(inputs[l], g, batch, d.in, d.out, p + d.weight,
                           sum.data() + d.weight, sum.data() + d.bias, nullptr);
  }

  if (unit_norms != nullptr) {
    *unit_norms = std::move(norms);
  }
  return sum;
}

void add_gaussian_noise(std::span<float> gradient, double stddev, Rng& rng) {
  if (!(stddev >= 0.0) || !std::isfinite(stddev)) {
    throw UsageError(fmt::format(
        "invalid DP-SGD noise standard deviation {}: expected a finite value >= 0", stddev));
  }
  if (stddev == 0.0) {
    return;
  }
  // Marsaglia's polar method: a point (u, v) uniform in the unit disc gives two independent
  // standard normal draws u f and v f with f = sqrt(-2 ln s / s), s = u^2 + v^2. It needs one log
  // and one square root per pair and no sine or cosine, which made Box-Muller the largest cost of
  // a DP-SGD step. About 21% of the points fall outside the disc and are drawn again.
  std::size_t i = 0;
  while (i < gradient.size()) {
    double u = 0.0;
    double v = 0.0;
    double s = 0.0;
    do {
      u = 2.0 * rng.uniform() - 1.0;
      v = 2.0 * rng.uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = stddev * std::sqrt(-2.0 * std::log(s) / s);
    gradient[i++] += static_cast<float>(u * factor);
    if (i < gradient.size()) {
      gradient[i++] += static_cast<float>(v * factor);
    }
  }
}

}  // namespace privaudit::training
