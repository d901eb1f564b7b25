// Membership risk per group (records and patients) with bootstrap confidence intervals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace privaudit::groups {

// A point estimate with a percentile bootstrap confidence interval. All three are NaN when the
// group has no unit with a finite AUC, and the interval is NaN when no replicate has one.
struct Estimate {
  double value = 0.0;
  double ci_low = 0.0;
  double ci_high = 0.0;
};

// Bootstrap settings. Error messages name each field by its command-line option:
// `replicates` is --bootstrap-replicates and `level` is --bootstrap-level.
struct BootstrapOptions {
  // Number of bootstrap replicates per group. Range >= 100, so that the interval bounds do not
  // rest on one or two replicates.
  std::size_t replicates = 1000;
  // Base seed. Group g draws from derive_seed(seed, SeedStream::kGroupBootstrap, g), so its interval
  // does not depend on the other groups.
  std::uint64_t seed = 1;
  // Two-sided confidence level of the intervals. Range (0, 1).
  double level = 0.95;

  // Throws UsageError naming the option, the value and the constraint.
  void validate() const;
};

// Patient AUC thresholds of GroupRisk's shares.
inline constexpr double kHighRiskAuc = 0.9;
inline constexpr double kVeryHighRiskAuc = 0.95;

// Risk of one group. Record statistics are over the records of the group's patients, patient
// statistics over its patients. Records and patients with a NaN AUC are left out of each statistic.
struct GroupRisk {
  std::size_t patients = 0;  // patients in the group
  std::size_t records = 0;   // records of those patients
  Estimate record_auc_mean;
  Estimate record_auc_p99;   // 0.99 quantile, numpy "linear" method
  Estimate patient_auc_mean;
  Estimate patient_auc_p99;  // 0.99 quantile, numpy "linear" method
  Estimate share_above_0_9;  // share of patients with patient AUC > kHighRiskAuc
  Estimate share_above_0_95; // share of patients with patient AUC > kVeryHighRiskAuc
};

// Computes the risk of each group, [groups].
//   record_auc: [records], the AUC of each record.
//   patient_of_record: [records], the patient index in [0, patients) of each record.
//   patient_auc: [patients], the AUC of each patient.
//   group_of_patient: [patients], the group index in [0, groups) of each patient.
// Intervals resample the group's patients with replacement, taking all records of each drawn
// patient, because records of one patient are not independent. Each interval is the percentile
// interval at options.level over the replicates whose statistic is not NaN. A group without
// patients gets NaN estimates.
// Validates `options` first (UsageError). Throws InternalError when the lengths do not match or an
// index is out of range. O(replicates * records) time, single-threaded.
std::vector<GroupRisk> group_risk(std::span<const double> record_auc,
                                  std::span<const std::int32_t> patient_of_record,
                                  std::span<const double> patient_auc,
                                  std::span<const std::int32_t> group_of_patient,
                                  std::size_t groups, const BootstrapOptions& options);

}  // namespace privaudit::groups
