#include "training/optimizer.h"

#include <fmt/format.h>

#include <cmath>

#include "core/error.h"

namespace privaudit::training {
namespace {

void check_sizes(std::size_t state, std::span<float> parameters,
                 std::span<const float> gradients) {
  PRIVAUDIT_CHECK(parameters.size() == state && gradients.size() == state,
                  fmt::format("optimizer built for {} parameters got {} parameters and {} "
                              "gradients",
                              state, parameters.size(), gradients.size()));
}

}  // namespace

Optimizer::~Optimizer() = default;

Adam::Adam(std::size_t size, double beta1, double beta2, double eps, double weight_decay)
    : beta1_(beta1),
      beta2_(beta2),
      eps_(eps),
      weight_decay_(weight_decay),
      first_moment_(size, 0.0f),
      second_moment_(size, 0.0f) {}

void Adam::step(std::span<float> parameters, std::span<const float> gradients, double lr) {
  check_sizes(first_moment_.size(), parameters, gradients);
  ++steps_;
  const double t = static_cast<double>(steps_);
  const float step_size = static_cast<float>(lr / (1.0 - std::pow(beta1_, t)));
  const float inv_sqrt_correction2 = static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(beta2_, t)));
  // The complements are rounded from double: 1.0f - 0.999f is off by 1.3e-5 relative.
  const float b1 = static_cast<float>(beta1_);
  const float b2 = static_cast<float>(beta2_);
  const float one_minus_b1 = static_cast<float>(1.0 - beta1_);
  const float one_minus_b2 = static_cast<float>(1.0 - beta2_);
  const float eps = static_cast<float>(eps_);
  const float decay = static_cast<float>(weight_decay_);
  float* p = parameters.data();
  const float* grad = gradients.data();
  float* m = first_moment_.data();
  float* v = second_moment_.data();
  const std::size_t n = parameters.size();
  for (std::size_t i = 0; i < n; ++i) {
    const float g = grad[i] + decay * p[i];
    m[i] = b1 * m[i] + one_minus_b1 * g;
    v[i] = b2 * v[i] + one_minus_b2 * g * g;
    p[i] -= step_size * m[i] / (std::sqrt(v[i]) * inv_sqrt_correction2 + eps);
  }
}

Sgd::Sgd(std::size_t size, double momentum, double weight_decay)
    : momentum_(momentum), weight_decay_(weight_decay), velocity_(size, 0.0f) {}

void Sgd::step(std::span<float> parameters, std::span<const float> gradients, double lr) {
  check_sizes(velocity_.size(), parameters, gradients);
  const float mu = static_cast<float>(momentum_);
  const float rate = static_cast<float>(lr);
  const float decay = static_cast<float>(weight_decay_);
  float* p = parameters.data();
  const float* grad = gradients.data();
  float* buf = velocity_.data();
  const std::size_t n = parameters.size();
  // buf starts at 0, so the first step's momentum * 0 + g is torch's buf = g.
  for (std::size_t i = 0; i < n; ++i) {
    const float g = grad[i] + decay * p[i];
    buf[i] = mu * buf[i] + g;
    p[i] -= rate * buf[i];
  }
}

std::unique_ptr<Optimizer> make_optimizer(const TrainOptions& options, std::size_t size) {
  switch (options.optimizer) {
    case TrainOptions::Optimizer::kAdam:
      return std::make_unique<Adam>(size, options.adam_beta1, options.adam_beta2,
                                    options.adam_eps, options.weight_decay);
    case TrainOptions::Optimizer::kSgd:
      return std::make_unique<Sgd>(size, options.momentum, options.weight_decay);
  }
  throw InternalError(
      fmt::format("unknown optimizer {}", static_cast<int>(options.optimizer)));
}

}  // namespace privaudit::training
