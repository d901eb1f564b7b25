#include "attacks/loss_attack.h"

namespace privaudit::attacks {

std::vector<double> loss_attack(const SignalView& view, std::size_t target) {
  view.validate_shape();
  validate_target(view, target, {});
  const std::span<const float> row = view.model_signals(target);
  return std::vector<double>(row.begin(), row.end());
}

}  // namespace privaudit::attacks
