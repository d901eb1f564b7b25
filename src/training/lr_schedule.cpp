#include "training/lr_schedule.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.h"

namespace privaudit::training {

double scheduled_learning_rate(double base_lr, TrainOptions::Schedule schedule, std::size_t step,
                               std::size_t total_steps, std::size_t warmup_steps) {
  PRIVAUDIT_CHECK(warmup_steps <= total_steps,
                  fmt::format("{} warm-up steps exceed the {} total steps", warmup_steps,
                              total_steps));
  if (step < warmup_steps) {
    return base_lr * static_cast<double>(step) / static_cast<double>(warmup_steps);
  }
  if (schedule == TrainOptions::Schedule::kConstant) {
    return base_lr;
  }
  const std::size_t decay_steps = total_steps - warmup_steps;
  if (decay_steps == 0) {
    return 0.0;
  }
  const double progress =
      std::min(1.0, static_cast<double>(step - warmup_steps) / static_cast<double>(decay_steps));
  return base_lr * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
}

}  // namespace privaudit::training
