// Privacy accounting of a DP-SGD recipe for one run: the sampling rate, step count, noise
// multiplier and delta the trainer uses, the epsilon they give, and the membership AUC bound.
#pragma once

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "training/train_options.h"

namespace privaudit::run {

struct PrivacyAccount {
  training::TrainOptions::Privacy unit = training::TrainOptions::Privacy::kPatient;
  double clip_norm = 1.0;          // C, L2 norm; +infinity when clipping is off
  double noise_multiplier = 1.0;   // sigma, calibrated when a target epsilon was requested
  double sampling_rate = 0.0;      // q in (0, 1]
  std::int64_t steps = 0;          // epochs * round(1 / q)
  double delta = 0.0;              // in (0, 1)
  double target_epsilon = 0.0;     // 0 when none was requested
  double epsilon = 0.0;            // accounted epsilon at delta; +infinity without noise or clip
  double order = 0.0;              // RDP order that gave epsilon; NaN when epsilon is infinite
  // Maximum membership AUC of any attack, from the whole privacy profile of the RDP curve
  // (privacy::rdp_profile_auc_bound); 1 when epsilon is infinite.
  double auc_bound = 1.0;
  // The weaker bound from the single (epsilon, delta) pair (privacy::dp_auc_bound).
  double auc_bound_single_pair = 1.0;

  // Keys as the fields; infinite values as the string "inf", NaN as null.
  nlohmann::json to_json() const;
};

// Resolves and accounts a DP-SGD recipe. `pool_units` is the number of privacy units in the audit
// pool: patients for patient-level privacy, records for record-level. Every unit is IN for half
// of the models, so a model trains on about pool_units / 2 units, and the default sampling rate
// is min(1, batch_size / (pool_units / 2)). delta defaults to 1 / pool_units. Throws UsageError
// when train.privacy is off, pool_units < 2, or the target epsilon cannot be reached.
PrivacyAccount account_privacy(const training::TrainOptions& train, std::size_t pool_units);

// Returns `train` with the accounted sampling rate and noise multiplier filled in and no target
// epsilon, which is what CpuTrainer expects.
training::TrainOptions resolved_train_options(const training::TrainOptions& train,
                                              const PrivacyAccount& account);

}  // namespace privaudit::run
