// Learning rate per optimizer step: linear warm-up, then constant or cosine decay.
#pragma once

#include <cstddef>

#include "training/train_options.h"

namespace privaudit::training {

// Learning rate of step `step` (0-based) out of `total_steps`, the first `warmup_steps` of which
// warm up linearly from 0:
//   step < warmup_steps:  base_lr * step / warmup_steps   (so step 0 runs at 0)
//   constant:             base_lr
//   cosine:               base_lr * (1 + cos(pi * (step - warmup_steps) /
//                                             (total_steps - warmup_steps))) / 2
// The cosine reaches 0 at step == total_steps, one past the last step taken. Steps past
// total_steps keep the final value. Requires warmup_steps <= total_steps.
double scheduled_learning_rate(double base_lr, TrainOptions::Schedule schedule, std::size_t step,
                               std::size_t total_steps, std::size_t warmup_steps);

}  // namespace privaudit::training
