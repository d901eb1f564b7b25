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

std::vector<bool> suppress_groups(std::span<const std::size_t> patients_per_group, const SuppressionOptions& options) {
  std::vector<bool> hidden(patients_per_group.size(), false);
  std::size_t hidden_groups = 0;
  std::size_t hidden_patients = 0;
  for (std::size_t g = 0; g < patients_per_group.size(); ++g) {
    if (patients_per_group[g] > 0 && is_suppressed(patients_per_group[g], options)) {
      hidden[g] = true;
      ++hidden_groups;
      hidden_patients += patients_per_group[g];
    }
  }
  if (hidden_groups == 0) return hidden;

  // Complementary suppression: hide the smallest visible groups until subtraction reveals only a
  // total of at least min_group_patients spread over at least two groups.
  while (hidden_groups < 2 || hidden_patients < options.min_group_patients) {
    std::size_t smallest = patients_per_group.size();
    for (std::size_t g = 0; g < patients_per_group.size(); ++g) {
      if (hidden[g] || patients_per_group[g] == 0) continue;
      if (smallest == patients_per_group.size() || patients_per_group[g] < patients_per_group[smallest]) smallest = g;
    }
    if (smallest == patients_per_group.size()) break;  // every non-empty group is hidden
    hidden[smallest] = true;
    ++hidden_groups;
    hidden_patients += patients_per_group[smallest];
  }
  return hidden;
}

}  // namespace privaudit::groups
