#include "run/privacy_account.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "privacy/auc_bound.h"
#include "privacy/rdp_accountant.h"

namespace privaudit::run {
namespace {

nlohmann::json number_or_text(double value) {
  if (std::isnan(value)) return nullptr;
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

}  // namespace

nlohmann::json PrivacyAccount::to_json() const {
  return {
      {"unit", training::to_string(unit)},
      {"clip_norm", number_or_text(clip_norm)},
      {"noise_multiplier", noise_multiplier},
      {"sampling_rate", sampling_rate},
      {"steps", steps},
      {"delta", delta},
      {"target_epsilon", target_epsilon > 0.0 ? nlohmann::json(target_epsilon) : nullptr},
      {"epsilon", number_or_text(epsilon)},
      {"order", number_or_text(order)},
      {"auc_bound", auc_bound},
      {"auc_bound_single_pair", auc_bound_single_pair},
      {"accountant",
       "RDP of the Poisson-subsampled Gaussian mechanism, improved conversion (Balle et al. 2020)"},
  };
}

PrivacyAccount account_privacy(const training::TrainOptions& train, std::size_t pool_units) {
  if (train.privacy == training::TrainOptions::Privacy::kOff) {
    throw UsageError("privacy accounting needs a DP-SGD recipe: pass --dp patient or --dp record");
  }
  if (pool_units < 2) {
    throw UsageError(fmt::format(
        "DP-SGD needs at least 2 privacy units in the audit pool, the run has {}", pool_units));
  }
  train.validate();

  PrivacyAccount account;
  account.unit = train.privacy;
  account.clip_norm = train.dp_clip;
  const double training_units = static_cast<double>(pool_units) / 2.0;
  account.sampling_rate = train.dp_sampling_rate.value_or(
      std::min(1.0, static_cast<double>(train.batch_size) / training_units));
  account.steps = static_cast<std::int64_t>(train.epochs *
                                            training::dp_steps_per_epoch(account.sampling_rate));
  account.delta = train.dp_delta.value_or(1.0 / static_cast<double>(pool_units));
  account.target_epsilon = train.dp_target_epsilon.value_or(0.0);
  account.noise_multiplier =
      train.dp_target_epsilon
          ? privacy::calibrate_sigma(account.sampling_rate, account.steps, *train.dp_target_epsilon,
                                     account.delta)
          : train.dp_noise;

  // Without noise, or with clipping off, there is no guarantee.
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  if (account.noise_multiplier == 0.0 || std::isinf(account.clip_norm)) {
    account.epsilon = kInfinity;
    account.order = std::nan("");
    account.auc_bound = 1.0;
    account.auc_bound_single_pair = 1.0;
    return account;
  }
  const privacy::RdpCurve curve =
      privacy::compute_rdp(account.sampling_rate, account.noise_multiplier, account.steps);
  const privacy::EpsilonAtOrder reached = privacy::epsilon(curve, account.delta);
  account.epsilon = reached.epsilon;
  account.order = reached.order;
  account.auc_bound = privacy::rdp_profile_auc_bound(curve);
  account.auc_bound_single_pair = std::isinf(reached.epsilon)
                                      ? 1.0
                                      : privacy::dp_auc_bound(reached.epsilon, account.delta);
  return account;
}

training::TrainOptions resolved_train_options(const training::TrainOptions& train,
                                              const PrivacyAccount& account) {
  training::TrainOptions resolved = train;
  resolved.dp_sampling_rate = account.sampling_rate;
  resolved.dp_noise = account.noise_multiplier;
  resolved.dp_target_epsilon.reset();
  return resolved;
}

}  // namespace privaudit::run
