#include "groups/suppression.h"

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::groups {

void SuppressionOptions::validate() const {
  if (min_group_patients < kMinGroupPatientsFloor) {
    throw UsageError(fmt::format(
        "--min-group-patients {} is invalid: small-cell suppression needs at least {} patients per "
        "reported group",
        min_group_patients, kMinGroupPatientsFloor));
  }
}

bool is_suppressed(std::size_t patients, const SuppressionOptions& options) {
  return patients < options.min_group_patients;
}

}  // namespace privaudit::groups
