#include "risk/membership_signals.h"

#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::risk {

void MembershipSignals::validate() const {
  // 1. Shapes. A mismatch means the code that built the view is wrong, not the data.
  PRIVAUDIT_CHECK(models >= 1, "membership signals need at least 1 model, got 0");
  PRIVAUDIT_CHECK(records <= std::numeric_limits<std::size_t>::max() / models,
                  fmt::format("models * records overflows: {} * {}", models, records));
  const std::size_t cells = models * records;
  PRIVAUDIT_CHECK(phi.size() == cells,
                  fmt::format("phi has {} values, expected models * records = {} * {} = {}",
                              phi.size(), models, records, cells));
  PRIVAUDIT_CHECK(keep.size() == cells,
                  fmt::format("keep has {} values, expected models * records = {} * {} = {}",
                              keep.size(), models, records, cells));

  // 2. Content. A NaN or infinite signal would silently turn a record's AUC into NaN, so it is
  // reported with its position instead.
  for (std::size_t m = 0; m < models; ++m) {
    for (std::size_t i = 0; i < records; ++i) {
      const std::size_t cell = m * records + i;
      if (!std::isfinite(phi[cell])) {
        throw InputError(fmt::format(
            "invalid membership signal phi = {} for model {}, record {}: expected a finite "
            "logit-scaled confidence; recompute that model's signals from its logits and check "
            "that its training did not diverge",
            phi[cell], m, i));
      }
      if (keep[cell] > 1) {
        throw InputError(fmt::format(
            "invalid membership flag keep = {} for model {}, record {}: expected 0 (OUT) or 1 "
            "(IN); regenerate the membership matrix from the plan",
            static_cast<unsigned>(keep[cell]), m, i));
      }
    }
  }
}

std::vector<std::uint32_t> MembershipSignals::resolve_models(
    std::span<const std::uint32_t> subset) const {
  if (subset.empty()) {
    std::vector<std::uint32_t> all(models);
    std::iota(all.begin(), all.end(), std::uint32_t{0});
    return all;
  }

  std::vector<bool> seen(models, false);
  for (std::size_t k = 0; k < subset.size(); ++k) {
    const std::uint32_t m = subset[k];
    PRIVAUDIT_CHECK(m < models, fmt::format("model subset entry {} is model {}, but there are only "
                                            "{} models",
                                            k, m, models));
    PRIVAUDIT_CHECK(!seen[m], fmt::format("model subset lists model {} twice (entry {})", m, k));
    seen[m] = true;
  }
  return {subset.begin(), subset.end()};
}

}  // namespace privaudit::risk
