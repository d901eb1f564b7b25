// Argument checks shared by the privacy module. Each throws UsageError whose message names the
// command-line option, the value and the valid range.
#pragma once

#include <cstdint>

namespace privaudit::privacy {

void check_noise_multiplier(double sigma);   // --dp-noise: finite, > 0
void check_sampling_rate(double q);          // --dp-sampling-rate: in (0, 1]
void check_steps(std::int64_t steps);        // DP-SGD steps: > 0
void check_delta(double delta);              // --delta: in (0, 1)
void check_target_epsilon(double epsilon);   // --target-epsilon: finite, > 0
void check_order(double alpha);              // RDP order: finite, > 1

}  // namespace privaudit::privacy
