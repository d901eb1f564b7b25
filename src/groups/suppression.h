// Small-cell suppression: groups with too few patients are not reported, so that published
// statistics cannot single out a handful of patients.
//
// A suppressed group's statistics (counts, residuals, AUC summaries, intervals) are never printed
// or written. The group still counts in the chi-square test of its attribute and in the Spearman
// correlation, because leaving it out would change what is tested.
// Suppressing one small group alone is not enough: the attribute's total minus the visible groups
// would give it back. suppress_groups() therefore also suppresses the smallest other groups
// (complementary suppression) until at least two groups with at least min_group_patients patients
// in all are hidden, so subtraction yields only a total of that size.
// NOTE: the chi-square statistic still carries the hidden groups' summed terms.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

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

// Returns, per group of one attribute, whether it is suppressed: the groups below
// min_group_patients (empty groups excepted) and, when there are any, the smallest other groups
// until at least two are hidden and they hold at least min_group_patients patients together (or
// every group is hidden). Ties are broken by the lower group index.
std::vector<bool> suppress_groups(std::span<const std::size_t> patients_per_group, const SuppressionOptions& options);

}  // namespace privaudit::groups
