// Small-cell suppression: groups with too few patients are not reported, so that published
// statistics cannot single out a handful of patients.
//
// A suppressed group's statistics (counts, residuals, AUC summaries, intervals) are never printed
// or written. The group still counts in the chi-square test of its attribute and in the Spearman
// correlation, because leaving it out would change what is tested.
// NOTE: when the other groups' counts and the chi-square statistic are all printed, the suppressed
// group's term (O - E)^2 / E can be recovered by subtraction.
#pragma once

#include <cstddef>

namespace privaudit::groups {

// Suppression settings. Error messages name the field by its command-line option,
// --min-group-patients.
struct SuppressionOptions {
  // Minimum number of patients a group needs for its statistics to be reported. Range >= 5
  // (kMinGroupPatientsFloor).
  std::size_t min_group_patients = 10;

  // Throws UsageError naming the option, the value and the constraint.
  void validate() const;
};

// Lowest accepted min_group_patients. Below it, a group's mean or 0.99 quantile is close to the
// values of single patients.
inline constexpr std::size_t kMinGroupPatientsFloor = 5;

// Returns whether a group of `patients` patients is suppressed (patients < min_group_patients).
bool is_suppressed(std::size_t patients, const SuppressionOptions& options);

}  // namespace privaudit::groups
