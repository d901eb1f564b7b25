// First-order optimizers over a flat parameter vector, with torch.optim's update rules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "training/train_options.h"

namespace privaudit::training {

class Optimizer {
 public:
  virtual ~Optimizer();

  // Updates parameters in place from gradients (same size as at construction) with learning
  // rate lr. weight_decay * parameter is added to the gradient first (L2 penalty).
  virtual void step(std::span<float> parameters, std::span<const float> gradients, double lr) = 0;
};

// Adam (Kingma and Ba 2015) with bias correction, as torch.optim.Adam (amsgrad off):
//   g = grad + weight_decay * p
//   m = beta1 m + (1 - beta1) g,  v = beta2 v + (1 - beta2) g^2
//   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
class Adam : public Optimizer {
 public:
  Adam(std::size_t size, double beta1, double beta2, double eps, double weight_decay);
  void step(std::span<float> parameters, std::span<const float> gradients, double lr) override;

 private:
  double beta1_;
  double beta2_;
  double eps_;
  double weight_decay_;
  std::uint64_t steps_ = 0;  // t, the number of steps taken
  std::vector<float> first_moment_;   // m
  std::vector<float> second_moment_;  // v
};

// SGD with heavy-ball momentum, as torch.optim.SGD with dampening 0 and nesterov off:
//   g = grad + weight_decay * p,  buf = momentum * buf + g (buf = g on the first step),
//   p -= lr * buf. momentum = 0 is plain SGD.
class Sgd : public Optimizer {
 public:
  Sgd(std::size_t size, double momentum, double weight_decay);
  void step(std::span<float> parameters, std::span<const float> gradients, double lr) override;

 private:
  double momentum_;
  double weight_decay_;
  std::vector<float> velocity_;  // buf, zero before the first step
};

// Builds the optimizer that `options` selects, for `size` parameters.
std::unique_ptr<Optimizer> make_optimizer(const TrainOptions& options, std::size_t size);

}  // namespace privaudit::training
